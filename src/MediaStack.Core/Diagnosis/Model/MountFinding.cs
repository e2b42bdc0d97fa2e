using MediaStack.Core.Yaml;

namespace MediaStack.Core.Diagnosis.Model;

// One diagnosis result: which rule, how bad, what it concerns, the proof and the fix.
// Name/Namespace are top-level so findings chain into cmdlets by property name.
public sealed class MountFinding
{
    public MountFinding(RuleInfo rule, Severity severity, DiagnosisTarget target, string message)
    {
        Rule = rule;
        Severity = severity;
        Target = target;
        Message = message;
    }

    public RuleInfo Rule { get; }

    public string RuleId => Rule.Id;

    public string RuleName => Rule.Name;

    public Severity Severity { get; }

    public DiagnosisTarget Target { get; }

    public string? Namespace => Target.Namespace;

    // The pod when there is one, else the Deployment: what the default view groups by.
    public string Name => Target.Pod ?? Target.Deployment ?? "";

    public string? Pod => Target.Pod;

    public string? Deployment => Target.Deployment;

    public string? File => Target.File;

    // Where in its file the finding points (static mode): the field it is about, else the
    // container, else the workload's name.
    public SourcePosition? Position { get; init; }

    public int? Line => Position?.Line;

    public int? Column => Position?.Column;

    // "apps/plex/deployment.yaml:42", the form editors and CI annotations jump to; the file
    // alone when there is no line.
    public string? Location => Position is { } at ? $"{at.File}:{at.Line}" : File;

    public string? Container { get; init; }

    // The configured rclone mount the finding is about (zurg, torbox), when it is about one.
    public string? Mount { get; init; }

    public string Message { get; }

    // The proof: a log line, an event, or a field path and its value.
    public string Evidence { get; init; } = "";

    public string Remedy { get; init; } = "";

    // The repair only applies to problems, never to a Pass or Info line, and needs a file or
    // a cluster object to change (rendered text has neither). A privilege is granted on the
    // cluster only: read from a file (MS301 offline), the remedy names the RoleBinding to add.
    public RepairKind Repair =>
        Severity < Severity.Warning || Target.Rendered || (Rule.Repair == RepairKind.GrantPrivilege && Target.File is not null)
            ? RepairKind.None
            : Rule.Repair;

    public bool Fixable => Repair != RepairKind.None;

    // The FIX column of the table view: "yes" when Repair-MediaMount can apply the remedy.
    public string FixMark => Fixable ? "yes" : "";

    // "pod/plex-6f7c" or "deployment/plex" (+ the file in static mode), for grouping.
    public string Object => Target.Display;

    public override string ToString() => $"{RuleId} {Severity} {Object}: {Message}";
}
