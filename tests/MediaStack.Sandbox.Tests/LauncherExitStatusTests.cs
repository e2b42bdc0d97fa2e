using System.Text;
using MediaStack.Sandbox.Node.Linux;

namespace MediaStack.Sandbox.Tests;

// A killed container's status is the kernel's (137 for SIGKILL), whatever its launcher
// prints or returns; and the launcher's own message never reaches the container log.
public sealed class LauncherExitStatusTests
{
    const string Message = "unshare: sigprocmask unblock failed: Invalid argument\n";

    static (string Log, bool Seen) Feed(params string[] writes)
    {
        var log = new LogBuffer();
        var stderr = new LauncherStderr(log);
        foreach (var write in writes) stderr.Write(Encoding.UTF8.GetBytes(write));
        stderr.Flush();
        return (log.Text, stderr.SigkillSeen);
    }

    [Fact]
    public void The_unshare_message_is_recognised_however_glibc_splits_it()
    {
        // As glibc's err() writes it to an unbuffered stderr: three writes, read apart.
        Assert.Equal(("app: last words\n", true), Feed("app: last words\n", "unshare: ", "sigprocmask unblock failed", ": Invalid argument\n"));
        // Every split point of the message.
        for (var cut = 1; cut < Message.Length; cut++)
        {
            Assert.Equal(("", true), Feed(Message[..cut], Message[cut..]));
        }
        Assert.Equal(("", true), Feed(Message));
    }

    [Fact]
    public void Other_output_reaches_the_log_unchanged_and_at_once()
    {
        var log = new LogBuffer();
        var stderr = new LauncherStderr(log);

        stderr.Write(Encoding.UTF8.GetBytes("ERROR : mount failed"));
        Assert.Equal("ERROR : mount failed", log.Text);
        stderr.Write(Encoding.UTF8.GetBytes(" again\nunsh"));
        // Could be the message: held until the line is complete.
        Assert.Equal("ERROR : mount failed again\n", log.Text);
        stderr.Write(Encoding.UTF8.GetBytes("are this is not it\n"));
        Assert.Equal("ERROR : mount failed again\nunshare this is not it\n", log.Text);
        Assert.False(stderr.SigkillSeen);
        Assert.Equal(("unshare: other trouble\n", false), Feed("unshare: other trouble\n"));
    }

    [Theory]
    [InlineData(1, true, false, 137)]   // the sandbox's SIGKILL, launcher says 1 and nothing else
    [InlineData(0, true, false, 137)]   // ... or says 0
    [InlineData(137, true, false, 137)] // ... or passes the signal on, as util-linux 2.39 does
    [InlineData(1, false, true, 137)]   // a SIGKILL from elsewhere, told by unshare's message
    [InlineData(1, false, false, 1)]    // the workload's own exit 1
    [InlineData(143, false, false, 143)]
    [InlineData(0, false, false, 0)]
    public void The_status_is_the_kernels(int launcher, bool killedBySandbox, bool messageSeen, int expected)
    {
        Assert.Equal(expected, ContainerProcess.ExitStatus(launcher, killedBySandbox, messageSeen));
    }
}
