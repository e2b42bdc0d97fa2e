using System.Text;
using System.Text.Json.Nodes;

namespace MediaStack.Sandbox.Node.Linux;

// A pod's volumes on the node, as kubelet lays them out: each volume gets its own mount
// point pods/<uid>/volumes/<name>, bound from its data (a per-pod emptyDir, the claim's
// node-level directory shared by all pods, materialised secret/configmap files) and made
// shared, so a FUSE mount made under it in one container propagates to the pod's other
// containers per their mountPropagation, and to nobody else.
public sealed class Volumes(NodeNamespace node, INodeHost host, string ns, string podUid)
{
    public string PodDir => $"{NodeNamespace.Root}/pods/{podUid}";

    public string MountPoint(string volume) => $"{PodDir}/volumes/{volume}";

    public static string ClaimDir(string ns, string claim) => $"{NodeNamespace.Root}/claims/{ns}/{claim}";

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

    // Writes volume data and binds every volume's mount point, in one node script.
    public async Task SetUpAsync(JsonObject pod, CancellationToken ct)
    {
        var script = new StringBuilder("set -e\n");
        foreach (var v in VolumeList(pod))
        {
            var name = (string)v["name"]!;
            if (IsFuseDevice(v)) continue;
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
        if (v["hostPath"] is JsonObject hp)
            return $"{NodeNamespace.Root}/hostpath{(string)hp["path"]!}";
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
