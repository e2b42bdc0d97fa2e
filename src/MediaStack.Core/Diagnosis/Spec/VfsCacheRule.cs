using MediaStack.Core.Diagnosis.Model;
using MediaStack.Core.Workloads;

namespace MediaStack.Core.Diagnosis.Spec;

// rclone's VFS cache keeps whole files on disk in full and writes mode. Without
// --vfs-cache-max-size it grows with every file read; on the container's writable layer or an
// emptyDir without sizeLimit nothing stops it before the node's disk is full (and the kubelet
// evicts whatever runs there). A size limit on either side bounds it.
public sealed class VfsCacheRule : IMountRule
{
    // rclone's default cache folder as the rclone image runs it (root, no XDG_CACHE_HOME).
    public const string DefaultCacheDir = "/root/.cache/rclone";

    public bool AppliesTo(WorkloadKind kind) => kind is WorkloadKind.MediaApp or WorkloadKind.NodeMountProvider or WorkloadKind.StandaloneRclone;

    public IEnumerable<MountFinding> Check(DiagnosisContext context)
    {
        foreach (var rclone in context.Workload.RcloneMounts)
        {
            var line = rclone.Rclone!;
            var at = $"{rclone.Pointer}/{(rclone.Args.Count > 0 ? "args" : "command")}";
            if (!line.CachesFiles || line.VfsCacheMaxSize is { Length: > 0 })
            {
                yield return context.Pass(Rules.UnboundedVfsCache,
                    line.CachesFiles ? $"{rclone.Name}'s VFS cache is bounded (--vfs-cache-max-size={line.VfsCacheMaxSize})." : $"{rclone.Name} keeps no files in a VFS cache (--vfs-cache-mode {line.VfsCacheMode}).",
                    "", rclone, at: at);
                continue;
            }
            var folder = CacheDir(rclone);
            var disk = Disk(context.Workload, rclone, folder);
            if (disk.Bounded is { } bound)
            {
                yield return context.Pass(Rules.UnboundedVfsCache, $"{rclone.Name}'s VFS cache at {folder} is bounded by {bound}.", "", rclone, at: at);
                continue;
            }
            yield return context.Problem(Rules.UnboundedVfsCache, Severity.Warning,
                $"{rclone.Name} caches whole files (--vfs-cache-mode {line.VfsCacheMode}) with no --vfs-cache-max-size, at {folder} on {disk.Where}: the cache grows until the node's disk is full.",
                $"{rclone.Path}: --vfs-cache-mode={line.VfsCacheMode}, --vfs-cache-max-size unset, cache folder {folder} ({disk.Where})",
                $"Add --vfs-cache-max-size (e.g. 10G) and mount an emptyDir with a sizeLimit at {folder} (--cache-dir), or set an ephemeral-storage limit on {rclone.Name}.",
                rclone, at: at);
        }
    }

    // --cache-dir, else $XDG_CACHE_HOME/rclone, else rclone's default under root's home.
    public static string CacheDir(WorkloadContainer rclone)
    {
        if (rclone.Rclone!.CacheDir is { Length: > 0 } given)
        {
            return given;
        }
        var xdg = (rclone.Json["env"] as System.Text.Json.Nodes.JsonArray ?? [])
            .Where(entry => WorkloadContainer.Text(entry?["name"]) == "XDG_CACHE_HOME")
            .Select(entry => WorkloadContainer.Text(entry?["value"]))
            .FirstOrDefault();
        return xdg is { Length: > 0 } ? xdg.TrimEnd('/') + "/rclone" : DefaultCacheDir;
    }

    // Where the cache folder lives and what bounds it, if anything.
    private static (string Where, string? Bounded) Disk(Workload workload, WorkloadContainer rclone, string folder)
    {
        if (WorkloadContainer.At(rclone.Json, "resources", "limits", "ephemeral-storage") is { } limit)
        {
            return ("", $"the container's ephemeral-storage limit {limit}");
        }
        if (rclone.MountCovering(folder) is not { } covering || WorkloadContainer.Text(covering.Mount["name"]) is not { } name)
        {
            return ("the container's own disk (no volume mounted there)", null);
        }
        var volume = workload.Volume(name);
        if (volume?["emptyDir"] is System.Text.Json.Nodes.JsonObject emptyDir)
        {
            return emptyDir["sizeLimit"] is { } size
                ? ("", $"the emptyDir sizeLimit {size} of volume '{name}'")
                : ($"volume '{name}', an emptyDir without sizeLimit", null);
        }
        // A claim, host path or other volume has the size it was given.
        return ("", $"volume '{name}' ({volume?.FirstOrDefault(entry => entry.Key != "name").Key ?? "undefined"})");
    }
}
