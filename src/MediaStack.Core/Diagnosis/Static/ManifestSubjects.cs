using System.Text.Json.Nodes;
using MediaStack.Core.Diagnosis.Model;
using MediaStack.Core.Errors;
using MediaStack.Core.Files;
using MediaStack.Core.Yaml;

namespace MediaStack.Core.Diagnosis.Static;

// Manifest files (or folders of them) -> one subject per workload document, for the static
// check without a cluster. Kinds with a pod template are read; the rest is ignored.
public static class ManifestSubjects
{
    private static readonly HashSet<string> WorkloadKinds = new(StringComparer.Ordinal)
    {
        "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet",
    };

    public static IReadOnlyList<DiagnosisSubject> FromPaths(IEnumerable<string> paths)
    {
        var subjects = new List<DiagnosisSubject>();
        foreach (var file in paths.SelectMany(Expand))
        {
            subjects.AddRange(FromText(TextFile.ReadText(file), file));
        }
        return subjects;
    }

    public static IReadOnlyList<DiagnosisSubject> FromText(string yaml, string? file = null)
    {
        var subjects = new List<DiagnosisSubject>();
        foreach (var document in YamlReader.ReadDocuments(yaml, file))
        {
            var kind = document["kind"]?.ToString();
            var name = document["metadata"]?["name"]?.ToString() ?? "(unnamed)";
            var ns = document["metadata"]?["namespace"]?.ToString();
            if (kind is not null && WorkloadKinds.Contains(kind) && document["spec"]?["template"] is JsonObject)
            {
                subjects.Add(new DiagnosisSubject(new DiagnosisTarget(ns, name, null, file), document, null, null));
            }
            else if (kind == "Pod")
            {
                subjects.Add(new DiagnosisSubject(new DiagnosisTarget(ns, null, name, file), null, document, null));
            }
        }
        return subjects;
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
}
