using System.Text.Json;
using System.Text.Json.Nodes;
using MediaStack.Core.Config;
using MediaStack.Core.Errors;
using MediaStack.Core.Sidecars;

namespace MediaStack.Core.Workloads;

// One workload as the media stack sees it: the pod spec of a Deployment, StatefulSet,
// DaemonSet, ReplicaSet or bare Pod (live, from a file, or rendered text). It is the one place
// that decides what the workload is, which container is the app, what every other container
// does, which volume is the media volume and which mounts the app expects and what serves
// them. Readers, the probe, the rules and the change planner all ask it; none decides on its own.
public sealed class Workload
{
    public const string Containers = "containers";
    public const string InitContainers = "initContainers";

    // Narrows the mounts an app expects: "zurg,torbox", or "none" to opt out.
    public const string MountsAnnotation = "mediastack.io/mounts";

    public static readonly IReadOnlySet<string> ResourceKinds =
        new HashSet<string>(StringComparer.Ordinal) { "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Pod" };

    private readonly List<WorkloadContainer> _containers = [];

    private Workload(JsonObject resource, string resourceKind, MediaStackConfig config)
    {
        Resource = resource;
        ResourceKind = resourceKind;
        Config = config;
        var isPod = resourceKind == "Pod";
        SpecPath = isPod ? "spec" : "spec.template.spec";
        SpecPointer = isPod ? "/spec" : "/spec/template/spec";
        Metadata = resource["metadata"] as JsonObject ?? [];
        PodMetadata = isPod ? Metadata : resource["spec"]?["template"]?["metadata"] as JsonObject ?? [];
        PodSpec = (isPod ? resource["spec"] : resource["spec"]?["template"]?["spec"]) as JsonObject ?? [];
        Name = WorkloadContainer.Text(Metadata["name"]) ?? "";
        Namespace = WorkloadContainer.Text(Metadata["namespace"]);
    }

    public JsonObject Resource { get; }

    // Deployment, StatefulSet, DaemonSet, ReplicaSet or Pod.
    public string ResourceKind { get; }

    public string Name { get; }

    public string? Namespace { get; }

    public JsonObject Metadata { get; }

    // The pod template's metadata (a Pod's own for a Pod).
    public JsonObject PodMetadata { get; }

    public JsonObject PodSpec { get; }

    // Where the pod spec sits: spec.template.spec (JSON path) and /spec/template/spec (pointer).
    public string SpecPath { get; }

    public string SpecPointer { get; }

    public MediaStackConfig Config { get; }

    public WorkloadKind Kind { get; private set; }

    // One line: why Kind was decided so.
    public string KindReason { get; private set; } = "";

    // Init containers first, then containers, each with its role.
    public IReadOnlyList<WorkloadContainer> AllContainers => _containers;

    public WorkloadContainer? App { get; private set; }

    public string AppReason { get; private set; } = "";

    // The app container was picked among several that nothing tells apart (AppReason says
    // which): good enough to look through, never to edit.
    public bool AppIsGuess { get; private set; }

    public MediaVolume? MediaVolume { get; private set; }

    // The volume sidecars mount into: the app's media volume, else (a workload that has none
    // yet) the config's shared volume, which a change then adds.
    public string MediaVolumeName => MediaVolume?.Name ?? Config.SharedVolume;

    // Where the containers that create mounts see the media volume (the sidecars' side).
    public string? MediaRoot { get; private set; }

    public IReadOnlyList<ExpectedMount> ExpectedMounts { get; private set; } = [];

    // The app container's mount of the media volume (not a subPath of it), if it has one.
    public (JsonObject Mount, int Index)? AppMediaMount =>
        App is not null && MediaVolume is { } media
            ? App.MountsOf(media.Name).Where(mount => mount.Mount["subPath"] is null && mount.Mount["subPathExpr"] is null).Cast<(JsonObject, int)?>().FirstOrDefault()
            : null;

    // Why some configured mounts are not expected (annotation or config), for -Verbose.
    public string? MountsNarrowedBy { get; private set; }

    // The rclone mount containers: the sidecars of a media app, or the whole standalone pod.
    public IEnumerable<WorkloadContainer> RcloneMounts => _containers.Where(container => container.Role == ContainerRole.RcloneMount);

    // Needs a privileged SCC or Pod Security level: FUSE mounts, or any privileged container.
    public bool NeedsPrivilege => RcloneMounts.Any() || _containers.Any(container => container.Privileged);

