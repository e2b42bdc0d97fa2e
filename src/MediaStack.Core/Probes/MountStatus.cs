using MediaStack.Core.Pods;

namespace MediaStack.Core.Probes;

// OK / WARN / FAIL: the entry count against the mount's thresholds. STALE: the FUSE daemon
// is gone but the mount is still there (ENOTCONN). TIMEOUT: a call into the mount hung.
// NOTMOUNTED: the directory exists in the app container but no FUSE mount is on it.
// SKIP: the pod is not running or has no sidecar for this mount.
public enum MountHealth
{
    OK,
    WARN,
    FAIL,
    STALE,
    TIMEOUT,
    NOTMOUNTED,
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

    // The worst status of the pod's mounts (SKIP only when all are skipped).
    public MountHealth Status => Worst(Mounts.Select(mount => mount.Status));

    // "zurg=OK (25000) torbox=OK (50)": every mount in one cell, whatever the config holds.
    public string Summary => string.Join(" ", Mounts.Select(mount => $"{mount.Mount}={mount.Summary}"));

    public int DurationMs { get; init; }

    public MediaPod? MediaPod { get; init; }

    // Healthy for scripts: every mount OK or SKIP.
    public bool IsHealthy => Mounts.All(mount => mount.Status is MountHealth.OK or MountHealth.SKIP);

    public MountStatus? this[string mount] => Mounts.FirstOrDefault(status => status.Mount == mount);

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
        MountHealth.WARN => 1,
        MountHealth.NOTMOUNTED => 2,
        MountHealth.FAIL => 3,
        MountHealth.STALE => 4,
        MountHealth.TIMEOUT => 5,
        _ => -1,
    };

    public override string ToString() => $"{Namespace}/{Name}: {Summary}";
}
