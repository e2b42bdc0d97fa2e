using MediaStack.Sandbox.Node.Linux;

namespace MediaStack.Sandbox.Tests;

// The runtime refuses with one sentence naming what is missing; that sentence is what the
// node tests report as their skip reason.
public sealed class NodeAvailabilityTests
{
    [Fact]
    public void Each_missing_prerequisite_is_named_in_one_sentence()
    {
        string? Check(bool linux = true, bool root = true, string[]? absent = null, string? namespaces = null) =>
            Availability.Check(linux, root, path => absent?.Any(path.EndsWith) != true, () => namespaces);

        Assert.Null(Check());
        Assert.Equal("The sandbox node runtime needs Linux namespaces, and this is not Linux.", Check(linux: false));
        Assert.Equal("The sandbox node runtime needs root to create mount and network namespaces.", Check(root: false));
        Assert.Equal("The sandbox node runtime needs rclone, fusermount3, busybox (apt-get install rclone fuse3 busybox-static util-linux iproute2 e2fsprogs).",
            Check(absent: ["/rclone", "/fusermount3", "/busybox"]));
        Assert.Equal("The sandbox node runtime needs /dev/fuse, which this machine does not have.", Check(absent: ["/dev/fuse"]));
        Assert.Equal("no namespaces", Check(namespaces: "no namespaces"));
    }

    [Fact]
    public void The_runtime_reports_the_same_sentence_as_the_skip_reason()
    {
        Assert.Equal(Availability.Reason, new LinuxNodeRuntime().Unavailable);
        if (Availability.Reason is { } reason)
        {
            Assert.EndsWith(".", reason);
            Assert.DoesNotContain('\n', reason);
        }
    }
}
