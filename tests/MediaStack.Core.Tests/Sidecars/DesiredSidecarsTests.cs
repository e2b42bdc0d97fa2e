using System.Diagnostics;
using System.Text.Json.Nodes;
using MediaStack.Core.Config;
using MediaStack.Core.Manifests;
using MediaStack.Core.Sidecars;

namespace MediaStack.Core.Tests.Sidecars;

public sealed class DesiredSidecarsTests
{
    private static readonly MediaStackConfig Config = MediaStackConfig.Default;

    [Fact]
    public void RcAddrFollowsTheRcFlagsOrEndsTheList()
    {
        var zurg = Config.Mounts[0];

        var seedOrder = DesiredSidecars.RcloneArgs(Config, zurg);
        var withoutRc = DesiredSidecars.RcloneArgs(Config with { RcloneArgs = ["--allow-other"] }, zurg);

        Assert.Equal("--rc-addr=127.0.0.1:5572", seedOrder[seedOrder.ToList().IndexOf("--rc-no-auth") + 1]);
        Assert.Equal(["mount", "zurg:", "/mnt/media/zurg", "--allow-other", "--rc-addr=127.0.0.1:5572", "--cache-dir=/cache", "--vfs-cache-max-size=5G"], withoutRc);
        Assert.DoesNotContain(seedOrder, arg => arg == "--rc-addr=:5572");
    }

    [Fact]
    public void SecretVolumesAreOnePerDistinctVolume()
    {
        var shared = Config with { Mounts = [Config.Mounts[0], Config.Mounts[1] with { Secret = "rclone-zurg-config", SecretVolume = "rclone-zurg-config" }] };

        Assert.Equal(["rclone-zurg-config", "rclone-config"], DesiredSidecars.SecretVolumes(Config.Mounts).Select(volume => (string?)volume["name"]));
        Assert.Equal(["rclone-zurg-config"], DesiredSidecars.SecretVolumes(shared.Mounts).Select(volume => (string?)volume["name"]));
        Assert.Equal(["media-storage"], DesiredSidecars.Volumes(Config, withSidecars: false).Select(volume => (string?)volume["name"]));
        Assert.Equal(["media-storage", "rclone-zurg-config", "rclone-zurg-cache", "rclone-config", "rclone-torbox-cache"], DesiredSidecars.Volumes(Config, withSidecars: true).Select(volume => (string?)volume["name"]));
        Assert.Equal("""{"name":"rclone-config","secret":{"secretName":"rclone-config","defaultMode":256}}""", DesiredSidecars.SecretVolume(Config.Mounts[1]).ToJsonString());
    }

    [Fact]
    public void AppMediaMountPropagatesOnlyWithSidecars()
    {
        Assert.Equal("""{"name":"media-storage","mountPath":"/mnt/media","mountPropagation":"HostToContainer"}""", DesiredSidecars.AppMediaMount(Config, withSidecars: true).ToJsonString());
        Assert.Equal("""{"name":"library","mountPath":"/mnt/media"}""", DesiredSidecars.AppMediaMount(Config, withSidecars: false, "library").ToJsonString());
    }

    [Fact]
    public void SidecarsMountTheVolumeTheyAreGiven()
    {
        var classic = DesiredSidecars.SidecarContainer(Config, Config.Mounts[0], SidecarMode.Classic, "library");

        Assert.Equal(
            """[{"name":"library","mountPath":"/mnt/media","mountPropagation":"Bidirectional"},{"name":"rclone-zurg-config","mountPath":"/config/rclone","readOnly":true},{"name":"rclone-zurg-cache","mountPath":"/cache"}]""",
            classic["volumeMounts"]!.ToJsonString());
        Assert.True(JsonNode.DeepEquals(DesiredSidecars.MediaMount(Config, "library"), classic["volumeMounts"]![0]));
        Assert.True(JsonNode.DeepEquals(DesiredSidecars.SecretMount(Config, Config.Mounts[0]), classic["volumeMounts"]![1]));
        Assert.Equal(["name", "image", "securityContext", "args", "volumeMounts", "resources", "livenessProbe", "startupProbe", "lifecycle"], classic.Select(member => member.Key));
        Assert.True(JsonNode.DeepEquals(DesiredSidecars.PreStop(Config.Mounts[0]), classic["lifecycle"]));
        Assert.Equal("""{"preStop":{"exec":{"command":["fusermount3","-uz","/mnt/media/zurg"]}}}""", DesiredSidecars.PreStop(Config.Mounts[0]).ToJsonString());
    }

    // Both probes read the mount table, never the FUSE path; native sidecars poll often
    // (they gate the app); both unmount in preStop.
    [Theory]
    [InlineData(SidecarMode.Classic, 10, 5, 5, 12)]
    [InlineData(SidecarMode.Native, 2, 2, 5, 60)]
    public void ProbesReadTheMountTable(SidecarMode mode, int delay, int period, int timeout, int failures)
    {
        var sidecar = DesiredSidecars.SidecarContainer(Config, Config.Mounts[1], mode, "media-storage");
        var check = new JsonArray("/bin/sh", "-c", DesiredSidecars.MountCheck(Config.Mounts[1]));

        Assert.True(JsonNode.DeepEquals(check, sidecar["livenessProbe"]!["exec"]!["command"]));
        Assert.True(JsonNode.DeepEquals(check, sidecar["startupProbe"]!["exec"]!["command"]));
        Assert.Equal((30, 30, 10, 3), Timing(sidecar["livenessProbe"]!));
        Assert.Equal((delay, period, timeout, failures), Timing(sidecar["startupProbe"]!));
        Assert.Equal(mode == SidecarMode.Native ? "Always" : null, (string?)sidecar["restartPolicy"]);
        Assert.True(JsonNode.DeepEquals(DesiredSidecars.PreStop(Config.Mounts[1]), sidecar["lifecycle"]));
        Assert.DoesNotContain("/mnt/media/torbox/torrents", sidecar.ToJsonString());
    }

