using k8s;
using k8s.Models;

namespace MediaStack.Core.Pods;

// V1Pod (typed, or JSON as the API serves it) -> MediaPod.
public static class MediaPodFactory
{
    public const string AppLabel = "app";
    public const string PodTemplateHashLabel = "pod-template-hash";

    public static MediaPod FromJson(string json, DateTime? now = null) =>
        FromPod(KubernetesJson.Deserialize<V1Pod>(json), now);

    public static MediaPod FromPod(V1Pod pod, DateTime? now = null)
    {
        var labels = pod.Metadata?.Labels;
        var appLabel = labels?.TryGetValue(AppLabel, out var label) == true ? label : null;
        var nameLabel = labels?.TryGetValue("app.kubernetes.io/name", out var name) == true ? name : null;
        var workload = OwningWorkload(pod);
        var (appContainer, reason) = ContainerRoles.AppContainer(pod, workload, appLabel ?? nameLabel);
        var sidecars = ContainerRoles.Sidecars(pod, appContainer);
        var native = ContainerRoles.NativeSidecars(pod).Select(container => container.Name).ToHashSet();
        var statuses = pod.Status?.ContainerStatuses ?? [];
        var created = pod.Metadata?.CreationTimestamp;
        var clock = now ?? DateTime.UtcNow;
        return new MediaPod
        {
            Name = pod.Metadata?.Name ?? "",
            Namespace = pod.Metadata?.NamespaceProperty ?? "",
            Node = pod.Spec?.NodeName,
            Phase = pod.Status?.Phase ?? "Unknown",
            App = workload ?? appLabel ?? nameLabel,
            AppContainer = appContainer,
            AppContainerReason = reason,
            Sidecars = sidecars.Select(container => container.Name).ToList(),
            RcloneSidecars = sidecars.Where(ContainerRoles.IsRclone)
                .Select(container => WithStatus(ContainerRoles.DescribeRclone(container, native.Contains(container.Name)), pod))
                .ToList(),
            Ready = $"{statuses.Count(status => status.Ready)}/{pod.Spec?.Containers?.Count ?? 0}",
            Restarts = statuses.Sum(status => status.RestartCount)
                + (pod.Status?.InitContainerStatuses ?? []).Where(status => native.Contains(status.Name)).Sum(status => status.RestartCount),
            CreationTimestamp = created,
            Age = created is { } time ? clock - time.ToUniversalTime() : null,
            Pod = pod,
        };
    }

    private static RcloneSidecar WithStatus(RcloneSidecar sidecar, V1Pod pod)
    {
        var statuses = sidecar.Native ? pod.Status?.InitContainerStatuses : pod.Status?.ContainerStatuses;
        var status = statuses?.FirstOrDefault(candidate => candidate.Name == sidecar.Container);
        if (status is null)
        {
            return sidecar;
        }
        var state = status.State?.Running is not null ? "Running"
            : status.State?.Waiting?.Reason ?? status.State?.Terminated?.Reason ?? (status.State?.Terminated is not null ? "Terminated" : null);
        return sidecar with { Ready = status.Ready, State = state, Restarts = status.RestartCount };
    }

    // The Deployment behind a pod: its ReplicaSet owner minus the pod-template-hash suffix.
    // Other controllers (StatefulSet, DaemonSet, Job) own the pod directly.
    public static string? OwningWorkload(V1Pod pod)
    {
        var owner = pod.Metadata?.OwnerReferences?.FirstOrDefault(reference => reference.Controller == true)
            ?? pod.Metadata?.OwnerReferences?.FirstOrDefault();
        if (owner is null)
        {
            return null;
        }
        if (owner.Kind == "ReplicaSet")
        {
            var hash = pod.Metadata?.Labels?.TryGetValue(PodTemplateHashLabel, out var value) == true ? value : null;
            if (hash is not null && owner.Name.EndsWith("-" + hash, StringComparison.Ordinal))
            {
                return owner.Name[..^(hash.Length + 1)];
            }
            var dash = owner.Name.LastIndexOf('-');
            return dash > 0 ? owner.Name[..dash] : owner.Name;
        }
        return owner.Name;
    }
}