    public IEnumerable<WorkloadContainer> InitDirs => _containers.Where(container => container.Role == ContainerRole.InitDirs);

    // serviceAccountName, else the deprecated serviceAccount the API server still maps to it.
    public string ServiceAccount =>
        WorkloadContainer.Text(PodSpec["serviceAccountName"]) is { Length: > 0 } name ? name
        : WorkloadContainer.Text(PodSpec["serviceAccount"]) is { Length: > 0 } deprecated ? deprecated
        : "default";

    // Native when the rclone sidecars are init containers, Classic when regular, null when none.
    public SidecarMode? SidecarMode =>
        Kind != WorkloadKind.MediaApp || !RcloneMounts.Any() ? null
        : RcloneMounts.Any(container => container.IsNativeSidecar) ? Sidecars.SidecarMode.Native
        : Sidecars.SidecarMode.Classic;

    public IEnumerable<JsonObject> Volumes => (PodSpec["volumes"] as JsonArray ?? []).OfType<JsonObject>();

    public JsonObject? Volume(string name) => Volumes.FirstOrDefault(volume => WorkloadContainer.Text(volume["name"]) == name);

    // The pod template's label (a Pod's own), else the workload's.
    public string? Label(string key) =>
        WorkloadContainer.Text(PodMetadata["labels"]?[key]) ?? WorkloadContainer.Text(Metadata["labels"]?[key]);

    public string? Annotation(string key) =>
        WorkloadContainer.Text(PodMetadata["annotations"]?[key]) ?? WorkloadContainer.Text(Metadata["annotations"]?[key]);

    public WorkloadContainer? Container(string name) => _containers.FirstOrDefault(container => container.Name == name);

    // The expected mount a sidecar serves, if any.
    public ExpectedMount? MountServedBy(WorkloadContainer sidecar) => ExpectedMounts.FirstOrDefault(mount => mount.Sidecar == sidecar);

    public ExpectedMount? ExpectedMount(string name) => ExpectedMounts.FirstOrDefault(mount => mount.Name == name);

    public static bool IsWorkload(JsonObject document) =>
        WorkloadContainer.Text(document["kind"]) is { } kind && ResourceKinds.Contains(kind);

    public static bool SamePath(string left, string right) => left.TrimEnd('/') == right.TrimEnd('/');

    public override string ToString() => $"{ResourceKind.ToLowerInvariant()}/{Name} ({Kind})";

    // Builds the model of a Deployment, StatefulSet, DaemonSet, ReplicaSet or Pod. A document
    // of the wrong shape (metadata a list, containers a mapping, no name ...) is a
    // WorkloadShapeException naming the field; nothing here throws anything else.
    // appContainer names the app when the model cannot tell it (-AppContainer); it must be a
    // regular container of the pod (callers check).
    public static Workload From(JsonObject resource, MediaStackConfig config, string? appContainer = null)
    {
        var kind = WorkloadContainer.Text(resource["kind"]) ?? "Deployment";
        if (!ResourceKinds.Contains(kind))
        {
            throw new WorkloadShapeException("kind", $"'{kind}' is not a Deployment, StatefulSet, DaemonSet, ReplicaSet or Pod", WorkloadContainer.Text(WorkloadContainer.At(resource, "metadata", "name")));
        }
        WorkloadShape.Check(resource, kind);
        var workload = new Workload(resource, kind, config) { _appHint = appContainer };
        workload.Classify();
        return workload;
    }

    // A live pod read through its own spec (an older ReplicaSet's pod can differ from the
    // template); owner names the workload that runs it, for the app-container rule.
    public static Workload FromPod(JsonObject pod, string? owner, MediaStackConfig config)
    {
        WorkloadShape.Check(pod, "Pod");
        var workload = new Workload(pod, "Pod", config) { _owner = owner };
        workload.Classify();
        return workload;
    }

    private string? _owner;
    private string? _appHint;

    private void Classify()
    {
        AddContainers(InitContainers);
        AddContainers(Containers);
        foreach (var container in _containers)
        {
            container.Role = IntrinsicRole(container);
        }
        FindApp();
        FindMediaVolume();
        foreach (var container in _containers.Where(container => container.IsInit && !container.IsNativeSidecar && container.Role == ContainerRole.Other))
        {
            if (CreatesMountPoints(container))
            {
                container.Role = ContainerRole.InitDirs;
            }
        }
        DecideKind();
        if (Kind == WorkloadKind.MediaApp)
        {
            ExpectedMounts = FindExpectedMounts();
        }
    }

