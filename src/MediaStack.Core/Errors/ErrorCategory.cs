namespace MediaStack.Core.Errors;

// Our own copy of the categories we use, so Core stays free of PowerShell; the names match
// System.Management.Automation.ErrorCategory, which the cmdlet layer maps them to by name.
public enum ErrorCategory
{
    NotSpecified,
    InvalidArgument,
    ObjectNotFound,
    ResourceExists,
    PermissionDenied,
    InvalidData,
    WriteError,
    ReadError,
    ConnectionError,
    AuthenticationError,
    OperationTimeout,
    InvalidOperation,
    LimitsExceeded,
}
