using System.Text.Json.Nodes;
using MediaStack.Core.Config;
using MediaStack.Core.Manifests;

namespace MediaStack.Core.Sidecars;

// What the rclone part of a pod should look like, from the config: the init-dirs container,
// one sidecar per mount (classic or native), the volumes, and the app's media mount. New-MediaApp
// builds pods from these; the change planner inserts them whole where a part is missing.
// `volume` is the app's own media volume (the config's SharedVolume only for new apps):
// sidecars must mount the very volume the app reads.
public static class DesiredSidecars
{
    public const string InitDirsName = "init-dirs";
    public const string Bidirectional = "Bidirectional";
    public const string HostToContainer = "HostToContainer";
    public const string FuseType = "fuse.rclone";
    // Where a sidecar mounts its cache volume (--cache-dir).
    public const string CacheDir = "/cache";

    public static JsonObject InitDirsContainer(MediaStackConfig config, string volume, IEnumerable<string> mountPoints, string? root = null)
    {
        root ??= config.MountRoot;
        var paths = string.Join(" ", mountPoints.Select(ShellText.Quote));
        var script =
            "echo \"Creating mount point directories...\"\n"
            + $"mkdir -p {paths}\n"
            + "echo \"Verifying directory creation...\"\n"
            + $"ls -la {ShellText.Quote(root.TrimEnd('/') + "/")}\n"
            + "echo \"Mount points ready\"\n";
        return new JsonObject
        {
            ["name"] = InitDirsName,
            ["image"] = config.InitImage,
            ["command"] = ContainerParts.Strings(["/bin/sh", "-c", script]),
            ["volumeMounts"] = new JsonArray(new JsonObject
            {
                ["name"] = volume,
                ["mountPath"] = root,
            }),
            ["resources"] = ContainerParts.Resources(config.InitResources),
        };
    }

    public static JsonObject SidecarContainer(MediaStackConfig config, RcloneMount mount, SidecarMode mode, string volume)
    {
        var container = new JsonObject
        {
            ["name"] = mount.ContainerName,
            ["image"] = config.RcloneImage,
        };
        if (mode == SidecarMode.Native)
        {
            // An init container that keeps running: Kubernetes' native sidecar.
            container["restartPolicy"] = "Always";
        }
        // FUSE needs /dev/fuse and CAP_SYS_ADMIN; Bidirectional propagation needs privileged.
        container["securityContext"] = new JsonObject { ["privileged"] = true };
        container["args"] = ContainerParts.Strings(RcloneArgs(config, mount));
        container["volumeMounts"] = new JsonArray(
            MediaMount(config, volume),
            new JsonObject
            {
                ["name"] = mount.SecretVolume,
                ["mountPath"] = config.RcloneConfigDir,
                ["readOnly"] = true,
            },
            CacheMount(mount));
        container["resources"] = ContainerParts.Resources(config.SidecarResources);
        // Both probes read the mount table, never the FUSE path: a call into a hung mount
        // blocks (and a liveness probe that blocks restarts a sidecar whose provider is only
        // slow, leaving the app a stale mount). rclone exits when its mount fails, so the
        // mount table going empty is what a restart can fix.
        container["livenessProbe"] = ContainerParts.ShellProbe(MountCheck(mount), ProbeTiming.SidecarLiveness);
        container["startupProbe"] = ContainerParts.ShellProbe(MountCheck(mount), mode == SidecarMode.Native ? ProbeTiming.NativeStartup : ProbeTiming.SidecarStartup);
        container["lifecycle"] = PreStop(mount);
        return container;
    }

    // A FUSE daemon killed without unmounting leaves a dead mount behind; rclone ships only
    // fuse3, so fusermount3. -z is lazy: files the app still has open keep working until it
    // closes them, so the hook is safe even where a native sidecar's preStop runs before the
    // app has stopped (Kubernetes before 1.29).
    public static JsonObject PreStop(RcloneMount mount) => new()
    {
        ["preStop"] = new JsonObject
        {
            ["exec"] = new JsonObject { ["command"] = ContainerParts.Strings(["fusermount3", "-uz", mount.MountPath]) },
        },
    };

    // The sidecar's mount of the media volume: at the mount root, propagating its FUSE mounts.
    public static JsonObject MediaMount(MediaStackConfig config, string volume) => new()
    {
        ["name"] = volume,
        ["mountPath"] = config.MountRoot,
        ["mountPropagation"] = Bidirectional,
    };

    // The sidecar's mount of its rclone.conf secret.
    public static JsonObject SecretMount(MediaStackConfig config, RcloneMount mount) => new()
    {
        ["name"] = mount.SecretVolume,
        ["mountPath"] = config.RcloneConfigDir,
        ["readOnly"] = true,
    };