    // The cache is bounded and off the image layer: --cache-dir on the sidecar's own emptyDir,
    // whose sizeLimit leaves room for rclone's overshoot.
    [Theory]
    [InlineData("5Gi", "--vfs-cache-max-size=5G", "10Gi")]
    [InlineData("1536Mi", "--vfs-cache-max-size=1536M", "3Gi")]
    [InlineData("1G", "--vfs-cache-max-size=954M", "1908Mi")]
    public void CacheIsBoundedOnAnEmptyDir(string size, string flag, string sizeLimit)
    {
        var config = Config with { VfsCacheMaxSize = size };
        var sidecar = DesiredSidecars.SidecarContainer(config, config.Mounts[0], SidecarMode.Classic, "media-storage");

        Assert.Contains(flag, DesiredSidecars.RcloneArgs(config, config.Mounts[0]));
        Assert.Contains("--cache-dir=/cache", DesiredSidecars.RcloneArgs(config, config.Mounts[0]));
        Assert.Contains(sidecar["volumeMounts"]!.AsArray(), mount => (string?)mount!["name"] == "rclone-zurg-cache" && (string?)mount["mountPath"] == "/cache");
        Assert.Equal("""{"name":"rclone-zurg-cache","emptyDir":{"sizeLimit":"SIZE"}}""".Replace("SIZE", sizeLimit), DesiredSidecars.CacheVolume(config, config.Mounts[0]).ToJsonString());
    }

    private static (int, int, int, int) Timing(JsonNode probe) =>
        ((int)probe["initialDelaySeconds"]!, (int)probe["periodSeconds"]!, (int)probe["timeoutSeconds"]!, (int)probe["failureThreshold"]!);

    [Fact]
    public void InitDirsCreatesTheGivenMountPointsAndListsTheRootItMounts()
    {
        var initDirs = DesiredSidecars.InitDirsContainer(Config, "library", ["/data/zurg", "/data/my mount"], "/data/");

        Assert.Equal("init-dirs", (string?)initDirs["name"]);
        Assert.Equal(
            ["/bin/sh", "-c", "echo \"Creating mount point directories...\"\nmkdir -p /data/zurg '/data/my mount'\necho \"Verifying directory creation...\"\nls -la /data/\necho \"Mount points ready\"\n"],
            initDirs["command"]!.AsArray().Select(word => (string)word!));
        Assert.Equal("""[{"name":"library","mountPath":"/data/"}]""", initDirs["volumeMounts"]!.ToJsonString());
        Assert.True(JsonNode.DeepEquals(ContainerParts.Resources(Config.InitResources), initDirs["resources"]));
        Assert.Equal("""[{"name":"media-storage","mountPath":"/mnt/media"}]""", DesiredSidecars.InitDirsContainer(Config, "media-storage", ["/mnt/media/zurg"])["volumeMounts"]!.ToJsonString());
    }

    [Theory]
    [InlineData("/mnt/media/zurg", "/mnt/media/zurg")]
    [InlineData("with space", "'with space'")]
    [InlineData("it's", "'it'\\''s'")]
    [InlineData("", "''")]
    [InlineData("$(reboot)", "'$(reboot)'")]
    public void ShellWordsAreQuotedOnlyWhenNeeded(string word, string quoted)
    {
        Assert.Equal(quoted, ShellText.Quote(word));
    }

    // Runs the native startup probe's script with /bin/sh and the machine's awk against
    // mount tables in mountinfo format: it must pass only for a fuse.rclone mount exactly
    // on the mount path.
    [Theory]
    [InlineData("36 35 98:0 / /mnt/media rw,noatime master:1 - nfs4 server:/media rw\n37 36 0:50 / /mnt/media/zurg rw,nosuid shared:5 - fuse.rclone zurg: rw,user_id=0\n", 0)]
    [InlineData("37 36 0:50 / /mnt/media/zurg rw,nosuid - fuse.rclone zurg: rw\n", 0)]
    [InlineData("36 35 98:0 / /mnt/media rw,noatime master:1 - nfs4 server:/media rw\n", 1)]
    [InlineData("37 36 0:50 / /mnt/media/zurg rw shared:5 - tmpfs tmpfs rw\n", 1)]
    [InlineData("37 36 0:50 / /mnt/media/zurg/__all__ rw shared:5 - fuse.rclone zurg: rw\n", 1)]
    [InlineData("37 36 0:50 / /mnt/media/torbox rw shared:5 - fuse.rclone torbox: rw\n", 1)]
    public void NativeStartupProbeChecksTheMountTable(string mountinfo, int exitCode)
    {
        var table = Path.GetTempFileName();
        File.WriteAllText(table, mountinfo);
        try
        {
            var script = DesiredSidecars.MountCheck(Config.Mounts[0]).Replace("/proc/self/mountinfo", table);
            var start = new ProcessStartInfo("/bin/sh") { RedirectStandardError = true };
            start.ArgumentList.Add("-c");
            start.ArgumentList.Add(script);
            using var shell = Process.Start(start)!;
            Assert.True(shell.WaitForExit(10_000), "the probe script did not finish");
            Assert.Equal("", shell.StandardError.ReadToEnd());
            Assert.Equal(exitCode, shell.ExitCode);
        }
        finally
        {
            File.Delete(table);
        }
    }
}
