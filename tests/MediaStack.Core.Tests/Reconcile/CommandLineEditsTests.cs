using MediaStack.Core.Reconcile;

namespace MediaStack.Core.Tests.Reconcile;

// The word-level rewrites behind the fixes of MS111, MS112, MS113 and init-dirs: exact, and
// null when there is nothing to change (so the planner touches only what is wrong).
public class CommandLineEditsTests
{
    [Theory]
    [InlineData("--rc-addr=:5572", "--rc-addr=127.0.0.1:5572")]
    [InlineData("--rc-addr=0.0.0.0:5573", "--rc-addr=127.0.0.1:5573")]
    [InlineData("--rc-addr=[::]:5574", "--rc-addr=127.0.0.1:5574")]
    [InlineData("exec rclone mount zurg: /mnt/media/zurg --rc --rc-no-auth --rc-addr :5572 --allow-other", "exec rclone mount zurg: /mnt/media/zurg --rc --rc-no-auth --rc-addr 127.0.0.1:5572 --allow-other")]
    [InlineData("rclone mount a: /a --rc-addr=:5572; rclone mount b: /b --rc-addr\t0.0.0.0:5573", "rclone mount a: /a --rc-addr=127.0.0.1:5572; rclone mount b: /b --rc-addr\t127.0.0.1:5573")]
    [InlineData("--rc-addr=192.168.1.20:5572", "--rc-addr=127.0.0.1:5572")]
    [InlineData("--rc-addr $(POD_IP):5573", "--rc-addr 127.0.0.1:5573")]
    [InlineData("--rc-addr=rclone.media.svc:5572", "--rc-addr=127.0.0.1:5572")]
    [InlineData("--rc-addr=127.0.0.1:5572", null)]
    [InlineData("--rc-addr=127.0.0.2:5572", null)]
    [InlineData("--rc-addr=localhost:5572", null)]
    [InlineData("--rc-addr=[::1]:5572", null)]
    [InlineData("--rc", null)]
    [InlineData("--rc-addr-extra=:5572", null)]
    public void The_rc_address_moves_to_loopback_in_a_flag_or_a_shell_line(string text, string? expected)
    {
        Assert.Equal(expected, CommandLineEdits.RcOnLoopback(text));
    }

    [Theory]
    [InlineData("--rc-addr", ":5572", "127.0.0.1:5572")]
    [InlineData("--rc-addr", "0.0.0.0:5573", "127.0.0.1:5573")]
    [InlineData("--rc-addr", "[::]:5572", "127.0.0.1:5572")]
    [InlineData("--rc-addr", "10.0.0.5:5572", "127.0.0.1:5572")]
    [InlineData("--rc-addr", "127.0.0.1:5572", null)]
    [InlineData("--rc-addr", "[::1]:5572", null)]
    [InlineData("--rc-addr", "localhost:5572", null)]
    [InlineData("--config", ":5572", null)]
    public void The_rc_address_given_as_its_own_list_item_moves_too(string previous, string value, string? expected)
    {
        Assert.Equal(expected, CommandLineEdits.RcValueOnLoopback(previous, value));
    }

    [Theory]
    [InlineData("fusermount -uz /mnt/media/zurg || true", "fusermount3 -uz /mnt/media/zurg || true")]
    [InlineData("fusermount", "fusermount3")]
    [InlineData("/usr/bin/fusermount -u /a; fusermount -u /b", "/usr/bin/fusermount3 -u /a; fusermount3 -u /b")]
    [InlineData("fusermount3 -uz /mnt/media/zurg", null)]
    [InlineData("umount -l /mnt/media/zurg", null)]
    public void Fusermount_becomes_fusermount3(string text, string? expected)
    {
        Assert.Equal(expected, CommandLineEdits.Fusermount3(text));
    }

    [Theory]
    [InlineData("--rc-addr=:5572", 5573, "--rc-addr=:5573")]
    [InlineData("--rc-addr=127.0.0.1:5572", 5574, "--rc-addr=127.0.0.1:5574")]
    [InlineData("--rc-addr=[::1]:5572", 5573, "--rc-addr=[::1]:5573")]
    [InlineData("exec rclone mount t: /t --rc --rc-addr localhost:5572", 5573, "exec rclone mount t: /t --rc --rc-addr localhost:5573")]
    [InlineData("--rc-addr=127.0.0.1:5573", 5573, null)]
    [InlineData("--rc", 5573, null)]
    public void The_rc_port_is_replaced_and_the_host_kept(string text, int port, string? expected)
    {
        Assert.Equal(expected, CommandLineEdits.RcPort(text, port));
    }

