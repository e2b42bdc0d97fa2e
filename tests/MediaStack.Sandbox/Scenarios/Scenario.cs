using System.Text.Json.Nodes;
using MediaStack.Sandbox.Json;

namespace MediaStack.Sandbox.Scenarios;

public sealed record NodeSpec(string Name, IReadOnlyDictionary<string, string> Labels);

public sealed record IdentitySpec(string Name, string? Token, string User, IReadOnlyList<string> Groups);

// A parsed scenario file: the optional SandboxScenario document and the objects to create.
public sealed record Scenario(
    ClusterMode Mode,
    IReadOnlyList<NodeSpec> Nodes,
    IReadOnlyList<IdentitySpec> Identities,
    JsonObject Document,
    IReadOnlyList<JsonObject> Objects)
{
    public const string ApiVersion = "sandbox.mediastack.dev/v1";
    public const string Kind = "SandboxScenario";

    public static readonly string[] DefaultNodes = ["wow-ocp-node2", "wow-ocp-node3", "wow-ocp-node4"];

    public static Scenario Parse(string yaml)
    {
        var docs = YamlToJson.Documents(yaml);
        JsonObject header;
        if (docs.Count > 0 && docs[0].Str("kind") == Kind)
        {
            header = docs[0];
            docs.RemoveAt(0);
            if (header.Str("apiVersion") != ApiVersion)
                throw new FormatException($"the {Kind} document must have apiVersion {ApiVersion}");
        }
        else header = new JsonObject { ["apiVersion"] = ApiVersion, ["kind"] = Kind, ["spec"] = new JsonObject() };
        if (docs.Any(d => d.Str("kind") == Kind)) throw new FormatException($"only the first document may be a {Kind}");

        var spec = header.Obj("spec") ?? new JsonObject();
        var mode = (spec.Str("mode") ?? "openshift") switch
        {
            "openshift" => ClusterMode.OpenShift,
            "kubernetes" => ClusterMode.Kubernetes,
            var other => throw new FormatException($"spec.mode must be openshift or kubernetes, not \"{other}\""),
        };

        var nodes = new List<NodeSpec>();
        foreach (var n in spec.Arr("nodes") ?? new JsonArray(DefaultNodes.Select(d => (JsonNode)d).ToArray()))
        {
            nodes.Add(n switch
            {
                JsonValue v => new NodeSpec(v.ToString(), new Dictionary<string, string>()),
                JsonObject o => new NodeSpec(o.Str("name") ?? throw new FormatException("every node needs a name"), o.StringMap("labels")),
                _ => throw new FormatException("spec.nodes holds names or {name, labels} objects"),
            });
        }
        if (nodes.Count == 0) throw new FormatException("spec.nodes must name at least one node");

        var identities = new List<IdentitySpec>();
        foreach (var i in spec.Objects("identities"))
        {
            var name = i.Str("name") ?? throw new FormatException("every identity needs a name");
            identities.Add(new IdentitySpec(name, i.Str("token"), i.Str("user") ?? name,
                i.Arr("groups")?.Select(g => g?.ToString() ?? "").ToList() ?? []));
        }
        return new Scenario(mode, nodes, identities, header, docs);
    }

    // Real FUSE mounts are what the scenario is about: it has WebDAV backends, or a pod
    // template runs rclone. Such a scenario never runs on the host runtime unless asked to.
    public bool NeedsFuse =>
        Document.Obj("spec", "backends") is not null
        || Objects.Any(o => Templates(o).Any(spec => spec.Objects("containers").Concat(spec.Objects("initContainers"))
            .Any(c => (c.Str("image") ?? "").Contains("rclone", StringComparison.OrdinalIgnoreCase))));

    static IEnumerable<JsonObject> Templates(JsonObject o) =>
        new[] { o.Obj("spec", "template", "spec"), o.Str("kind") == "Pod" ? o.Obj("spec") : null }.OfType<JsonObject>();

    // A file path, or the name of a built-in scenario shipped next to the program.
    public static string Resolve(string nameOrPath)
    {
        if (File.Exists(nameOrPath)) return Path.GetFullPath(nameOrPath);
        var builtIn = Path.Combine(AppContext.BaseDirectory, "Scenarios", nameOrPath + ".yaml");
        if (File.Exists(builtIn)) return builtIn;
        var available = Directory.Exists(Path.Combine(AppContext.BaseDirectory, "Scenarios"))
            ? Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Scenarios"), "*.yaml").Select(Path.GetFileNameWithoutExtension)
            : [];
        throw new FileNotFoundException($"no scenario file \"{nameOrPath}\" and no built-in scenario of that name (built-in: {string.Join(", ", available)})");
    }
}
