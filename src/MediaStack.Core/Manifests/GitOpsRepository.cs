using System.Text.Json.Nodes;
using MediaStack.Core.Errors;
using MediaStack.Core.Workloads;

namespace MediaStack.Core.Manifests;

// A workload already in the repository, and the namespace it lands in (its own, else the
// namespace of the nearest kustomization above it; null when neither says).
public sealed record RepositoryWorkload(string File, string Kind, string Name, string? Namespace);

// What an existing GitOps repository says that a new app should follow: the workloads it
// holds (so a second Deployment of one name is refused) and how its ArgoCD Applications
// are set up (repoURL, targetRevision, project, sync policy, the namespace they live in).
public sealed class GitOpsRepository
{
    private GitOpsRepository(IReadOnlyList<RepositoryWorkload> workloads, IReadOnlyList<JsonObject> applications)
    {
        Workloads = workloads;
        Applications = applications;
    }

    public IReadOnlyList<RepositoryWorkload> Workloads { get; }

    // The ArgoCD Applications found, as read.
    public IReadOnlyList<JsonObject> Applications { get; }

    public static GitOpsRepository Read(string root)
    {
        if (!Directory.Exists(root))
        {
            return new GitOpsRepository([], []);
        }
        var workloads = new List<RepositoryWorkload>();
        var applications = new List<JsonObject>();
        var namespaces = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var document in ManifestScan.Documents(root).Where(document => document.Document is not null && !document.IsPatch))
        {
            if (document.Kind == "Application" && WorkloadContainer.Text(document.Document!["apiVersion"])?.StartsWith("argoproj.io/", StringComparison.Ordinal) == true)
            {
                applications.Add(document.Document!);
            }
            else if (document.IsWorkload && document.Name is { } name)
            {
                var own = WorkloadContainer.Text(WorkloadContainer.At(document.Document, "metadata", "namespace"));
                workloads.Add(new RepositoryWorkload(document.Source, document.Kind!, name, own ?? KustomizeNamespace(Path.GetDirectoryName(document.Source)!, root, namespaces)));
            }
        }
        return new GitOpsRepository(workloads, applications);
    }

    // A Deployment of that name bound for that namespace (or for an unknown one), outside
    // the app's own folder (the export's to replace or refuse).
    public RepositoryWorkload? Conflict(string name, string @namespace, string? ownFolder) =>
        Workloads.FirstOrDefault(workload => workload.Kind == "Deployment" && workload.Name == name
            && (workload.Namespace is null || workload.Namespace == @namespace)
            && (ownFolder is null || !Path.GetFullPath(workload.File).StartsWith(Path.GetFullPath(ownFolder) + Path.DirectorySeparatorChar, StringComparison.Ordinal)));

    // The value most of the Applications agree on (the first one's on a tie).
    public string? Common(params string[] path) =>
        Applications.Select(application => WorkloadContainer.Text(WorkloadContainer.At(application, path))).OfType<string>()
            .GroupBy(value => value, StringComparer.Ordinal).OrderByDescending(group => group.Count()).Select(group => group.Key).FirstOrDefault();

    public JsonObject? CommonSyncPolicy() =>
        Applications.Select(application => WorkloadContainer.At(application, "spec", "syncPolicy") as JsonObject).OfType<JsonObject>()
            .GroupBy(policy => policy.ToJsonString(), StringComparer.Ordinal).OrderByDescending(group => group.Count()).Select(group => group.First()).FirstOrDefault();

    private static string? KustomizeNamespace(string folder, string root, Dictionary<string, string?> cache)
    {
        if (cache.TryGetValue(folder, out var known))
        {
            return known;
        }
        string? found = null;
        var file = new[] { "kustomization.yaml", "kustomization.yml", "Kustomization" }.Select(name => Path.Combine(folder, name)).FirstOrDefault(File.Exists);
        if (file is not null)
        {
            try
            {
                found = WorkloadContainer.Text(Yaml.YamlReader.ReadDocuments(File.ReadAllText(file), file).FirstOrDefault()?["namespace"]);
            }
            catch (Exception exception) when (exception is MediaStackException or IOException or UnauthorizedAccessException)
            {
                // An unreadable kustomization says nothing about the namespace.
            }
        }
        var parent = Path.GetDirectoryName(folder);
        if (found is null && parent is not null && Path.GetFullPath(folder) != Path.GetFullPath(root))
        {
            found = KustomizeNamespace(parent, root, cache);
        }
        cache[folder] = found;
        return found;
    }
}