    private void AddContainers(string list)
    {
        if (PodSpec[list] is not JsonArray array)
        {
            return;
        }
        for (var i = 0; i < array.Count; i++)
        {
            if (array[i] is JsonObject json)
            {
                _containers.Add(new WorkloadContainer(json, list, i, SpecPath, SpecPointer));
            }
        }
    }

    // What a container is by what it runs, before the app is chosen among the rest.
    private static ContainerRole IntrinsicRole(WorkloadContainer container)
    {
        if (!container.IsLongRunning)
        {
            return ContainerRole.Other;
        }
        if (container.Rclone is not null)
        {
            return ContainerRole.RcloneMount;
        }
        if (container.RunsRcloneServe || KnownContainers.IsServerImage(container.Name, container.Image))
        {
            return ContainerRole.Server;
        }
        if (container.IsNativeSidecar || KnownContainers.IsHelper(container.Name, container.Image)
            || KnownContainers.IsRcloneImage(container.Image))
        {
            return ContainerRole.Helper;
        }
        return ContainerRole.Other;
    }

    // Does this container see where the rclone mounts land: the configured mount root, or a
    // volume an rclone container of the pod mounts into?
    private bool SeesMediaRoot(WorkloadContainer container) =>
        container.MountCovering(Config.MountRoot) is not null
        || RcloneMounts.Any(sidecar => SidecarVolume(sidecar) is { } volume && container.MountsOf(volume).Any(mount => mount.Mount["subPath"] is null));

    // The volume an rclone container mounts into (the one holding its mount point).
    private static string? SidecarVolume(WorkloadContainer sidecar) =>
        sidecar.Rclone is { } line && sidecar.MountCovering(line.MountPoint) is { } covering
            ? WorkloadContainer.Text(covering.Mount["name"])
            : null;

    private void FindApp()
    {
        if (_appHint is not null && _containers.FirstOrDefault(container => !container.IsInit && container.Name == _appHint) is { } named)
        {
            App = named;
            AppReason = "named by -AppContainer";
            App.Role = ContainerRole.App;
            return;
        }
        var candidates = _containers.Where(container => !container.IsInit && container.Role == ContainerRole.Other).ToList();
        var labels = new (string? Name, string Source)[]
        {
            (_owner ?? (ResourceKind == "Pod" ? null : Name), ResourceKind == "Pod" ? "owning workload" : ResourceKind),
            (Label("app"), "app label"),
            (Label("app.kubernetes.io/name"), "app.kubernetes.io/name label"),
        };
        var choice = AppContainerRule.Find(
            candidates.Select(container => new AppContainerRule.Candidate(container.Name, SeesMediaRoot(container))).ToList(),
            Annotation(AppContainerRule.DefaultContainerAnnotation),
            labels);
        App = candidates.FirstOrDefault(container => container.Name == choice.Name);
        AppReason = choice.Reason;
        AppIsGuess = choice.IsGuess;
        if (App is not null)
        {
            App.Role = ContainerRole.App;
        }
    }

    // The app's volume at the media root; else the volume the rclone containers mount into
    // (an app that does not mount it yet, or a pod of rclone only).
    private void FindMediaVolume()
    {
        string? volume = null;
        string? root = null;
        if (App?.MountCovering(Config.MountRoot) is { } covering)
        {
            volume = WorkloadContainer.Text(covering.Mount["name"]);
            root = Config.MountRoot;
        }
        else if (App is not null && RcloneMounts.Select(sidecar => (Sidecar: sidecar, Volume: SidecarVolume(sidecar)))
                     .FirstOrDefault(pair => pair.Volume is not null && App.MountsOf(pair.Volume).Any(mount => mount.Mount["subPath"] is null)) is { Volume: not null } match)
        {
            volume = match.Volume;
            root = WorkloadContainer.Text(match.Sidecar.MountCovering(match.Sidecar.Rclone!.MountPoint)!.Value.Mount["mountPath"]);
        }
        else if (RcloneMounts.Select(sidecar => (Sidecar: sidecar, Volume: SidecarVolume(sidecar))).FirstOrDefault(pair => pair.Volume is not null) is { Volume: { } mounted } first)
        {
            volume = mounted;
            root = WorkloadContainer.Text(first.Sidecar.MountCovering(first.Sidecar.Rclone!.MountPoint)!.Value.Mount["mountPath"]);
        }
        if (volume is null)
        {
            return;
        }
        var volumes = Volumes.ToList();
        var index = volumes.FindIndex(candidate => WorkloadContainer.Text(candidate["name"]) == volume);
        MediaVolume = new MediaVolume(volume, index >= 0 ? volumes[index] : null, index >= 0 ? index : null);
        MediaRoot = root?.TrimEnd('/') is { Length: > 0 } trimmed ? trimmed : root;
    }