    // mount <remote> <path>, the shared flags, and the rc API on loopback only: --rc-no-auth
    // on :port would let every pod in the cluster delete files through it. --rc-addr goes
    // right after the last --rc flag, where the seed had it; the cache flags follow the
    // shared ones: a bounded cache on the sidecar's emptyDir.
    public static IReadOnlyList<string> RcloneArgs(MediaStackConfig config, RcloneMount mount)
    {
        var args = new List<string> { "mount", mount.Remote, mount.MountPath };
        var shared = config.RcloneArgs.ToList();
        var lastRc = shared.FindLastIndex(arg => arg == "--rc" || arg.StartsWith("--rc-", StringComparison.Ordinal));
        shared.Insert(lastRc + 1 == 0 ? shared.Count : lastRc + 1, $"--rc-addr=127.0.0.1:{mount.RcPort}");
        args.AddRange(shared);
        args.Add($"--cache-dir={CacheDir}");
        args.Add($"--vfs-cache-max-size={RcloneSize(CacheMiB(config))}");
        return args;
    }

    // The sidecar's mount of its cache volume.
    public static JsonObject CacheMount(RcloneMount mount) => new()
    {
        ["name"] = mount.CacheVolume,
        ["mountPath"] = CacheDir,
    };

    // rclone checks its cache size once a minute and cannot evict open files, so the cache
    // overshoots --vfs-cache-max-size; the emptyDir's sizeLimit (past which the kubelet evicts
    // the pod) is twice the bound, a guard for the node rather than the working limit.
    public static JsonObject CacheVolume(MediaStackConfig config, RcloneMount mount) => new()
    {
        ["name"] = mount.CacheVolume,
        ["emptyDir"] = new JsonObject { ["sizeLimit"] = Quantity.Parse($"{2 * CacheMiB(config)}Mi").Canonical },
    };

    private static System.Numerics.BigInteger CacheMiB(MediaStackConfig config)
    {
        var bytes = Quantity.Parse(config.VfsCacheMaxSize, nameof(config.VfsCacheMaxSize)).Units;
        return (bytes + (1 << 20) - 1) / (1 << 20);
    }

    // rclone's size suffixes are binary: 5G is 5 GiB.
    private static string RcloneSize(System.Numerics.BigInteger mib) => mib % 1024 == 0 ? $"{mib / 1024}G" : $"{mib}M";

    // The mount table, not the FUSE daemon: succeeds once a fuse.rclone mount sits exactly on
    // the mount path (field 5 of mountinfo; the fstype follows the "-" separator).
    public static string MountCheck(RcloneMount mount) =>
        "awk -v path=" + ShellText.Quote(mount.MountPath) + " -v type=" + FuseType
        + " '$5 == path { for (i = 7; i < NF; i++) if ($i == \"-\") { if ($(i + 1) == type) found = 1; break } }"
        + " END { exit found ? 0 : 1 }' /proc/self/mountinfo";

    // The PVC holding config folders and the mount points.
    public static JsonObject SharedVolume(MediaStackConfig config) => new()
    {
        ["name"] = config.SharedVolume,
        ["persistentVolumeClaim"] = new JsonObject { ["claimName"] = config.SharedClaim },
    };

    // One secret volume per distinct SecretVolume, readable by the owner only (0400).
    public static IReadOnlyList<JsonObject> SecretVolumes(IEnumerable<RcloneMount> mounts) =>
        mounts.DistinctBy(mount => mount.SecretVolume).Select(SecretVolume).ToList();

    public static JsonObject SecretVolume(RcloneMount mount) => new()
    {
        ["name"] = mount.SecretVolume,
        ["secret"] = new JsonObject
        {
            ["secretName"] = mount.Secret,
            ["defaultMode"] = Convert.ToInt32("400", 8),
        },
    };

    // Per mount its secret volume (once per distinct one) and its cache volume: the order in
    // which Add-RcloneSidecar inserts them, so that both give the same pod.
    public static IReadOnlyList<JsonObject> Volumes(MediaStackConfig config, bool withSidecars)
    {
        var volumes = new List<JsonObject> { SharedVolume(config) };
        var secrets = new HashSet<string>(StringComparer.Ordinal);
        foreach (var mount in withSidecars ? config.Mounts : [])
        {
            if (secrets.Add(mount.SecretVolume))
            {
                volumes.Add(SecretVolume(mount));
            }
            volumes.Add(CacheVolume(config, mount));
        }
        return volumes;
    }

    // The app receives the sidecars' mounts (HostToContainer) and never sends (not
    // Bidirectional, so it needs no privilege). Without sidecars there is nothing to receive.
    public static JsonObject AppMediaMount(MediaStackConfig config, bool withSidecars, string? volume = null)
    {
        var mount = new JsonObject
        {
            ["name"] = volume ?? config.SharedVolume,
            ["mountPath"] = config.MountRoot,
        };
        if (withSidecars)
        {
            mount["mountPropagation"] = HostToContainer;
        }
        return mount;
    }
}
