namespace MediaStack.Core.Diagnosis.Model;

// Ordered so that "worst first" is a descending sort; Pass is only shown with -IncludePass.
public enum Severity
{
    Pass = 0,
    Info = 1,
    Warning = 2,
    Error = 3,
}
