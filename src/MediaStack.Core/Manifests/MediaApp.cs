using System.Text.Json.Nodes;
using MediaStack.Core.Config;
using MediaStack.Core.Sidecars;

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

    // Sidecar container names: native sidecars (init containers that restart Always) and
    // every container other than the app's own.
    public IReadOnlyList<string> Sidecars
    {
        get
        {
            var pod = Deployment["spec"]?["template"]?["spec"];
            var native = (pod?["initContainers"] as JsonArray ?? [])
                .Where(container => (string?)container?["restartPolicy"] == "Always");
            var classic = (pod?["containers"] as JsonArray ?? [])
                .Where(container => (string?)container?["name"] != Name);
            return native.Concat(classic)
                .Select(container => (string?)container?["name"])
                .OfType<string>()
                .ToList();
        }
    }

    // For the table view: the sidecar names, or <none> like kubectl.
    public string SidecarSummary => Sidecars.Count == 0 ? "<none>" : string.Join(",", Sidecars);

    // The Kubernetes objects, in apply order (no Kustomization: kubectl does not know it).
    public IReadOnlyList<JsonObject> Manifests =>
        new[] { Deployment, Service, Route }.OfType<JsonObject>().ToList();

    public JsonObject BuildArgoApplication(string repoUrl, string targetRevision = ArgoApplications.DefaultRevision, string argoNamespace = ArgoApplications.DefaultNamespace, string project = ArgoApplications.DefaultProject) =>
        ArgoApplications.Build(this, repoUrl, targetRevision, argoNamespace, project);

    public override string ToString() => $"{Namespace}/{Name}";
}