    [Theory]
    [InlineData("--rc-addr", "127.0.0.1:5572", 5573, "127.0.0.1:5573")]
    [InlineData("--rc-addr", ":5572", 5574, ":5574")]
    [InlineData("--rc-addr", "127.0.0.1:5573", 5573, null)]
    [InlineData("--log-level", "INFO", 5573, null)]
    public void The_rc_port_given_as_its_own_list_item(string previous, string value, int port, string? expected)
    {
        Assert.Equal(expected, CommandLineEdits.RcValuePort(previous, value, port));
    }

    [Theory]
    [InlineData("mkdir -p /mnt/media/zurg", "mkdir -p /mnt/media/zurg /mnt/media/torbox")]
    [InlineData("mkdir -p /mnt/media/zurg  \n", "mkdir -p /mnt/media/zurg /mnt/media/torbox  \n")]
    [InlineData("set -e\nmkdir -p /mnt/media/zurg && chown 1000:1000 /mnt/media/zurg\nls /mnt/media", "set -e\nmkdir -p /mnt/media/zurg /mnt/media/torbox && chown 1000:1000 /mnt/media/zurg\nls /mnt/media")]
    [InlineData("mkdir -p /mnt/media/zurg; echo done", "mkdir -p /mnt/media/zurg /mnt/media/torbox; echo done")]
    public void Mount_points_are_added_to_the_first_mkdir_and_removed_again(string script, string added)
    {
        Assert.Equal(added, CommandLineEdits.AddMkdirPaths(script, ["/mnt/media/zurg", "/mnt/media/torbox"]));
        Assert.Equal(script, CommandLineEdits.RemovePaths(added, ["/mnt/media/torbox"]));
    }

    [Fact]
    public void Adding_quotes_a_path_that_needs_it_and_nothing_already_there()
    {
        Assert.Equal("mkdir -p /a '/mnt/media/my mount'", CommandLineEdits.AddMkdirPaths("mkdir -p /a", ["/a", "/mnt/media/my mount"]));
        // ... and Remove takes the quoted path out again, whole.
        Assert.Equal("mkdir -p /a", CommandLineEdits.RemovePaths("mkdir -p /a '/mnt/media/my mount'", ["/mnt/media/my mount"]));
        Assert.Equal("mkdir -p \"/mnt/media/my mount/x\" /a", CommandLineEdits.RemovePaths("mkdir -p \"/mnt/media/my mount/x\" \"/mnt/media/my mount\" /a", ["/mnt/media/my mount"]));
        Assert.Null(CommandLineEdits.AddMkdirPaths("mkdir -p /a /b", ["/a", "/b/"]));
        Assert.Null(CommandLineEdits.AddMkdirPaths("echo no mkdir here", ["/a"]));
        // The word in a message is no command: the paths go to the mkdir that runs.
        Assert.Equal("echo \"mkdir the mount points\"\nmkdir -p /a /b", CommandLineEdits.AddMkdirPaths("echo \"mkdir the mount points\"\nmkdir -p /a", ["/b"]));
    }

    [Theory]
    // The chown that follows the mkdir loses the path too; a command left without operand goes
    // with its separator, and so does a line left empty.
    [InlineData("mkdir -p /mnt/media/zurg /mnt/media/torbox && chown 1000:1000 /mnt/media/zurg /mnt/media/torbox", "mkdir -p /mnt/media/torbox && chown 1000:1000 /mnt/media/torbox")]
    [InlineData("echo start\nmkdir -p /mnt/media/zurg && chown 1000 /mnt/media/zurg\nls -la /mnt/media/\n", "echo start\nls -la /mnt/media/\n")]
    [InlineData("mkdir -p /mnt/media/zurg; echo done", "echo done")]
    [InlineData("echo start; mkdir -p \"/mnt/media/zurg\"", "echo start")]
    [InlineData("  mkdir -p '/mnt/media/zurg/' /mnt/media/torbox", "  mkdir -p /mnt/media/torbox")]
    [InlineData("mkdir -p /mnt/media/zurg\n", "")]
    [InlineData("mkdir -p /mnt/media/zurgx /mnt/media/torbox", null)]
    public void Paths_are_removed_from_every_command_of_the_script(string script, string? expected)
    {
        Assert.Equal(expected, CommandLineEdits.RemovePaths(script, ["/mnt/media/zurg"]));
    }
}
