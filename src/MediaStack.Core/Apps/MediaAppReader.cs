using System.Text.Json.Nodes;
using MediaStack.Core.Config;
using MediaStack.Core.Manifests;
using MediaStack.Core.Workloads;

namespace MediaStack.Core.Apps;

// A workload (live from the cluster, or a document of a manifest file) -> MediaApp, plus a
// summary of its sidecar setup that tells at a glance what is wrong with it. Every fact comes
// from the workload model.
public static class MediaAppReader
{
    public const string ClusterSource = "Cluster";
    public const string FileSource = "File";
    public const string PipelineSource = "Pipeline";

    public static (MediaApp App, DeploymentSummary Summary) FromResource(JsonObject resource, MediaStackConfig config, string source, string? path = null) =>
        FromWorkload(Workload.From(resource, config), config, source, path);

    public static (MediaApp App, DeploymentSummary Summary) FromWorkload(Workload workload, MediaStackConfig config, string source, string? path = null)
    {
        var app = workload.App;
        var mediaApp = new MediaApp
        {
            Name = workload.Name,
            Namespace = workload.Namespace ?? config.Namespace,
            Zone = workload.Label("zone"),
            Image = app?.Image,
            Port = app?.Json["ports"]?[0]?["containerPort"] is JsonValue port && port.TryGetValue<int>(out var number) ? number : null,
            ServiceAccount = workload.ServiceAccount,
            SidecarMode = workload.SidecarMode,
            Mounts = workload.ExpectedMounts.Where(mount => mount.Sidecar is not null && mount.Configured is not null).Select(mount => mount.Configured!).ToList(),
            Deployment = workload.Resource,
            Workload = workload,
            Source = source,
            Path = path,
        };
        return (mediaApp, Summarize(workload));
    }

    private static DeploymentSummary Summarize(Workload workload)
    {
        var status = workload.Resource["status"];
        // A DaemonSet has no replicas: it wants one pod on each node it fits.
        var (ready, desired) = workload.ResourceKind switch
        {
            "DaemonSet" => ((int?)status?["numberReady"] ?? 0, (int?)status?["desiredNumberScheduled"] ?? 0),
            "Pod" => ((int?)status?["readyReplicas"] ?? 0, 1),
            _ => ((int?)status?["readyReplicas"] ?? 0, (int?)workload.Resource["spec"]?["replicas"] ?? 1),
        };
        var sidecars = workload.RcloneMounts.ToList();
        var appPropagation = workload.AppMediaMount is { } appMount ? WorkloadContainer.Propagation(appMount.Mount) : null;
        var unprivileged = sidecars.Where(sidecar => !sidecar.Privileged).Select(sidecar => sidecar.Name).ToList();
        var notBidirectional = sidecars
            .Where(sidecar => sidecar.MountCovering(sidecar.Rclone!.MountPoint) is not { } covering || WorkloadContainer.Propagation(covering.Mount) != "Bidirectional")
            .Select(sidecar => sidecar.Name).ToList();
        var unserved = workload.ExpectedMounts.Where(mount => !mount.IsServed).Select(mount => mount.Name).ToList();
        var parts = new List<string>();
        switch (workload.Kind)
        {
            case WorkloadKind.MediaApp when sidecars.Count == 0 && workload.ExpectedMounts.Any(mount => mount.ServedByNode):
                parts.Add($"node-level mounts through {workload.MediaVolume}");
                parts.Add($"app {appPropagation ?? "None"}");
                break;
            case WorkloadKind.MediaApp when sidecars.Count == 0:
                parts.Add("no rclone sidecars");
                break;
            case WorkloadKind.MediaApp:
                var mode = sidecars.All(sidecar => sidecar.IsNativeSidecar) ? "native" : sidecars.Any(sidecar => sidecar.IsNativeSidecar) ? "mixed" : "classic";
                parts.Add($"{mode}: {string.Join(", ", sidecars.Select(sidecar => sidecar.Rclone!.Remote.TrimEnd(':')))}");
                parts.Add($"app {appPropagation ?? "no media mount"}");
                if (unprivileged.Count > 0)
                {
                    parts.Add($"not privileged: {string.Join(", ", unprivileged)}");
                }
                if (notBidirectional.Count > 0)
                {
                    parts.Add($"not Bidirectional: {string.Join(", ", notBidirectional)}");
                }
                break;
            case WorkloadKind.StandaloneRclone:
                parts.Add($"legacy standalone rclone ({workload.KindReason})");
                break;
            case WorkloadKind.NodeMountProvider:
                parts.Add($"node-level mount provider ({workload.KindReason})");
                break;
            case WorkloadKind.Gateway:
                parts.Add($"gateway ({workload.KindReason})");
                break;
            default:
                parts.Add("not a media workload");
                break;
        }
        if (workload.Kind == WorkloadKind.MediaApp && unserved.Count > 0)
        {
            parts.Add($"no sidecar for: {string.Join(", ", unserved)}");
        }
        var healthy = workload.Kind == WorkloadKind.MediaApp
            && unserved.Count == 0 && unprivileged.Count == 0 && notBidirectional.Count == 0 && appPropagation == "HostToContainer";
        return new DeploymentSummary(workload.App?.Name, $"{ready}/{desired}", string.Join("; ", parts), appPropagation,
            sidecars.Select(sidecar => sidecar.Name).ToList(), healthy);
    }
}

// AppContainer: found the right way (never containers[0]). Ready: ready/desired replicas.
// SidecarSetup: one line, e.g. "classic: zurg, torbox; app HostToContainer".
// Healthy: every expected mount served, sidecars privileged and Bidirectional, the app
// HostToContainer.
public sealed record DeploymentSummary(
    string? AppContainer,
    string Ready,
    string SidecarSetup,
    string? AppPropagation,
    IReadOnlyList<string> RcloneSidecars,
    bool SidecarSetupHealthy);
