using System.Text.Json.Nodes;
using MediaStack.Core.Config;
using MediaStack.Core.Pods;

namespace MediaStack.Core.Diagnosis.Workload;

// A pod template (from a Deployment) or a pod, with every container given its role. The
// app container is found the right way (annotation, name, mount root), never containers[0].
public sealed class PodSpecView
{
    public const string DefaultContainerAnnotation = AppContainerRule.DefaultContainerAnnotation;

    public PodSpecView(JsonObject metadata, JsonObject spec, string specPath, string? workloadName, MediaStackConfig config)
    {
        Metadata = metadata;
        Spec = spec;
        SpecPath = specPath;
        Config = config;
        var containers = new List<ContainerView>();
        AddContainers(containers, "initContainers", isInit: true);
        AddContainers(containers, "containers", isInit: false);
        Containers = containers;
        foreach (var container in containers)
        {
            container.Role =
                container.Rclone is not null && (!container.IsInit || container.IsNativeSidecar) ? ContainerRole.RcloneSidecar
                : container.IsInit && !container.IsNativeSidecar && container.Scripts().Any(script => script.Text.Contains("mkdir", StringComparison.Ordinal)) ? ContainerRole.InitDirs
                : ContainerRole.Other;
        }
        App = FindApp(workloadName);
        if (App is not null)
        {
            App.Role = ContainerRole.App;
        }
    }

    public JsonObject Metadata { get; }

    public JsonObject Spec { get; }

    // JSON path of the pod spec, e.g. spec.template.spec (Deployment) or spec (pod).
    public string SpecPath { get; }

    public MediaStackConfig Config { get; }

    public IReadOnlyList<ContainerView> Containers { get; }

    public ContainerView? App { get; }

    public IEnumerable<ContainerView> Sidecars => Containers.Where(container => container.Role == ContainerRole.RcloneSidecar);

    public IEnumerable<ContainerView> InitDirs => Containers.Where(container => container.Role == ContainerRole.InitDirs);

    public string? ServiceAccount => Spec["serviceAccountName"]?.GetValue<string>() ?? Spec["serviceAccount"]?.GetValue<string>();

    public string? Label(string key) => Metadata["labels"]?[key]?.GetValue<string>();

    public string? Annotation(string key) => Metadata["annotations"]?[key]?.GetValue<string>();

    // The sidecar serving a configured mount: named rclone-<name>, else mounting its path.
    public ContainerView? SidecarFor(RcloneMount mount) =>
        Sidecars.FirstOrDefault(container => container.Name == mount.ContainerName)
        ?? Sidecars.FirstOrDefault(container => SamePath(container.Rclone!.MountPoint, mount.MountPath));

    // Does the pod touch the stack at all (mount root or an rclone sidecar)?
    public bool IsMediaWorkload => Sidecars.Any() || Containers.Any(container => !container.IsInit && container.MountCovering(Config.MountRoot) is not null);

    // Only rclone containers and no app: the legacy standalone pattern.
    public bool IsStandaloneRclone => Sidecars.Any() && Containers.Where(c => !c.IsInit).All(c => c.Role == ContainerRole.RcloneSidecar);

    public IEnumerable<JsonObject> Volumes => (Spec["volumes"] as JsonArray ?? []).OfType<JsonObject>();

    public JsonObject? Volume(string name) => Volumes.FirstOrDefault(volume => volume["name"]?.GetValue<string>() == name);

    public static bool SamePath(string left, string right) => left.TrimEnd('/') == right.TrimEnd('/');

    private void AddContainers(List<ContainerView> into, string key, bool isInit)
    {
        if (Spec[key] is not JsonArray array)
        {
            return;
        }
        for (var i = 0; i < array.Count; i++)
        {
            if (array[i] is JsonObject json)
            {
                into.Add(new ContainerView(json, $"{SpecPath}.{key}[{i}]", isInit));
            }
        }
    }

    // AppContainerRule; without a container mounting the mount root, a lone candidate (or
    // any, when the pod has no rclone sidecar) is taken, but not one of several next to sidecars.
    private ContainerView? FindApp(string? workloadName)
    {
        var regular = Containers.Where(c => !c.IsInit).ToList();
        var candidates = regular.Select(c => new AppContainerRule.Candidate(
            c.Name,
            c.Role != ContainerRole.Other || ContainerRoles.IsKnownSidecar(c.Name, c.Json["image"]?.GetValue<string>()),
            c.MountCovering(Config.MountRoot) is not null)).ToList();
        var (name, _) = AppContainerRule.Find(
            candidates,
            Annotation(DefaultContainerAnnotation),
            [(workloadName, "workload"), (Label("app"), "app label"), (Label("app.kubernetes.io/name"), "app.kubernetes.io/name label")],
            requireMountRoot: Sidecars.Any() && candidates.Count(c => !c.IsSidecar) > 1);
        return regular.FirstOrDefault(c => c.Name == name);
    }
}
