using MediaStack.Core.Config;

namespace MediaStack.Core.Workloads;

// A mount the app expects to see, at the path where the APP container sees it, and what
// serves it: an rclone sidecar of the pod, a node-level provider (the media volume is a host
// path), or nothing (a failing verdict). Configured is the stack config's record; a sidecar
// mount the config does not know is still expected (and probed at its own path).
public sealed record ExpectedMount(string Name, string MountPath, string ProbePath, long OkAbove, long WarnAbove)
{
    public RcloneMount? Configured { get; init; }

    public WorkloadContainer? Sidecar { get; init; }

    public bool ServedByNode { get; init; }

    public bool IsServed => Sidecar is not null || ServedByNode;

    public string? Remote => Sidecar?.Rclone?.Remote ?? Configured?.Remote;

    public string ProbeFullPath => string.IsNullOrEmpty(ProbePath) ? MountPath : MountPath.TrimEnd('/') + "/" + ProbePath;

    // "rclone-zurg", "node", or "none".
    public string ServedBy => Sidecar?.Name ?? (ServedByNode ? "node" : "none");

    public static ExpectedMount From(RcloneMount mount, string mountPath) =>
        new(mount.Name, mountPath, mount.ProbePath, mount.OkAbove, mount.WarnAbove) { Configured = mount };

    // A mount no config record describes: any entry is good enough, none is a failure.
    public static ExpectedMount Unconfigured(string name, string mountPath) =>
        new(name, mountPath, "", 0, 0);

    public override string ToString() => $"{Name} at {MountPath} ({ServedBy})";
}
