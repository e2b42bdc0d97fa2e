using System.Text.Json.Nodes;
using MediaStack.Sandbox.Node.Linux;

namespace MediaStack.Sandbox.Backends;

// The scenario's spec.backends block:
//   servers: [{name, layout: zurg|torbox, entries, podPort, mountPath}]
//   claims:  [{namespace, name, directories: [..], streamLinks: N}]
// A server is one `rclone serve webdav` over a generated tree, reached from inside every pod
// at http://127.0.0.1:<podPort>/. A claim seed fills a PVC's node-level directory; streamLinks
// puts N symlinks per server under stream/<server>/ pointing into <mountPath>.
public sealed record BackendServer(string Name, string Layout, int Entries, int PodPort, string MountPath)
{
    // The directory the layout lists its entries in (what a probe lists).
    public string EntriesDirectory => Layout == "torbox" ? "torrents" : "__all__";
}

public sealed record ClaimSeed(string Namespace, string Name, IReadOnlyList<string> Directories, int StreamLinks);

public sealed record BackendSettings(IReadOnlyList<BackendServer> Servers, IReadOnlyList<ClaimSeed> Claims)
{
    public static readonly BackendSettings None = new([], []);

    public static BackendSettings FromScenario(JsonObject? scenario)
    {
        var block = scenario?["spec"]?["backends"] as JsonObject;
        if (block is null) return None;
        var servers = (block["servers"] as JsonArray ?? []).OfType<JsonObject>().Select(s =>
        {
            var name = (string?)s["name"] ?? throw new FormatException("spec.backends.servers[].name is required");
            var layout = (string?)s["layout"] ?? name;
            if (layout is not ("zurg" or "torbox"))
                throw new FormatException($"spec.backends.servers[{name}].layout must be zurg or torbox, not '{layout}'");
            return new BackendServer(name, layout,
                s["entries"].AsInt() ?? (layout == "zurg" ? 25_000 : 60),
                s["podPort"].AsInt() ?? throw new FormatException($"spec.backends.servers[{name}].podPort is required"),
                (string?)s["mountPath"] ?? $"/mnt/media/{name}");
        }).ToList();
        var claims = (block["claims"] as JsonArray ?? []).OfType<JsonObject>().Select(c => new ClaimSeed(
            (string?)c["namespace"] ?? "default",
            (string?)c["name"] ?? throw new FormatException("spec.backends.claims[].name is required"),
            (c["directories"] as JsonArray ?? []).Select(d => (string)d!).ToList(),
            c["streamLinks"].AsInt() ?? 0)).ToList();
        return new BackendSettings(servers, claims);
    }
}
