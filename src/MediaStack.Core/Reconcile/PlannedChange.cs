namespace MediaStack.Core.Reconcile;

// One line of what a plan changes, for people, and the rule whose defect it fixes (null for
// a change asked for by name, such as -Update Probes): "rclone-zurg: set privileged (MS104)".
public sealed record PlannedChange(string Container, string Description, string? RuleId = null)
{
    public override string ToString() => $"{Container}: {Description}{(RuleId is null ? "" : $" ({RuleId})")}";
}
