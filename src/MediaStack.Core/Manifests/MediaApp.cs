using System.Text.Json.Nodes;
using MediaStack.Core.Config;
using MediaStack.Core.Sidecars;
using MediaStack.Core.Workloads;

namespace MediaStack.Core.Manifests;

// One media app: its manifests and the facts a person or a script wants at a glance.
// Generated apps hold every part; an app read from the cluster or a file may hold only
// the Deployment (Service, Route, Kustomization and Readme are then null).
public sealed record MediaApp
{
    public const string GeneratedSource = "Generated";

    public required string Name { get; init; }
    public required string Namespace { get; init; }
    public string? Zone { get; init; }
    public string? Image { get; init; }
    public int? Port { get; init; }
    public string? ServiceAccount { get; init; }
    // Generated apps only: the class that chose the default resources.
    public AppClass? Class { get; init; }
    // Null when the app has no sidecars.
    public SidecarMode? SidecarMode { get; init; }
    public IReadOnlyList<RcloneMount> Mounts { get; init; } = [];
    public required JsonObject Deployment { get; init; }
    public JsonObject? Service { get; init; }
    public JsonObject? Route { get; init; }
    public JsonObject? Kustomization { get; init; }
    public string? Readme { get; init; }
    // Where the app came from (Generated, Cluster, File) and, for files, which one.
    public string Source { get; init; } = GeneratedSource;
    public string? Path { get; init; }

    // The model of the workload (what it is, which container is the app, which mounts it
    // expects); readers set it with the stack config in force. A model of another object
    // (a copy made `with` a new Deployment) is not used: the defaults judge the new one.
    private readonly Workload? _workload;

    public Workload Workload
    {
        get => _workload is { } model && ReferenceEquals(model.Resource, Deployment) ? model : Workload.From(Deployment, MediaStackConfig.Default);
        init => _workload = value;
    }

    // Deployment, StatefulSet, DaemonSet, ReplicaSet or Pod.
    public string ResourceKind => Workload.ResourceKind;

    public WorkloadKind Kind => Workload.Kind;

    public string? AppContainer => Workload.App?.Name;

    // The workload's pod selector as a label selector ("app=plex"); null for a bare pod. What
    // Get-MediaPod and Test-MediaMount use to find the app's pods, also after Import-Clixml.
    public string? Selector => Deployment["spec"]?["selector"]?["matchLabels"] is JsonObject labels && labels.Count > 0
        ? string.Join(",", labels.Select(label => $"{label.Key}={label.Value}"))
        : null;

    // The containers that run next to the app: rclone mounts, servers, helpers, native sidecars.
    public IReadOnlyList<string> Sidecars => Workload.AllContainers
        .Where(container => container.IsLongRunning && container.Role is not (ContainerRole.App or ContainerRole.Other))
        .Select(container => container.Name)
        .ToList();

    // For the table view: the sidecar names, or <none> like kubectl.
    public string SidecarSummary => Sidecars.Count == 0 ? "<none>" : string.Join(",", Sidecars);

    // The Kubernetes objects, in apply order (no Kustomization: kubectl does not know it).
    public IReadOnlyList<JsonObject> Manifests =>
        new[] { Deployment, Service, Route }.OfType<JsonObject>().ToList();

    public JsonObject BuildArgoApplication(string repoUrl, string targetRevision = ArgoApplications.DefaultRevision, string argoNamespace = ArgoApplications.DefaultNamespace, string project = ArgoApplications.DefaultProject, JsonObject? syncPolicy = null) =>
        ArgoApplications.Build(this, repoUrl, targetRevision, argoNamespace, project, syncPolicy);

    public override string ToString() => $"{Namespace}/{Name}";
}
