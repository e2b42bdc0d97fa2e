using System.Text;
using System.Text.Json.Nodes;

namespace MediaStack.Sandbox.Node.Linux;

// A pod's volumes on the node, as kubelet lays them out: each volume gets its own mount
// point pods/<uid>/volumes/<name>, bound from its data (a per-pod emptyDir, the claim's
// node-level directory shared by all pods, materialised secret/configmap files) and made
// shared, so a FUSE mount made under it in one container propagates to the pod's other
// containers per their mountPropagation, and to nobody else. hostPath volumes have no
// mount point of their own: as kubelet hands the host path straight to the runtime, each
// container binds it from its node's host tree (HostRoot).
public sealed class Volumes(NodeNamespace node, INodeHost host, string ns, string podUid, string nodeName)
{
    public string PodDir => $"{NodeNamespace.Root}/pods/{podUid}";

    public string MountPoint(string volume) => $"{PodDir}/volumes/{volume}";

    public static string ClaimDir(string ns, string claim) => $"{NodeNamespace.Root}/claims/{ns}/{claim}";

    // A named node's own host filesystem, where its hostPath volumes live: one tree per node
    // (/mnt/cloud on one node is not /mnt/cloud on another), bound onto itself and made
    // shared, so a mount made below a host path by a Bidirectional container reaches every
    // container of that node that binds the same path with HostToContainer (or
    // Bidirectional), as on a real node, and no other node.
    public static string HostRoot(string nodeName) => $"{NodeNamespace.Root}/nodes/{nodeName}/host";

    public static Task PrepareHostRootAsync(NodeNamespace node, string nodeName, CancellationToken ct) => node.ShAsync($$"""
        set -e
        d={{Q(HostRoot(nodeName))}}
        mkdir -p "$d"
        grep -q " $d " /proc/self/mountinfo || { mount --bind "$d" "$d"; mount --make-shared "$d"; }
        """, ct);

    // The resolved node-tree path of each hostPath volume, once HostPathProblemAsync passed.
    readonly Dictionary<string, string> _hostPaths = new(StringComparer.Ordinal);

    // Where a container's volumeMount binds from: the host path itself for a hostPath
    // volume, else the pod's mount point of the volume.
    public string Source(string volume) => _hostPaths.TryGetValue(volume, out var path) ? path : MountPoint(volume);

    // The first missing secret/configmap, in kubelet's FailedMount wording, or null.
    public string? MissingSource(JsonObject pod)
    {
        foreach (var v in VolumeList(pod))
        {
            var name = (string)v["name"]!;
            if (v["secret"] is JsonObject s && (bool?)s["optional"] != true)
            {
                var secretName = (string)s["secretName"]!;
                if (host.Get("secrets", ns, secretName) is null)
                    return $"MountVolume.SetUp failed for volume \"{name}\" : secret \"{secretName}\" not found";
            }
            if (v["configMap"] is JsonObject c && (bool?)c["optional"] != true)
            {
                var cmName = (string)c["name"]!;
                if (host.Get("configmaps", ns, cmName) is null)
                    return $"MountVolume.SetUp failed for volume \"{name}\" : configmap \"{cmName}\" not found";
            }
        }
        return null;
    }

