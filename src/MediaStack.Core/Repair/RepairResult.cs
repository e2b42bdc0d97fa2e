namespace MediaStack.Core.Repair;

public enum RepairOutcome
{
    // The change was made.
    Applied,
    // -WhatIf, or the user said no at -Confirm.
    NotApplied,
    // Already as it should be: nothing to change.
    UpToDate,
}

// What Repair-MediaMount did for one target (a Deployment, a file, a pod, a service account).
public sealed class RepairResult
{
    public required string Action { get; init; }

    public required string Target { get; init; }

    public string? Namespace { get; init; }

    // The Deployment or pod name, for piping into other cmdlets.
    public required string Name { get; init; }

    public RepairOutcome Outcome { get; init; }

    public IReadOnlyList<string> Changes { get; init; } = [];

    // The findings this repair answers.
    public IReadOnlyList<string> RuleIds { get; init; } = [];

    // Pods of the new ReplicaSet after a waited-for rollout.
    public IReadOnlyList<string> NewPods { get; init; } = [];

    public string ChangeSummary => string.Join("; ", Changes);

    public override string ToString() => $"{Action} {Target}: {Outcome} ({ChangeSummary})";
}
