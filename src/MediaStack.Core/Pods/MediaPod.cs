using k8s.Models;

namespace MediaStack.Core.Pods;

// A pod as a media-stack admin sees it: where it runs, which container is the app (never
// blindly containers[0]) and which sidecars serve which rclone mounts.
public sealed class MediaPod
{
    public required string Name { get; init; }

    public required string Namespace { get; init; }

    public string? Node { get; init; }

    public required string Phase { get; init; }

    // The owning workload (Deployment name through its ReplicaSet) or the app label.
    public string? App { get; init; }

    public string? AppContainer { get; init; }

    // How AppContainer was chosen, for -Verbose and diagnosis.
    public string? AppContainerReason { get; init; }

    public IReadOnlyList<string> Sidecars { get; init; } = [];

    // The rclone sidecars and the mount path each one mounts.
    public IReadOnlyList<RcloneSidecar> RcloneSidecars { get; init; } = [];

    // "ready/total" over the regular containers, as kubectl prints it.
    public required string Ready { get; init; }

    public int Restarts { get; init; }

    public DateTime? CreationTimestamp { get; init; }

    public TimeSpan? Age { get; init; }

    // kubectl's AGE column: 45s, 12m, 5h, 3d.
    public string AgeText => Age switch
    {
        null => "",
        { TotalSeconds: < 120 } age => $"{Math.Max(0, (int)age.TotalSeconds)}s",
        { TotalMinutes: < 120 } age => $"{(int)age.TotalMinutes}m",
        { TotalHours: < 48 } age => $"{(int)age.TotalHours}h",
        { } age => $"{(int)age.TotalDays}d",
    };

    public string SidecarList => string.Join(",", Sidecars);

    public bool IsRunning => Phase == "Running" && !string.IsNullOrEmpty(Node);

    // The pod as the API server returned it; hidden from the default view.
    public V1Pod? Pod { get; init; }

    // The sidecar that mounts this path (from its arguments), else the one named
    // rclone-<mount name>, else null.
    public RcloneSidecar? SidecarFor(string mountName, string mountPath) =>
        RcloneSidecars.FirstOrDefault(sidecar => sidecar.MountPath is { } path && SamePath(path, mountPath))
        ?? RcloneSidecars.FirstOrDefault(sidecar => sidecar.MountPath is null && sidecar.Container == "rclone-" + mountName);

    private static bool SamePath(string a, string b) =>
        string.Equals(a.TrimEnd('/'), b.TrimEnd('/'), StringComparison.Ordinal);

    public override string ToString() => $"{Namespace}/{Name}";
}

// Container: the sidecar's name. Remote and MountPath: from its `rclone mount <remote> <path>`
// arguments, null when they could not be read. State: Running, or the waiting/terminated
// reason (CrashLoopBackOff, Error ...) from the pod status.
public sealed record RcloneSidecar(string Container, string? Remote, string? MountPath, bool Native)
{
    public bool Ready { get; init; }

    public string? State { get; init; }

    public int Restarts { get; init; }
}
