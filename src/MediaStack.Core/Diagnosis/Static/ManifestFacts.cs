using System.Text.Json.Nodes;
using MediaStack.Core.Workloads;
using MediaStack.Core.Yaml;

namespace MediaStack.Core.Diagnosis.Static;

// An object of the files that is not a workload but decides how one runs: a LimitRange or
// ResourceQuota (limits), a PersistentVolumeClaim (access modes), RBAC and SCCs (privilege).
public sealed record ManifestObject(ManifestDocument Document, JsonObject Json, string Kind, string Name, string? Namespace)
{
    public SourcePosition? Position => Document.PositionOf("/metadata/name");

    // "LimitRange/defaults (/repo/apps/limits.yaml:3)", for evidence.
    public string Display => Position is { } at ? $"{Kind}/{Name} ({at.File}:{at.Line})" : $"{Kind}/{Name}";
}

// What the files read with -Path say about the cluster the workloads will run on. Static mode
// only: on a cluster the rules ask the API server instead. A namespace left out of a file
// (kustomize or `kubectl apply -n` sets it) matches any namespace, so an object in the files
// is never ignored for want of one.
public sealed class ManifestFacts
{
    public static readonly IReadOnlySet<string> Kinds = new HashSet<string>(StringComparer.Ordinal)
    {
        "LimitRange", "ResourceQuota", "PersistentVolumeClaim",
        "Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding", "SecurityContextConstraints",
    };

    private static readonly IReadOnlySet<string> Cluster = new HashSet<string>(StringComparer.Ordinal)
    {
        "ClusterRole", "ClusterRoleBinding", "SecurityContextConstraints",
    };

    private ManifestFacts(IReadOnlyList<ManifestObject> objects) => Objects = objects;

    public static ManifestFacts Empty { get; } = new([]);

    public IReadOnlyList<ManifestObject> Objects { get; }

    // Bindings or SCCs: the files manage who may run privileged pods.
    public bool HasRbac => Objects.Any(o => o.Kind is "RoleBinding" or "ClusterRoleBinding" or "SecurityContextConstraints");

    public static ManifestFacts From(IEnumerable<ManifestDocument> documents)
    {
        var objects = new List<ManifestObject>();
        foreach (var document in documents.Where(d => d.Document is not null && !d.IsPatch))
        {
            if (document.Kind is { } kind && Kinds.Contains(kind) && document.Name is { Length: > 0 } name)
            {
                var @namespace = Cluster.Contains(kind) ? null : WorkloadContainer.Text(WorkloadContainer.At(document.Document, "metadata", "namespace"));
                objects.Add(new ManifestObject(document, document.Document!, kind, name, @namespace));
            }
        }
        return new ManifestFacts(objects);
    }

    // The objects of a kind that apply in a namespace (cluster-scoped ones apply everywhere).
    public IEnumerable<ManifestObject> InNamespace(string kind, string? @namespace) =>
        Objects.Where(o => o.Kind == kind && SameNamespace(o.Namespace, @namespace));

    public IEnumerable<ManifestObject> OfKind(string kind) => Objects.Where(o => o.Kind == kind);

    public static bool SameNamespace(string? left, string? right) => left is null || right is null || left == right;
}
