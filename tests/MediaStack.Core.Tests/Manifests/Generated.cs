using System.Text.Json.Nodes;
using MediaStack.Core.Config;
using MediaStack.Core.Manifests;
using MediaStack.Core.Yaml;

namespace MediaStack.Core.Tests.Manifests;

// A generated app as it reads back from the YAML that would be written.
internal sealed class Generated
{
    public Generated(MediaAppSpec spec, MediaStackConfig? config = null)
    {
        App = MediaAppBuilder.Build(spec, config ?? MediaStackConfig.Default);
        Yaml = YamlWriter.WriteDocuments(App.Manifests);
        var documents = YamlReader.ReadDocuments(Yaml);
        Deployment = documents.Single(document => (string?)document["kind"] == "Deployment");
        Service = documents.Single(document => (string?)document["kind"] == "Service");
        Route = documents.Single(document => (string?)document["kind"] == "Route");
        Kustomization = YamlReader.ReadDocuments(YamlWriter.Write(App.Kustomization!)).Single();
    }

    public static Generated Prowlarr(Func<MediaAppSpec, MediaAppSpec>? change = null, MediaStackConfig? config = null)
    {
        var spec = new MediaAppSpec("prowlarr", "lscr.io/linuxserver/prowlarr:1.24.3", 9696);
        return new Generated(change is null ? spec : change(spec), config);
    }

    public MediaApp App { get; }
    public string Yaml { get; }
    public JsonObject Deployment { get; }
    public JsonObject Service { get; }
    public JsonObject Route { get; }
    public JsonObject Kustomization { get; }

    public JsonNode Pod => Deployment["spec"]!["template"]!["spec"]!;

    public IReadOnlyList<JsonObject> Containers => Items(Pod["containers"]);

    public IReadOnlyList<JsonObject> InitContainers => Items(Pod["initContainers"]);

    public IReadOnlyList<JsonObject> Volumes => Items(Pod["volumes"]);

    public JsonObject Container(string name) =>
        Containers.Concat(InitContainers).Single(container => (string?)container["name"] == name);

    public static IReadOnlyList<JsonObject> Items(JsonNode? list) =>
        (list as JsonArray ?? []).Select(item => item!.AsObject()).ToList();

    public static IReadOnlyList<string?> Strings(JsonNode? list) =>
        (list as JsonArray ?? []).Select(item => (string?)item).ToList();
}