    // An init container that runs mkdir where the mounts land (the media volume, or a volume
    // an rclone container mounts into): it makes the mount points.
    private bool CreatesMountPoints(WorkloadContainer container) =>
        container.Scripts().Any(script => script.Text.Contains("mkdir", StringComparison.Ordinal))
        && (container.MountCovering(Config.MountRoot) is not null
            || (MediaVolume is { } media && container.MountsOf(media.Name).Any())
            || RcloneMounts.Any(sidecar => SidecarVolume(sidecar) is { } volume && container.MountsOf(volume).Any()));

    private void DecideKind()
    {
        var rclone = RcloneMounts.ToList();
        var servers = _containers.Where(container => container.Role == ContainerRole.Server).ToList();
        if (App is not null && (rclone.Count > 0 || SeesMediaRoot(App)))
        {
            Kind = WorkloadKind.MediaApp;
            KindReason = rclone.Count > 0
                ? $"app container {App.Name} with {rclone.Count} rclone mount sidecar(s)"
                : $"app container {App.Name} reads {MediaRoot ?? Config.MountRoot}";
        }
        else if (servers.Count > 0)
        {
            Kind = WorkloadKind.Gateway;
            KindReason = $"{servers[0].Name} serves the cloud to other pods ({(servers[0].RunsRcloneServe ? "rclone serve" : servers[0].Image)}) and mounts nothing for an app";
        }
        else if (rclone.Count > 0 && App is null)
        {
            var line = rclone[0].Rclone!;
            if (ResourceKind == "DaemonSet")
            {
                Kind = WorkloadKind.NodeMountProvider;
                KindReason = $"DaemonSet mounting {line.Remote} at {line.MountPoint} on every node it runs on";
            }
            else
            {
                Kind = WorkloadKind.StandaloneRclone;
                KindReason = $"only rclone mounts ({line.Remote} at {line.MountPoint}) and no app: the mount reaches no other pod";
            }
        }
        else
        {
            Kind = WorkloadKind.Unrelated;
            KindReason = App is null
                ? "no app container"
                : $"{App.Name} does not mount {Config.MountRoot} and the pod runs no rclone mount";
        }
    }

    private IReadOnlyList<ExpectedMount> FindExpectedMounts()
    {
        var sidecars = RcloneMounts.ToList();
        var configuredLayout = App!.MountCovering(Config.MountRoot) is not null
            || sidecars.Any(sidecar => sidecar.Rclone!.MountPoint.StartsWith(Config.MountRoot.TrimEnd('/') + "/", StringComparison.Ordinal));
        var served = new HashSet<WorkloadContainer>();
        var mounts = new List<ExpectedMount>();
        if (configuredLayout)
        {
            var wanted = WantedMountNames();
            foreach (var configured in Config.Mounts)
            {
                var sidecar = sidecars.FirstOrDefault(candidate => !served.Contains(candidate) && SamePath(candidate.Rclone!.MountPoint, configured.MountPath))
                    ?? sidecars.FirstOrDefault(candidate => !served.Contains(candidate) && candidate.Name == configured.ContainerName);
                if (sidecar is null && wanted is not null && !wanted.Contains(configured.Name))
                {
                    continue;
                }
                if (sidecar is not null)
                {
                    served.Add(sidecar);
                }
                mounts.Add(Workloads.ExpectedMount.From(configured, AppPath(sidecar, configured.MountPath)) with
                {
                    Sidecar = sidecar,
                    ServedByNode = sidecar is null && MediaVolume is { IsHostPath: true },
                });
            }
        }
        foreach (var sidecar in sidecars.Where(candidate => !served.Contains(candidate)))
        {
            var line = sidecar.Rclone!;
            // Named after its remote (realdebrid: -> realdebrid), as the config names mounts.
            var remote = line.Remote.Split(':')[0];
            var name = Dns1123Name(remote) ?? sidecar.Name;
            if (mounts.Any(mount => mount.Name == name))
            {
                name = $"{name}-{sidecar.Index}";
            }
            mounts.Add(Workloads.ExpectedMount.Unconfigured(name, AppPath(sidecar, line.MountPoint)) with { Sidecar = sidecar });
        }
        return mounts;
    }

