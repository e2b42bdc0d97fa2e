using k8s.Models;
using MediaStack.Core.Workloads;

namespace MediaStack.Core.Pods;

// A pod as a media-stack admin sees it: where it runs, what it is (Kind), which container is
// the app and which sidecars serve which mounts. Every answer comes from the workload model
// of the pod's own spec (Workload).
public sealed class MediaPod
{
    public required string Name { get; init; }

    public required string Namespace { get; init; }

    public string? Node { get; init; }

    public required string Phase { get; init; }

    // The owning workload (Deployment name through its ReplicaSet) or the app label.
    public string? App { get; init; }

    // Deployment, StatefulSet, DaemonSet (or ReplicaSet, Job ...) that owns the pod; null for a bare pod.
    public string? OwnerKind { get; init; }

    public WorkloadKind Kind => Workload.Kind;

    public string? AppContainer => Workload.App?.Name;

    // How AppContainer was chosen, for -Verbose and diagnosis.
    public string AppContainerReason => Workload.AppReason;

    // Every container next to the app: rclone mounts, servers, helpers, native sidecars.
    public IReadOnlyList<string> Sidecars => Workload.AllContainers
        .Where(container => container.IsLongRunning && container.Role is not (ContainerRole.App or ContainerRole.Other))
        .Select(container => container.Name).ToList();

    // The rclone mount containers, each with its remote, mount path and state.
    public IReadOnlyList<RcloneSidecar> RcloneSidecars { get; init; } = [];

    // The mounts the app expects, each with what serves it (Workload.ExpectedMounts).
    public IReadOnlyList<ExpectedMount> ExpectedMounts => Workload.ExpectedMounts;

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

    // Being deleted: its verdict no longer matters, its replacement's does.
    public bool IsTerminating => Pod?.Metadata?.DeletionTimestamp is not null;

    // Ran to its end (a Job's pod, or a pod with restartPolicy Never).
    public bool IsCompleted => Phase is "Succeeded" or "Failed";

    // The model of the pod's own spec; hidden from the default view.
    public required Workload Workload { get; init; }

    // The pod as the API server returned it; hidden from the default view.
    public V1Pod? Pod { get; init; }

    public override string ToString() => $"{Namespace}/{Name}";
}

// Container: the sidecar's name. Remote and MountPath: from its `rclone mount <remote> <path>`
// arguments. State: Running, or the waiting/terminated reason (CrashLoopBackOff, Error ...)
// from the pod status.
public sealed record RcloneSidecar(string Container, string? Remote, string? MountPath, bool Native)
{
    public bool Ready { get; init; }

    public string? State { get; init; }

    public int Restarts { get; init; }
}
