using System.Diagnostics;
using MediaStack.Core.Config;
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
        Assert.Equal(["mount", "zurg:", "/mnt/media/zurg", "--allow-other", "--rc-addr=127.0.0.1:5572"], withoutRc);
        Assert.DoesNotContain(seedOrder, arg => arg == "--rc-addr=:5572");
    }

    [Fact]
    public void SecretVolumesAreOnePerDistinctVolume()
    {
        var shared = Config with { Mounts = [Config.Mounts[0], Config.Mounts[1] with { Secret = "rclone-zurg-config", SecretVolume = "rclone-zurg-config" }] };

        Assert.Equal(["rclone-zurg-config", "rclone-config"], DesiredSidecars.SecretVolumes(Config).Select(volume => (string?)volume["name"]));
        Assert.Equal(["rclone-zurg-config"], DesiredSidecars.SecretVolumes(shared).Select(volume => (string?)volume["name"]));
        Assert.Equal(["media-storage"], DesiredSidecars.Volumes(Config, withSidecars: false).Select(volume => (string?)volume["name"]));
    }

    [Fact]
    public void AppMediaMountPropagatesOnlyWithSidecars()
    {
        Assert.Equal("HostToContainer", (string?)DesiredSidecars.AppMediaMount(Config, withSidecars: true)["mountPropagation"]);
        Assert.Null(DesiredSidecars.AppMediaMount(Config, withSidecars: false)["mountPropagation"]);
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
