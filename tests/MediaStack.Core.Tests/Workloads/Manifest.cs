using System.Text.Json.Nodes;
using MediaStack.Core.Config;
using MediaStack.Core.Workloads;
using MediaStack.Core.Yaml;

namespace MediaStack.Core.Tests.Workloads;

// Workload models from short YAML documents, as a manifest file would hold them.
internal static class Manifest
{
    // The stack config every unit test uses (the corpus's).
    public static readonly MediaStackConfig StackConfig = Corpus.CorpusRepository.Config;

    public static JsonObject Document(string yaml) => YamlReader.ReadDocuments(yaml)[0];

    // A workload named `name` whose pod template holds `podSpec` (block YAML from column 0).
    public static string Deployment(string name, string podSpec, string kind = "Deployment") =>
        $"kind: {kind}\nmetadata: {{name: {name}}}\nspec:\n  template:\n    spec:\n"
        + string.Join("\n", podSpec.Split('\n').Select(line => "      " + line)) + "\n";

    public static Workload Of(string yaml, MediaStackConfig? config = null, string? appContainer = null) =>
        Workload.From(Document(yaml), config ?? StackConfig, appContainer);

    // "name=Role" for every container, init containers first.
    public static string[] Roles(Workload workload) =>
        workload.AllContainers.Select(container => $"{container.Name}={container.Role}").ToArray();

    // "name path (served by)" for every mount the app expects.
    public static string[] Expected(Workload workload) =>
        workload.ExpectedMounts.Select(mount => $"{mount.Name} {mount.MountPath} ({mount.ServedBy})").ToArray();
}
