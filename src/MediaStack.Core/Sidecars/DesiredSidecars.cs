using System.Text.Json.Nodes;
using MediaStack.Core.Config;
using MediaStack.Core.Manifests;

namespace MediaStack.Core.Sidecars;

// What the rclone part of a pod should look like, from the config: the init-dirs container,
// one sidecar per mount (classic or native), the volumes, and the app's media mount.
// New-MediaApp builds pods from these; sidecar injection compares live pods against them.
public static class DesiredSidecars
{
    public const string InitDirsName = "init-dirs";
    public const string Bidirectional = "Bidirectional";
    public const string HostToContainer = "HostToContainer";
    public const string FuseType = "fuse.rclone";

    public static JsonObject InitDirsContainer(MediaStackConfig config)
    {
        var paths = string.Join(" ", config.Mounts.Select(mount => ShellText.Quote(mount.MountPath)));
        var script =
            "echo \"Creating mount point directories...\"\n"
            + $"mkdir -p {paths}\n"
            + "echo \"Verifying directory creation...\"\n"
            + $"ls -la {ShellText.Quote(config.MountRoot.TrimEnd('/') + "/")}\n"
            + "echo \"Mount points ready\"\n";
        return new JsonObject
        {
            ["name"] = InitDirsName,
            ["image"] = config.InitImage,
            ["command"] = ContainerParts.Strings(["/bin/sh", "-c", script]),
            ["volumeMounts"] = new JsonArray(new JsonObject
            {
                ["name"] = config.SharedVolume,
                ["mountPath"] = config.MountRoot,
            }),
            ["resources"] = ContainerParts.Resources(config.InitResources),
        };
    }

    public static JsonObject SidecarContainer(MediaStackConfig config, RcloneMount mount, SidecarMode mode)
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
            new JsonObject
            {
                ["name"] = config.SharedVolume,
                ["mountPath"] = config.MountRoot,
                ["mountPropagation"] = Bidirectional,
            },
            new JsonObject
            {
                ["name"] = mount.SecretVolume,
                ["mountPath"] = config.RcloneConfigDir,
                ["readOnly"] = true,
            });
        container["resources"] = ContainerParts.Resources(config.SidecarResources);
        container["livenessProbe"] = ContainerParts.ShellProbe(ProbePathCheck(mount), ProbeTiming.SidecarLiveness);
        if (mode == SidecarMode.Native)
        {
            container["startupProbe"] = ContainerParts.ShellProbe(MountCheck(mount), ProbeTiming.NativeStartup);
        }
        else
        {
            container["startupProbe"] = ContainerParts.ShellProbe(ProbePathCheck(mount), ProbeTiming.SidecarStartup);
            // A FUSE daemon killed without unmounting leaves a dead mount behind; rclone
            // ships only fuse3, so fusermount3. Native sidecars rely on rclone's own SIGTERM
            // unmount instead: their preStop would run while the app still uses the mount.
            container["lifecycle"] = new JsonObject
            {
                ["preStop"] = new JsonObject
                {
                    ["exec"] = new JsonObject { ["command"] = ContainerParts.Strings(["fusermount3", "-uz", mount.MountPath]) },
                },
            };
        }
        return container;
    }

    // mount <remote> <path>, the shared flags, and the rc API on loopback only: --rc-no-auth
    // on :port would let every pod in the cluster delete files through it. --rc-addr goes
    // right after the last --rc flag, where the seed had it.
    public static IReadOnlyList<string> RcloneArgs(MediaStackConfig config, RcloneMount mount)
    {
        var args = new List<string> { "mount", mount.Remote, mount.MountPath };
        var shared = config.RcloneArgs.ToList();
        var lastRc = shared.FindLastIndex(arg => arg == "--rc" || arg.StartsWith("--rc-", StringComparison.Ordinal));
        shared.Insert(lastRc + 1 == 0 ? shared.Count : lastRc + 1, $"--rc-addr=127.0.0.1:{mount.RcPort}");
        args.AddRange(shared);
        return args;
    }

    // The seed's probe: the probe directory exists (so the backend answered a listing).
    public static string ProbePathCheck(RcloneMount mount) =>
        $"test -d {ShellText.Quote(mount.ProbeFullPath)} || exit 1";

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
    public static IReadOnlyList<JsonObject> SecretVolumes(MediaStackConfig config) =>
        config.Mounts
            .DistinctBy(mount => mount.SecretVolume)
            .Select(mount => new JsonObject
            {
                ["name"] = mount.SecretVolume,
                ["secret"] = new JsonObject
                {
                    ["secretName"] = mount.Secret,
                    ["defaultMode"] = Convert.ToInt32("400", 8),
                },
            })
            .ToList();

    public static IReadOnlyList<JsonObject> Volumes(MediaStackConfig config, bool withSidecars) =>
        withSidecars ? [SharedVolume(config), .. SecretVolumes(config)] : [SharedVolume(config)];

    // The app receives the sidecars' mounts (HostToContainer) and never sends (not
    // Bidirectional, so it needs no privilege). Without sidecars there is nothing to receive.
    public static JsonObject AppMediaMount(MediaStackConfig config, bool withSidecars)
    {
        var mount = new JsonObject
        {
            ["name"] = config.SharedVolume,
            ["mountPath"] = config.MountRoot,
        };
        if (withSidecars)
        {
            mount["mountPropagation"] = HostToContainer;
        }
        return mount;
    }
}
