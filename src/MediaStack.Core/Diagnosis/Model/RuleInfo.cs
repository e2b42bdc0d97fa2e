namespace MediaStack.Core.Diagnosis.Model;

// One entry of the rule catalogue: the stable id scripts match on (MS1xx spec, MS2xx pod
// runtime, MS3xx namespace and cluster), a PascalCase name, what it detects and how it is fixed.
public sealed record RuleInfo(string Id, string Name, string Detects, RepairKind Repair);
