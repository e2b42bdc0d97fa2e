using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using MediaStack.Core.Config;
using MediaStack.Core.Errors;
using MediaStack.Core.Files;
using MediaStack.Core.Manifests;
using MediaStack.Core.Pods;
using MediaStack.Core.Sidecars;
using MediaStack.Core.Yaml;

namespace MediaStack.Core.Apps;

// A Deployment (live from the cluster, or a document of a manifest file) -> MediaApp, plus
// a summary of its sidecar setup that tells at a glance what is wrong with it.
public static class MediaAppReader
{
    public const string ClusterSource = "Cluster";
    public const string FileSource = "File";

    public static (MediaApp App, DeploymentSummary Summary) FromDeployment(JsonObject deployment, MediaStackConfig config, string source, string? path = null)
    {
        var name = (string?)deployment["metadata"]?["name"] ?? "";
        var pod = PodOf(deployment);
        var appLabel = pod.Metadata?.Labels?.TryGetValue(MediaPodFactory.AppLabel, out var label) == true ? label : null;
        var (appName, _) = ContainerRoles.AppContainer(pod, name, appLabel);
        var app = pod.Spec?.Containers?.FirstOrDefault(container => container.Name == appName);
        var native = ContainerRoles.NativeSidecars(pod).Where(ContainerRoles.IsRclone).ToList();
        var classic = (pod.Spec?.Containers ?? []).Where(container => container.Name != appName && ContainerRoles.IsRclone(container)).ToList();
        var described = native.Select(container => (Container: container, Sidecar: ContainerRoles.DescribeRclone(container, true)))
            .Concat(classic.Select(container => (Container: container, Sidecar: ContainerRoles.DescribeRclone(container, false))))
            .ToList();
        var mounts = config.Mounts
            .Where(mount => described.Any(entry => Serves(entry.Sidecar, mount)))
            .ToList();
        var mediaApp = new MediaApp
        {
            Name = name,
            Namespace = (string?)deployment["metadata"]?["namespace"] ?? config.Namespace,
            Zone = (string?)deployment["metadata"]?["labels"]?["zone"] ?? (pod.Metadata?.Labels?.TryGetValue("zone", out var zone) == true ? zone : null),
            Image = app?.Image,
            Port = app?.Ports?.FirstOrDefault()?.ContainerPort,
            ServiceAccount = pod.Spec?.ServiceAccountName ?? "default",
            SidecarMode = native.Count > 0 ? SidecarMode.Native : classic.Count > 0 ? SidecarMode.Classic : null,
            Mounts = mounts,
            Deployment = deployment,
            Source = source,
            Path = path,
        };
        return (mediaApp, Summarize(deployment, config, app, described));
    }

    // Every Deployment in the files (folders are searched for *.yaml and *.yml).
    public static IReadOnlyList<(MediaApp App, DeploymentSummary Summary)> FromFiles(IEnumerable<string> paths, MediaStackConfig config)
    {
        var apps = new List<(MediaApp, DeploymentSummary)>();
        foreach (var file in paths.SelectMany(Expand))
        {
            foreach (var document in YamlReader.ReadFile(file))
            {
                if ((string?)document["kind"] == "Deployment" && document["spec"]?["template"] is JsonObject)
                {
                    apps.Add(FromDeployment(document, config, FileSource, file));
                }
            }
        }
        return apps;
    }

    private static IEnumerable<string> Expand(string path)
    {
        if (Directory.Exists(path))
        {
            return FolderScan.YamlFiles(path, recursive: true);
        }
        if (File.Exists(path))
        {
            return [path];
        }
        throw new MediaStackException(ErrorIds.ManifestPathNotFound, ErrorCategory.ObjectNotFound,
            $"No manifest file or folder at '{path}'.", path, "Give the path of a YAML file or of a folder holding YAML files.");
    }

