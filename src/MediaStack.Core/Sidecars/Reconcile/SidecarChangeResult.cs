namespace MediaStack.Core.Sidecars.Reconcile;

// What Add-/Remove-RcloneSidecar did to one target: a manifest file, a live Deployment or a
// MediaApp object. Status is Changed or UpToDate (a second run says so).
public sealed record SidecarChangeResult
{
    public const string Changed = nameof(Changed);
    public const string UpToDate = nameof(UpToDate);

    public required string Name { get; init; }
    public string? Namespace { get; init; }
    // File, Cluster or MediaApp.
    public required string TargetKind { get; init; }
    // The file path, the cluster server, or the MediaApp's namespace/name.
    public required string Target { get; init; }
    public required string Status { get; init; }
    public IReadOnlyList<string> Changes { get; init; } = [];
    public string? AppContainer { get; init; }
    public SidecarMode? Mode { get; init; }
    // The pods of the new ReplicaSet, when -Wait waited for the rollout.
    public IReadOnlyList<string> Pods { get; init; } = [];
    // What -GrantPrivilege did, if anything.
    public string? PrivilegeGranted { get; init; }

    public string Summary => Changes.Count == 0 ? "already up to date" : string.Join("; ", Changes);
}
