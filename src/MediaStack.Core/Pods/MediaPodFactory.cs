using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using MediaStack.Core.Config;
using MediaStack.Core.Workloads;

namespace MediaStack.Core.Pods;

// V1Pod (typed, or JSON as the API serves it) -> MediaPod, through the workload model.
public static class MediaPodFactory
{
    public const string AppLabel = "app";
    public const string PodTemplateHashLabel = "pod-template-hash";

    public static MediaPod FromJson(string json, MediaStackConfig config, DateTime? now = null) =>
        FromPod(KubernetesJson.Deserialize<V1Pod>(json), config, now);

    public static MediaPod FromPod(V1Pod pod, MediaStackConfig config, DateTime? now = null)
    {
        var labels = pod.Metadata?.Labels;
        var appLabel = labels?.TryGetValue(AppLabel, out var label) == true ? label : null;
        var nameLabel = labels?.TryGetValue("app.kubernetes.io/name", out var name) == true ? name : null;
        var (owner, ownerKind) = Owner(pod);
        var workload = Workload.FromPod(ModelJson(pod), owner, config);
        var statuses = pod.Status?.ContainerStatuses ?? [];
        var created = pod.Metadata?.CreationTimestamp;
        var clock = now ?? DateTime.UtcNow;
        return new MediaPod
        {
            Name = pod.Metadata?.Name ?? "",
            Namespace = pod.Metadata?.NamespaceProperty ?? "",
            Node = pod.Spec?.NodeName,
            Phase = pod.Status?.Phase ?? "Unknown",
            App = owner ?? appLabel ?? nameLabel,
            OwnerKind = ownerKind,
            RcloneSidecars = workload.RcloneMounts.Select(container => WithStatus(container, pod)).ToList(),
            Ready = $"{statuses.Count(status => status.Ready)}/{pod.Spec?.Containers?.Count ?? 0}",
            Restarts = statuses.Sum(status => status.RestartCount)
                + (pod.Status?.InitContainerStatuses ?? []).Where(status => workload.Container(status.Name)?.IsNativeSidecar == true).Sum(status => status.RestartCount),
            CreationTimestamp = created,
            Age = created is { } time ? clock - time.ToUniversalTime() : null,
            Workload = workload,
            Pod = pod,
        };
    }

    // The parts of the pod the model reads (metadata and spec; the status stays typed).
    private static JsonObject ModelJson(V1Pod pod) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "Pod",
        ["metadata"] = JsonNode.Parse(KubernetesJson.Serialize(pod.Metadata ?? new V1ObjectMeta())),
        ["spec"] = JsonNode.Parse(KubernetesJson.Serialize(pod.Spec ?? new V1PodSpec())),
    };

    private static RcloneSidecar WithStatus(WorkloadContainer container, V1Pod pod)
    {
        var sidecar = new RcloneSidecar(container.Name, container.Rclone?.Remote, container.Rclone?.MountPoint, container.IsNativeSidecar);
        var statuses = container.IsInit ? pod.Status?.InitContainerStatuses : pod.Status?.ContainerStatuses;
        var status = statuses?.FirstOrDefault(candidate => candidate.Name == container.Name);
        if (status is null)
        {
            return sidecar;
        }
        return sidecar with { Ready = status.Ready, State = StateOf(status), Restarts = status.RestartCount };
    }

    // Running, or the waiting / terminated reason.
    public static string? StateOf(V1ContainerStatus status) =>
        status.State?.Running is not null ? "Running"
        : status.State?.Waiting?.Reason ?? status.State?.Terminated?.Reason ?? (status.State?.Terminated is not null ? "Terminated" : null);

    // The workload behind a pod and its kind: a Deployment through its ReplicaSet (the owner's
    // name minus the pod-template-hash suffix), else the controller that owns the pod directly.
    public static (string? Name, string? Kind) Owner(V1Pod pod)
    {
        var owner = pod.Metadata?.OwnerReferences?.FirstOrDefault(reference => reference.Controller == true)
            ?? pod.Metadata?.OwnerReferences?.FirstOrDefault();
        if (owner is null)
        {
            return (null, null);
        }
        if (owner.Kind == "ReplicaSet")
        {
            var hash = pod.Metadata?.Labels?.TryGetValue(PodTemplateHashLabel, out var value) == true ? value : null;
            if (hash is not null && owner.Name.EndsWith("-" + hash, StringComparison.Ordinal))
            {
                return (owner.Name[..^(hash.Length + 1)], "Deployment");
            }
            var dash = owner.Name.LastIndexOf('-');
            return (dash > 0 ? owner.Name[..dash] : owner.Name, "Deployment");
        }
        return (owner.Name, owner.Kind);
    }

    public static string? OwningWorkload(V1Pod pod) => Owner(pod).Name;
}