    private static V1Pod PodOf(JsonObject deployment)
    {
        var template = deployment["spec"]?["template"]?.ToJsonString() ?? "{}";
        var spec = KubernetesJson.Deserialize<V1PodTemplateSpec>(template);
        return new V1Pod { Metadata = spec?.Metadata ?? new V1ObjectMeta(), Spec = spec?.Spec ?? new V1PodSpec() };
    }

    private static bool Serves(RcloneSidecar sidecar, RcloneMount mount) =>
        sidecar.MountPath is { } path
            ? string.Equals(path.TrimEnd('/'), mount.MountPath.TrimEnd('/'), StringComparison.Ordinal)
            : sidecar.Container == mount.ContainerName;

    private static DeploymentSummary Summarize(JsonObject deployment, MediaStackConfig config, V1Container? app, List<(V1Container Container, RcloneSidecar Sidecar)> sidecars)
    {
        var spec = deployment["spec"];
        var status = deployment["status"];
        var desired = (int?)spec?["replicas"] ?? 1;
        var ready = (int?)status?["readyReplicas"] ?? 0;
        var root = config.MountRoot.TrimEnd('/');
        string? Propagation(V1Container? container) =>
            container?.VolumeMounts?.FirstOrDefault(mount => mount.MountPath.TrimEnd('/') == root || root.StartsWith(mount.MountPath.TrimEnd('/') + "/", StringComparison.Ordinal)
                || mount.MountPath.StartsWith(root + "/", StringComparison.Ordinal)) is { } volumeMount
                ? volumeMount.MountPropagation ?? "None"
                : null;

        var appPropagation = Propagation(app);
        var unprivileged = sidecars.Where(entry => entry.Container.SecurityContext?.Privileged != true).Select(entry => entry.Container.Name).ToList();
        var notBidirectional = sidecars.Where(entry => Propagation(entry.Container) != "Bidirectional").Select(entry => entry.Container.Name).ToList();
        var parts = new List<string>();
        if (app is not null && ContainerRoles.IsRclone(app))
        {
            var self = ContainerRoles.DescribeRclone(app, false);
            parts.Add($"standalone rclone ({self.Remote ?? "?"} at {self.MountPath ?? "?"}): its mount reaches no other pod");
        }
        else if (sidecars.Count == 0)
        {
            parts.Add("no rclone sidecars");
        }
        else
        {
            var mode = sidecars.All(entry => entry.Sidecar.Native) ? "native" : sidecars.Any(entry => entry.Sidecar.Native) ? "mixed" : "classic";
            parts.Add($"{mode}: {string.Join(", ", sidecars.Select(entry => entry.Sidecar.Remote?.TrimEnd(':') ?? entry.Container.Name))}");
            parts.Add($"app {appPropagation ?? "no " + root + " mount"}");
            if (unprivileged.Count > 0)
            {
                parts.Add($"not privileged: {string.Join(", ", unprivileged)}");
            }
            if (notBidirectional.Count > 0)
            {
                parts.Add($"not Bidirectional: {string.Join(", ", notBidirectional)}");
            }
        }
        return new DeploymentSummary(
            app?.Name,
            $"{ready}/{desired}",
            string.Join("; ", parts),
            appPropagation,
            sidecars.Select(entry => entry.Container.Name).ToList(),
            unprivileged.Count == 0 && notBidirectional.Count == 0 && appPropagation == "HostToContainer" && sidecars.Count > 0);
    }
}

// AppContainer: found the right way (never containers[0]). Ready: ready/desired replicas.
// SidecarSetup: one line, e.g. "classic: zurg, torbox; app HostToContainer".
// Healthy: sidecars privileged and Bidirectional, the app HostToContainer.
public sealed record DeploymentSummary(
    string? AppContainer,
    string Ready,
    string SidecarSetup,
    string? AppPropagation,
    IReadOnlyList<string> RcloneSidecars,
    bool SidecarSetupHealthy);