    // The configured mounts this workload's app should have: every one, narrowed by the
    // annotation or the config's AppMounts (for a workload that has none yet, too).
    public IReadOnlyList<RcloneMount> WantedConfiguredMounts()
    {
        var wanted = WantedMountNames();
        return Config.Mounts.Where(mount => wanted is null || wanted.Contains(mount.Name)).ToList();
    }

    // The annotation, else the config's entry for this workload; null: every configured mount.
    private IReadOnlySet<string>? WantedMountNames()
    {
        if (Annotation(MountsAnnotation) is { } annotation)
        {
            MountsNarrowedBy = $"annotation {MountsAnnotation}={annotation}";
            return annotation.Trim() is "none" or ""
                ? new HashSet<string>()
                : annotation.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);
        }
        if (Config.AppMounts?.TryGetValue(Name, out var names) == true && names is not null)
        {
            MountsNarrowedBy = $"config AppMounts.{Name}";
            return names.ToHashSet(StringComparer.Ordinal);
        }
        return null;
    }

    private static string? Dns1123Name(string text)
    {
        var name = new string(text.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-').ToArray()).Trim('-');
        return name.Length is > 0 and <= 56 ? name : null;
    }

    // Where the app sees a path that its sidecar (or the config) names: the app may mount the
    // media volume somewhere else than the sidecars do.
    private string AppPath(WorkloadContainer? sidecar, string path)
    {
        if (App is null)
        {
            return path;
        }
        if (sidecar is not null)
        {
            return PathIn(sidecar, path, App) ?? path;
        }
        // A configured mount without a sidecar: relative to the media root the sidecars use.
        if (MediaRoot is { } root && AppMediaMount is { } appMount && WorkloadContainer.Text(appMount.Mount["mountPath"]) is { } appRoot
            && (path == root || path.StartsWith(root + "/", StringComparison.Ordinal)))
        {
            return appRoot.TrimEnd('/') + path[root.Length..];
        }
        return path;
    }

    // Where `other` sees a path that `container` sees: through the volume that holds it in
    // `container`, mounted (without subPath) in `other` as well. Null when `other` does not
    // mount that volume.
    public static string? PathIn(WorkloadContainer container, string path, WorkloadContainer other)
    {
        if (container.MountCovering(path) is not { } covering || WorkloadContainer.Text(covering.Mount["name"]) is not { } volume)
        {
            return null;
        }
        var from = (WorkloadContainer.Text(covering.Mount["mountPath"]) ?? "").TrimEnd('/');
        var to = other.MountsOf(volume).Where(mount => mount.Mount["subPath"] is null)
            .Select(mount => WorkloadContainer.Text(mount.Mount["mountPath"])).FirstOrDefault(mountPath => mountPath is not null);
        return to is null ? null : to.TrimEnd('/') + path.TrimEnd('/')[from.Length..];
    }
}

// A workload document whose shape the API server would refuse: Field is the JSON path.
public sealed class WorkloadShapeException(string field, string problem, string? name)
    : MediaStackException(ErrorIds.InvalidWorkloadShape, ErrorCategory.InvalidData,
        $"{(name is { Length: > 0 } ? $"'{name}': " : "")}{field} {problem}.", name ?? field,
        "Fix the manifest (kubectl apply --dry-run=server would refuse it too); the other documents are still read.")
{
    public string Field { get; } = field;
}

