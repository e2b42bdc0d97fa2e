using MediaStack.Core.Diagnosis.Runtime;

namespace MediaStack.Core.Tests.Diagnosis;

// Lines as rclone 1.60 and fusermount3 print them (several captured from real runs of the
// Debian rclone: missing mount point, missing /dev/fuse, missing config section).
public class LogSignatureTests
{
    [Theory]
    [InlineData("2026/11/25 21:40:01 mount helper error: fusermount3: failed to open /dev/fuse: Operation not permitted", "MS221")]
    [InlineData("2026/11/25 21:37:39 mount helper error: fusermount: fuse device not found, try 'modprobe fuse' first", "MS222")]
    [InlineData("2026/11/25 21:40:01 mount helper error: fusermount3: mount failed: Permission denied", "MS223")]
    [InlineData("2026/11/25 21:40:01 Fatal error: failed to mount FUSE fs: directory already mounted, use --allow-non-empty to mount anyway: /mnt/media/zurg", "MS224")]
    [InlineData("2026/11/25 21:40:01 Fatal error: failed to mount FUSE fs: mountpoint is not empty, use --allow-non-empty", "MS225")]
    [InlineData("2026/11/25 21:37:34 Fatal error: failed to mount FUSE fs: mountpoint does not exist: /mnt/media/zurg", "MS226")]
    [InlineData("2026/11/25 21:40:01 mount helper error: fusermount3: failed to access mountpoint /mnt/media/zurg: No such file or directory", "MS226")]
    [InlineData("2026/11/25 21:37:34 Failed to create file system for \"zurg:\": didn't find section in config file", "MS227")]
    [InlineData("2026/11/25 21:37:34 NOTICE: Config file \"/config/rclone/rclone.conf\" not found - using defaults", "MS227")]
    [InlineData("2026/11/25 21:40:01 ERROR : __all__: error reading source directory: 401 Unauthorized", "MS228")]
    [InlineData("2026/11/25 21:40:01 ERROR : : error listing: Propfind \"http://zurg.media-stack.svc:9999/dav/\": dial tcp 10.0.0.5:9999: connect: connection refused", "MS229")]
    [InlineData("2026/11/25 21:40:01 Failed to create file system for \"torbox:\": Propfind \"https://webdav.torbox.app/\": dial tcp: lookup webdav.torbox.app: no such host", "MS229")]
    [InlineData("2026/11/25 21:40:01 Failed to start remote control: failed to init server: listen tcp 127.0.0.1:5572: bind: address already in use", "MS230")]
    public void KnownLine_MapsToItsRule(string line, string ruleId)
    {
        var match = Assert.Single(LogSignatures.Find(line, "/mnt/media/zurg"));

        Assert.Equal(ruleId, match.Signature.Rule.Id);
        Assert.Equal(line, match.Line);
    }

    [Fact]
    public void NoSuchFile_ElsewhereThanTheMountPoint_IsNotAMissingMountPoint()
    {
        Assert.Empty(LogSignatures.Find("2026/11/25 21:40:01 ERROR : Movies/x.mkv: ReadFileHandle.Read error: open /tmp/cache/x: no such file or directory", "/mnt/media/zurg"));
    }

    [Fact]
    public void HealthyMountLog_MatchesNothing()
    {
        const string log = """
            2026/11/25 21:40:01 NOTICE: Serving remote control on http://127.0.0.1:5572/
            2026/11/25 21:40:02 INFO  : vfs cache: cleaned: objects 0 (was 0) in use 0, to upload 0, uploading 0, total size 0 (was 0)
            2026/11/25 21:41:02 INFO  : zurg: vfs cache: cleaned: objects 0 (was 0)
            """;

        Assert.Empty(LogSignatures.Find(log, "/mnt/media/zurg"));
    }

    [Fact]
    public void RepeatedLines_AreCountedOnce_FirstLineKept()
    {
        const string log = """
            2026/11/25 21:40:01 mount helper error: fusermount3: failed to open /dev/fuse: Operation not permitted
            2026/11/25 21:40:01 Fatal error: failed to mount FUSE fs: fusermount: exit status 1
            2026/11/25 21:40:31 mount helper error: fusermount3: failed to open /dev/fuse: Operation not permitted
            """;

        var match = Assert.Single(LogSignatures.Find(log));

        Assert.Equal(2, match.Count);
        Assert.StartsWith("2026/11/25 21:40:01", match.Line);
    }
}