    // kubelet's hostPath SetUp (and containerd's for type ""): the *OrCreate types and ""
    // make a missing path, the others must find the right kind of file there. The first
    // failure in kubelet's words, or null; the paths found are what containers bind.
    // Paths are resolved inside the node's tree and never followed out of it.
    public async Task<string?> HostPathProblemAsync(JsonObject pod, CancellationToken ct)
    {
        var volumes = VolumeList(pod).Where(v => v["hostPath"] is JsonObject && !IsFuseDevice(v)).ToList();
        if (volumes.Count == 0) return null;
        var script = new StringBuilder($$"""
            root={{Q(HostRoot(nodeName))}}
            check() {
              r=$(timeout -s KILL 10 realpath -m -- "$root/${3#/}" 2>/dev/null) || { printf '%s\tmissing\t\n' "$1"; return; }
              case "$r" in "$root"|"$root"/*) ;; *) printf '%s\toutside\t\n' "$1"; return ;; esac
              if [ ! -e "$r" ]; then
                case "$2" in
                  ''|DirectoryOrCreate) mkdir -p -m 0755 -- "$r" 2>/dev/null ;;
                  FileOrCreate) (umask 022; : >> "$r") 2>/dev/null ;;
                esac
              fi
              t=$(timeout -s KILL 10 stat -c %F -- "$r" 2>/dev/null) || t=missing
              printf '%s\t%s\t%s\n' "$1" "$t" "$r"
            }

            """);
        foreach (var v in volumes)
            script.Append($"check {Q((string)v["name"]!)} {Q((string?)v["hostPath"]!["type"] ?? "")} {Q((string?)v["hostPath"]!["path"] ?? "")}\n");
        var found = (await node.ShAsync(script.ToString(), ct)).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split('\t')).Where(f => f.Length == 3).ToDictionary(f => f[0], f => (Kind: f[1], Path: f[2]));
        foreach (var v in volumes)
        {
            var name = (string)v["name"]!;
            var path = (string?)v["hostPath"]!["path"] ?? "";
            var type = (string?)v["hostPath"]!["type"] ?? "";
            var (kind, resolved) = found.GetValueOrDefault(name, ("missing", ""));
            if (HostPathTypeError(path, type, kind) is { } error)
                return $"MountVolume.SetUp failed for volume \"{name}\" : {error}";
            _hostPaths[name] = resolved;
        }
        return null;
    }

    // hostpath.checkType's messages; kind is what `stat -c %F` says is there.
    static string? HostPathTypeError(string path, string type, string kind)
    {
        if (path.Split('/').Contains(".."))
            return $"invalid HostPath `{path}`: must not contain '..'";
        if (kind == "outside")
            return $"hostPath {path} leads out of the node's host filesystem, which the sandbox does not follow";
        // Unset: no check (the runtime makes a missing directory); only an unusable path stops it.
        if (type.Length == 0) return kind == "missing" ? $"hostPath {path} could not be created on the node" : null;
        var (wanted, description) = type switch
        {
            "Directory" or "DirectoryOrCreate" => ("Directory", "directory"),
            "File" or "FileOrCreate" => ("File", "file"),
            "Socket" => ("Socket", "socket file"),
            "CharDevice" => ("CharDevice", "character device"),
            "BlockDevice" => ("BlockDevice", "block device"),
            _ => ("", ""),
        };
        if (wanted.Length == 0) return $"{type} is an invalid volume type";
        if (kind == "missing") return $"hostPath {path} doesn't exist";
        var actual = kind switch
        {
            "directory" => "Directory",
            "regular file" or "regular empty file" => "File",
            "socket" => "Socket",
            "character special file" => "CharDevice",
            "block special file" => "BlockDevice",
            _ => null,
        };
        if (actual is null)
            return $"hostPath type check failed, {path} is not a {description}, unable to determine its type: only recognise file, directory, socket, block device and character device";
        return actual == wanted ? null : $"hostPath type check failed: {path} is not a {description}, it's a {actual}";
    }

    // Writes volume data and binds every volume's mount point, in one node script.
    public async Task SetUpAsync(JsonObject pod, CancellationToken ct)
    {
        var script = new StringBuilder("set -e\n");
        foreach (var v in VolumeList(pod))
        {
            var name = (string)v["name"]!;
            if (v["hostPath"] is not null) continue;
            var source = PrepareSource(v, name);
            var target = MountPoint(name);
            script.Append($"mkdir -p {Q(source)} {Q(target)}\n");
            script.Append($"mount --bind {Q(source)} {Q(target)}\nmount --make-shared {Q(target)}\n");
            if (v["secret"] is not null || v["configMap"] is not null)
                script.Append($"mount -o remount,bind,ro {Q(target)}\n");
        }
        await node.ShAsync(script.ToString(), ct);
    }

    // Lazily unmounts everything below the pod's volume mount points (stale FUSE mounts
    // included), then removes the pod's directory; claim data is never under it.
    public Task TearDownAsync(CancellationToken ct) => node.ShAsync($"""
        d={Q(PodDir)}
        [ -d "$d" ] || exit 0
        for v in "$d"/volumes/*; do [ -e "$v" ] || continue; umount -R -l "$v" 2>/dev/null || true; done
        umount -l "$d/netns" 2>/dev/null || true
        if grep -q " $d/" /proc/self/mountinfo; then echo "mounts left under $d" >&2; exit 1; fi
        rm -rf "$d"
        """, ct);

    // hostPath /dev/fuse is bound per container: the device when privileged, else denied.
    public static bool IsFuseDevice(JsonObject? volume) => (string?)volume?["hostPath"]?["path"] == "/dev/fuse";

    public static JsonObject? Find(JsonObject pod, string name) => VolumeList(pod).FirstOrDefault(v => (string?)v["name"] == name);

    string PrepareSource(JsonObject v, string name)
    {
        if (v["persistentVolumeClaim"] is JsonObject pvc)
            return ClaimDir(ns, (string)pvc["claimName"]!);
        var dir = $"{PodDir}/data/{name}";
        Directory.CreateDirectory(node.HostPath(dir));
        if (v["secret"] is JsonObject s)
        {
            var secret = host.Get("secrets", ns, (string)s["secretName"]!);
            var files = Decode(secret?["data"] as JsonObject, base64: true)
                .Concat(Decode(secret?["stringData"] as JsonObject, base64: false)).ToDictionary();
            WriteFiles(dir, files, s["items"] as JsonArray, s["defaultMode"].AsInt() ?? 420);
        }
        else if (v["configMap"] is JsonObject c)
        {
            var cm = host.Get("configmaps", ns, (string)c["name"]!);
            var files = Decode(cm?["data"] as JsonObject, base64: false)
                .Concat(Decode(cm?["binaryData"] as JsonObject, base64: true)).ToDictionary();
            WriteFiles(dir, files, c["items"] as JsonArray, c["defaultMode"].AsInt() ?? 420);
        }
        return dir;
    }

    void WriteFiles(string dir, IReadOnlyDictionary<string, byte[]> data, JsonArray? items, int defaultMode)
    {
        var selected = items is null
            ? data.Select(kv => (Key: kv.Key, Path: kv.Key, Mode: defaultMode))
            : items.OfType<JsonObject>().Select(i => (Key: (string)i["key"]!, Path: (string)i["path"]!, Mode: i["mode"].AsInt() ?? defaultMode));
        foreach (var (key, path, mode) in selected)
        {
            if (!data.TryGetValue(key, out var bytes)) continue;
            if (path.Split('/').Contains("..")) continue;
            var file = node.HostPath($"{dir}/{path}");
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            File.WriteAllBytes(file, bytes);
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(file, (UnixFileMode)(mode & 0x1FF));
        }
    }

    static Dictionary<string, byte[]> Decode(JsonObject? data, bool base64) =>
        data?.ToDictionary(kv => kv.Key, kv => base64 ? Convert.FromBase64String((string)kv.Value!) : Encoding.UTF8.GetBytes((string)kv.Value!))
        ?? [];

    static IEnumerable<JsonObject> VolumeList(JsonObject pod) =>
        (pod["spec"]?["volumes"] as JsonArray ?? []).OfType<JsonObject>();

    static string Q(string s) => NodeNamespace.Quote(s);
}