// The parts of a workload's shape the model reads; anything else is left to the API server.
internal static class WorkloadShape
{
    public static void Check(JsonObject resource, string kind)
    {
        var name = WorkloadContainer.Text(WorkloadContainer.At(resource, "metadata", "name"));
        void Fail(string field, string problem) => throw new WorkloadShapeException(field, problem, name);
        if (resource["metadata"] is not JsonObject metadata)
        {
            Fail("metadata", Describe(resource["metadata"], "a mapping"));
            return;
        }
        if (name is not { Length: > 0 })
        {
            Fail("metadata.name", metadata["name"] is null ? "is missing" : Describe(metadata["name"], "a name"));
        }
        foreach (var key in new[] { "labels", "annotations" })
        {
            if (metadata[key] is { } value and not JsonObject)
            {
                Fail($"metadata.{key}", Describe(value, "a mapping"));
            }
        }
        var specPath = kind == "Pod" ? "spec" : "spec.template.spec";
        if (resource["spec"] is not JsonObject spec)
        {
            Fail("spec", Describe(resource["spec"], "a mapping"));
            return;
        }
        JsonObject? podSpec = spec;
        if (kind != "Pod")
        {
            if (spec["template"] is not JsonObject template)
            {
                Fail("spec.template", Describe(spec["template"], "a mapping"));
                return;
            }
            if (template["metadata"] is { } templateMetadata and not JsonObject)
            {
                Fail("spec.template.metadata", Describe(templateMetadata, "a mapping"));
            }
            podSpec = template["spec"] as JsonObject;
            if (podSpec is null)
            {
                Fail(specPath, Describe(template["spec"], "a mapping"));
                return;
            }
        }
        if (podSpec["containers"] is not JsonArray)
        {
            Fail($"{specPath}.containers", Describe(podSpec["containers"], "a list"));
        }
        foreach (var list in new[] { Workload.InitContainers, Workload.Containers })
        {
            if (podSpec[list] is null)
            {
                continue;
            }
            if (podSpec[list] is not JsonArray containers)
            {
                Fail($"{specPath}.{list}", Describe(podSpec[list], "a list"));
                return;
            }
            for (var i = 0; i < containers.Count; i++)
            {
                var at = $"{specPath}.{list}[{i}]";
                if (containers[i] is not JsonObject container)
                {
                    Fail(at, Describe(containers[i], "a mapping"));
                    return;
                }
                if (WorkloadContainer.Text(container["name"]) is not { Length: > 0 })
                {
                    Fail($"{at}.name", container["name"] is null ? "is missing" : Describe(container["name"], "a name"));
                }
                foreach (var key in new[] { "command", "args", "volumeMounts" })
                {
                    if (container[key] is { } value and not JsonArray)
                    {
                        Fail($"{at}.{key}", Describe(value, "a list"));
                    }
                }
                foreach (var key in new[] { "command", "args" })
                {
                    var words = container[key] as JsonArray ?? [];
                    for (var j = 0; j < words.Count; j++)
                    {
                        if (words[j] is JsonObject or JsonArray)
                        {
                            // `- zurg:` is a mapping in YAML; the API server refuses it.
                            Fail($"{at}.{key}[{j}]", $"{Describe(words[j], "a string")} (an unquoted word ending in ':' such as zurg: is a mapping in YAML: quote it)");
                        }
                    }
                }
                var mounts = container["volumeMounts"] as JsonArray ?? [];
                for (var j = 0; j < mounts.Count; j++)
                {
                    if (mounts[j] is not JsonObject mount || WorkloadContainer.Text(mount["name"]) is null || WorkloadContainer.Text(mount["mountPath"]) is null)
                    {
                        Fail($"{at}.volumeMounts[{j}]", "is not a mapping with a name and a mountPath");
                    }
                }
                if (container["securityContext"] is { } security and not JsonObject)
                {
                    Fail($"{at}.securityContext", Describe(security, "a mapping"));
                }
            }
        }
        if (podSpec["volumes"] is { } volumes)
        {
            if (volumes is not JsonArray list)
            {
                Fail($"{specPath}.volumes", Describe(volumes, "a list"));
                return;
            }
            for (var i = 0; i < list.Count; i++)
            {
                if (list[i] is not JsonObject volume || WorkloadContainer.Text(volume["name"]) is null)
                {
                    Fail($"{specPath}.volumes[{i}]", "is not a mapping with a name");
                }
            }
        }
    }

    private static string Describe(JsonNode? node, string wanted) => node switch
    {
        null => "is missing",
        JsonArray => $"is a list, not {wanted}",
        JsonObject => $"is a mapping, not {wanted}",
        JsonValue value when value.GetValueKind() == JsonValueKind.String => $"is the text '{Shorten(value.GetValue<string>())}', not {wanted}",
        _ => $"is {node.ToJsonString()}, not {wanted}",
    };

    private static string Shorten(string text) => text.Length > 40 ? text[..40] + "..." : text;
}
