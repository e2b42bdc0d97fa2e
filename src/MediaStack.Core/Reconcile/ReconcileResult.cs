using MediaStack.Core.Manifests;
using MediaStack.Core.Sidecars;

namespace MediaStack.Core.Reconcile;

public enum ReconcileAction
{
    AddSidecars,
    RemoveSidecars,
    Repair,
    GrantPrivilege,
    RestartPod,
}

public enum ReconcileStatus
{
    // The change was made.
    Changed,
    // Already as wanted: nothing was written.
    UpToDate,
    // Not a workload this change applies to (a gateway, the legacy standalone rclone ...).
    Skipped,
}

// What Add-RcloneSidecar, Remove-RcloneSidecar and Repair-MediaMount did to one target: a
// workload in a manifest file, on the cluster or in a MediaApp object; a service account
// (privilege grant); a pod (restart). Name and Namespace pipe into other cmdlets.
public sealed record ReconcileResult
{
    public required string Name { get; init; }

    public string? Namespace { get; init; }

    // Deployment, StatefulSet, DaemonSet, ServiceAccount, Pod.
    public required string ResourceKind { get; init; }

    public required ReconcileAction Action { get; init; }

    // File, Cluster or MediaApp.
    public required string TargetKind { get; init; }

    // The file path, the cluster server with namespace/name, or the MediaApp's namespace/name.
    public required string Target { get; init; }

    public required ReconcileStatus Status { get; init; }

    // Why the target was skipped or is up to date.
    public string? Reason { get; init; }

    // One line per change; fixes name the rule whose defect they remove.
    public IReadOnlyList<string> Changes { get; init; } = [];

    // The rules whose defects were fixed.
    public IReadOnlyList<string> RuleIds { get; init; } = [];

    public string? AppContainer { get; init; }

    public SidecarMode? Mode { get; init; }

    // The pods of the new revision, when -Wait waited for the rollout.
    public IReadOnlyList<string> Pods { get; init; } = [];

    // What -GrantPrivilege did, if anything.
    public string? PrivilegeGranted { get; init; }

    // The workload as it is now (for -PassThru); null for grants and restarts.
    public MediaApp? App { get; init; }

    // The workload's metadata.generation after the change: what a rollout wait waits for.
    public long Generation { get; init; }

    public string Summary => Changes.Count > 0 ? string.Join("; ", Changes) : Reason ?? "";

    public override string ToString() => $"{Action} {Target}: {Status} ({Summary})";
}
