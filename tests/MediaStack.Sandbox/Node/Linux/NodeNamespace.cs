using System.Diagnostics;
using System.Text;

namespace MediaStack.Sandbox.Node.Linux;

// "The node": one long-lived shell in a private mount namespace and its own pid namespace,
// with a tmpfs over /tmp that only this namespace sees. Every pod, backend and mount lives
// inside it. The shell waits on a pipe from this process; when the sandbox exits or is
// SIGKILLed the pipe closes, the shell (pid 1 of the namespace) exits, the kernel kills every
// process in the namespace and the namespace's mounts (FUSE included) vanish with it.
// .NET itself never changes namespace: threads share fs_struct, so unshare(CLONE_NEWNS) fails.
public sealed class NodeNamespace : IAsyncDisposable
{
    // The node-private tmpfs; paths below are as the node sees them.
    public const string Root = "/tmp";

    readonly Process _shell;

    NodeNamespace(Process shell, int pid) { _shell = shell; Pid = pid; }

    // Host pid of the node's pid-1 shell.
    public int Pid { get; }

    // The same node path, reachable from the host through the node shell's root.
    public string HostPath(string nodePath) => $"/proc/{Pid}/root{nodePath}";

    public static async Task<NodeNamespace> StartAsync(CancellationToken ct)
    {
        const string script = "mount -t tmpfs -o mode=0755 mediastack-node /tmp || exit 1\necho ready\nread _\n";
        var psi = new ProcessStartInfo(Availability.Tools["unshare"],
            ["--mount", "--pid", "--fork", "--kill-child", "--mount-proc", "--propagation", "private", "--", "/bin/sh", "-c", script])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        var shell = Process.Start(psi)!;
        var line = await shell.StandardOutput.ReadLineAsync(ct);
        if (line != "ready")
        {
            var err = await shell.StandardError.ReadToEndAsync(ct);
            throw new InvalidOperationException($"The node namespace did not start: {err.Trim()}");
        }
        var pid = await ChildPidAsync(shell.Id, ct);
        return new NodeNamespace(shell, pid);
    }

    // Host pid of a process's first child (unshare --fork, nsenter --fork put the real work there).
    public static async Task<int> ChildPidAsync(int parent, CancellationToken ct)
    {
        for (var i = 0; i < 500; i++)
        {
            try
            {
                var text = File.ReadAllText($"/proc/{parent}/task/{parent}/children").Trim();
                if (text.Length > 0) return int.Parse(text.Split(' ')[0]);
            }
            catch (IOException) { throw new InvalidOperationException($"Process {parent} exited before it started its child."); }
            await Task.Delay(10, ct);
        }
        throw new TimeoutException($"Process {parent} did not start its child.");
    }

    // A command run inside the node (mount and pid namespace; host network).
    public ProcessStartInfo Enter(IEnumerable<string> command, string? netnsNodePath = null)
    {
        var args = new List<string> { "-t", Pid.ToString(), "-m", "-p" };
        if (netnsNodePath is not null) args.Add($"--net={HostPath(netnsNodePath)}");
        args.Add("--");
        args.AddRange(command);
        return new ProcessStartInfo(Availability.Tools["nsenter"], args)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
    }

    // Runs a shell script inside the node and returns its output; throws with stderr on failure.
    public async Task<string> ShAsync(string script, CancellationToken ct)
    {
        var (code, output, error) = await RunAsync(Enter(["/bin/sh", "-c", script]), ct);
        if (code != 0) throw new InvalidOperationException($"Node command failed ({code}): {error.Trim()}");
        return output;
    }

    public static async Task<(int Code, string Output, string Error)> RunAsync(ProcessStartInfo psi, CancellationToken ct)
    {
        using var p = Process.Start(psi)!;
        p.StandardInput.Close();
        var output = p.StandardOutput.ReadToEndAsync(ct);
        var error = p.StandardError.ReadToEndAsync(ct);
        await p.WaitForExitAsync(ct);
        return (p.ExitCode, await output, await error);
    }

    public static string Quote(string s) => "'" + s.Replace("'", "'\"'\"'") + "'";

    public async ValueTask DisposeAsync()
    {
        try { _shell.StandardInput.Close(); } catch (IOException) { }
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try { await _shell.WaitForExitAsync(cts.Token); }
        catch (OperationCanceledException) { _shell.Kill(entireProcessTree: true); }
        _shell.Dispose();
    }
}
