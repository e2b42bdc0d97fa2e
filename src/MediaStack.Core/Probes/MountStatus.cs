using MediaStack.Core.Pods;

namespace MediaStack.Core.Probes;

// OK / WARN / FAIL: the entry count against the mount's thresholds. STALE: the FUSE daemon
// is gone but the mount is still there (ENOTCONN). TIMEOUT: a call into the mount hung.
// NOTMOUNTED: the directory exists in the app container but no FUSE mount is on it.
// NOSIDECAR: the app expects the mount but nothing in the pod (or on the node) serves it.
// NOTREADY: the pod should run the app but does not (Pending, ContainerCreating, crash loop)
// past the startup grace period, or for a reason that does not pass (image, config errors).
// STARTING: the same within the grace period: not known to be broken yet, not healthy either.
// SKIP: the workload expects no mounts, or the pod is terminating or has completed.
public enum MountHealth
{
    OK,
    WARN,
    FAIL,
    STALE,
    TIMEOUT,
    NOTMOUNTED,
    NOSIDECAR,
    NOTREADY,
    STARTING,
    SKIP,
}

// One mount of one pod, as the app container sees it.
public sealed class MountStatus
{
    // The pod's name, so the object pipes into -Name parameters.
    public required string Name { get; init; }

    public required string Namespace { get; init; }

    public string Pod => Name;

    public string? Node { get; init; }

    public string? Container { get; init; }

    public required string Mount { get; init; }

    public required string Path { get; init; }

    // rclone-zurg, node, or none: what serves the mount in this pod.
    public string? ServedBy { get; init; }

    public MountHealth Status { get; init; }

    public long? Entries { get; init; }

    // True when the count stopped at the cap: there are more entries than Entries.
    public bool EntriesCapped { get; init; }

    public string? FsType { get; init; }

    public int? LatencyMs { get; init; }

    // The deep read (-Deep): the file read, how many bytes came back and how long it took.
    public string? ReadFile { get; init; }

    public long? ReadBytes { get; init; }

    public int? ReadLatencyMs { get; init; }

    public required string Reason { get; init; }

    // "OK (25000)", "WARN (150)", "STALE": what one cell of the mount table shows.
    public string Summary => Entries is { } count && Status is MountHealth.OK or MountHealth.WARN or MountHealth.FAIL
        ? $"{Status} ({count}{(EntriesCapped ? "+" : "")})"
        : Status.ToString();

    // The mount table's cell; a report's per-mount property holds this object.
    public override string ToString() => Summary;
}

// One pod's mounts: a row of the mount table (POD NODE one column per mount).
public sealed class PodMountReport
{
    public required string Name { get; init; }

    public required string Namespace { get; init; }

    public string? Node { get; init; }

    public string? Container { get; init; }

    public required IReadOnlyList<MountStatus> Mounts { get; init; }

    // Why the pod has no mount to check (a gateway, an unrelated workload, terminating ...).
    public string? Note { get; init; }

    // The worst status of the pod's mounts (SKIP when there is none to check).
    public MountHealth Status => Worst(Mounts.Select(mount => mount.Status));

    // "zurg=OK (25000) torbox=OK (50)": every mount in one cell, whatever the config holds.
    public string Summary => Mounts.Count == 0 ? $"SKIP ({Note})" : string.Join(" ", Mounts.Select(mount => $"{mount.Mount}={mount.Summary}"));

    public int DurationMs { get; init; }

    public MediaPod? MediaPod { get; init; }

    // Healthy for scripts: no mount fails. OK and SKIP pass; STARTING passes only within the
    // startup grace period (after it the same pod is NOTREADY).
    public bool IsHealthy => Mounts.All(mount => IsPassing(mount.Status));

    public MountStatus? this[string mount] => Mounts.FirstOrDefault(status => status.Mount == mount);

    public static bool IsPassing(MountHealth status) => status is MountHealth.OK or MountHealth.SKIP or MountHealth.STARTING;

    public static MountHealth Worst(IEnumerable<MountHealth> statuses)
    {
        var list = statuses.ToList();
        if (list.Count == 0 || list.All(status => status == MountHealth.SKIP))
        {
            return MountHealth.SKIP;
        }
        return list.Where(status => status != MountHealth.SKIP).MaxBy(Severity);
    }

    private static int Severity(MountHealth status) => status switch
    {
        MountHealth.OK => 0,
        MountHealth.STARTING => 1,
        MountHealth.WARN => 2,
        MountHealth.NOTMOUNTED => 3,
        MountHealth.NOSIDECAR => 4,
        MountHealth.FAIL => 5,
        MountHealth.NOTREADY => 6,
        MountHealth.STALE => 7,
        MountHealth.TIMEOUT => 8,
        _ => -1,
    };

    public override string ToString() => $"{Namespace}/{Name}: {Summary}";
}
