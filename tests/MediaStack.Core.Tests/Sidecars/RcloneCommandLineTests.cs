using MediaStack.Core.Sidecars;

namespace MediaStack.Core.Tests.Sidecars;

// The one parser of `rclone mount` command lines, in the forms real manifests use.
public class RcloneCommandLineTests
{
    [Fact]
    public void EntrypointForm_WithEqualsFlags()
    {
        var line = RcloneCommandLine.TryParse(["mount", "zurg:", "/mnt/media/zurg", "--rc", "--rc-no-auth", "--rc-addr=:5572"])!;

        Assert.Equal(("zurg:", "/mnt/media/zurg"), (line.Remote, line.MountPoint));
        Assert.True(line.RcEnabled && line.RcNoAuth);
        Assert.Equal((5572, ""), (line.RcPort, line.RcHost));
        Assert.False(line.RcLoopbackOnly);
    }

    [Fact]
    public void ShellScriptForm_AsTheSandboxAndRealStacksWriteIt()
    {
        var line = RcloneCommandLine.TryParse(["/bin/sh", "-c",
            "fusermount3 -uz /mnt/media/zurg 2>/dev/null; exec rclone mount zurg: /mnt/media/zurg --config=/config/rclone/rclone.conf --rc --rc-addr 127.0.0.1:5573"])!;

        Assert.Equal(("zurg:", "/mnt/media/zurg"), (line.Remote, line.MountPoint));
        Assert.Equal(5573, line.RcPort);
        Assert.True(line.RcLoopbackOnly);
    }

    [Fact]
    public void ACommandNamingTheBinary_AndAWordWithASpace()
    {
        // A list item is one word, spaces and all; only a shell script is split into words.
        var line = RcloneCommandLine.TryParse(["/usr/local/bin/rclone", "mount", "gdrive:Media Library", "/data/gdrive", "--rc-addr", "[::1]:5580"])!;

        Assert.Equal(("gdrive:Media Library", "/data/gdrive"), (line.Remote, line.MountPoint));
        Assert.True(line.RcLoopbackOnly);
        Assert.Equal(("::1", 5580), (line.RcHost, line.RcPort));
    }

    [Fact]
    public void RcWithoutAddress_IsRclonesLocalhostDefault()
    {
        var line = RcloneCommandLine.TryParse(["rclone", "mount", "torbox:", "/mnt/media/torbox", "--rc"])!;

        Assert.Equal(("localhost:5572", 5572, true), (line.RcAddress, line.RcPort, line.RcLoopbackOnly));
        Assert.False(RcloneCommandLine.TryParse(["mount", "torbox:", "/t"])!.RcEnabled);
    }

    [Fact]
    public void TheMountEndsAtTheNextShellCommand()
    {
        var line = RcloneCommandLine.TryParse(["sh", "-c", "rclone mount zurg: /mnt/media/zurg --daemon && sleep infinity"])!;

        Assert.Equal(("zurg:", "/mnt/media/zurg"), (line.Remote, line.MountPoint));
    }

    [Theory]
    [InlineData("serve|webdav|zurg:")]
    [InlineData("sh|-c|mount -t tmpfs none /x")]
    [InlineData("mount|zurg:")]
    [InlineData("echo|mount|a:|/b")]
    public void NotAnRcloneMount(string tokens) => Assert.Null(RcloneCommandLine.TryParse(tokens.Split('|')));

    [Theory]
    [InlineData("serve|webdav|zurg:", true)]
    [InlineData("rclone|serve|nfs|torbox:|--addr|:2049", true)]
    [InlineData("sh|-c|exec rclone serve webdav zurg: --addr :8080", true)]
    [InlineData("serve|unknown|zurg:", false)]
    [InlineData("mount|zurg:|/z", false)]
    public void ServeIsToldApart(string tokens, bool serve) => Assert.Equal(serve, RcloneCommandLine.IsServe(tokens.Split('|')));
}
