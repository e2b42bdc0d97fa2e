using System.Text.Json.Nodes;

namespace MediaStack.Sandbox.Node.Linux.Images;

public enum Userland { Busybox, Host }

// What an image means on this node. rclone/rclone runs the real rclone with the container's
// args unchanged; alpine/busybox run their command/args; both see a busybox userland, so
// scripts are tested against busybox. Every other image (linuxserver/*, plex, nginx ...) is
// an app: a stand-in that listens on the declared container ports and idles, with the
// host's coreutils userland.
public sealed record ImageBehaviour(Userland Userland, bool IsRclone, bool IsApp)
{
    public const string StandInBusybox = "/.sandbox/busybox";
    public const string FuseShimDir = "/.sandbox/fuse-shim";

    // The images' usual PATH; busybox applets live in /bin, coreutils in /usr/bin.
    public const string StandardPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    // busybox sh as pid 1 ignores SIGTERM without a trap; the stand-in exits on it like an app.
    const string StandInScript = """
        trap 'exit 0' TERM INT
        for p in "$@"; do /.sandbox/busybox httpd -f -p "$p" -h /.sandbox/www & done
        while :; do /.sandbox/busybox sleep 3600 & wait $!; done
        """;

    public static ImageBehaviour For(string image)
    {
        var repo = image.Split('@')[0];
        var lastColon = repo.LastIndexOf(':');
        if (lastColon > repo.LastIndexOf('/')) repo = repo[..lastColon];
        var parts = repo.Split('/');
        var name = parts[^1];
        var owner = parts.Length > 1 ? parts[^2] : "library";
        if (owner == "rclone" && name == "rclone") return new(Userland.Busybox, IsRclone: true, IsApp: false);
        if (name is "alpine" or "busybox") return new(Userland.Busybox, IsRclone: false, IsApp: false);
        return new(Userland.Host, IsRclone: false, IsApp: true);
    }

    public IReadOnlyList<string> Command(JsonObject container)
    {
        var command = Strings(container["command"]);
        var args = Strings(container["args"]);
        if (IsApp)
            return [StandInBusybox, "sh", "-c", StandInScript, "stand-in", .. Ports(container).Select(p => p.ToString())];
        if (command.Count > 0) return [.. command, .. args];
        if (IsRclone) return ["rclone", .. args];
        return args.Count > 0 ? args : ["/bin/sh"];
    }

    // PATH for processes of this image; rclone's own mount helper lookup gets the fuse shim.
    public string Path(bool mainProcess) => IsRclone && mainProcess ? $"{FuseShimDir}:{StandardPath}" : StandardPath;

    public static IReadOnlyList<int> Ports(JsonObject container) =>
        (container["ports"] as JsonArray ?? []).OfType<JsonObject>().Select(p => p["containerPort"].AsInt() ?? 0).ToList();

    static List<string> Strings(JsonNode? node) =>
        (node as JsonArray ?? []).Select(n => n?.ToString() ?? "").ToList();
}
