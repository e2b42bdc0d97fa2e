using System.Diagnostics;
using System.Text;

namespace MediaStack.Sandbox.Node.Linux;

// One container instance as processes: nsenter (node mount+pid ns, pod netns) -> unshare
// (new mount, pid and uts namespace; --kill-child) -> the setup script, which becomes the
// container's pid 1 and exec's the workload. Killing pid 1 ends the whole container, since
// the kernel kills every process of a pid namespace whose init dies.
public sealed class ContainerProcess : IAsyncDisposable
{
    readonly Process _nsenter;
    readonly Task _exited;
    Task _pumps = Task.CompletedTask;
    LauncherStderr? _stderr;
    volatile bool _killed;

    readonly bool _privileged;
    readonly IReadOnlyList<string> _capabilities;

    ContainerProcess(Process nsenter, int initPid, LogBuffer log, bool privileged, IReadOnlyList<string> capabilities)
    {
        _nsenter = nsenter; InitPid = initPid; Log = log; _privileged = privileged; _capabilities = capabilities;
        _exited = nsenter.WaitForExitAsync();
    }

    public int InitPid { get; }
    public LogBuffer Log { get; }
    public DateTimeOffset StartedAt { get; private set; }

    // Creates the container (namespaces, mounts) and returns once it waits for Start().
    // A setup failure throws with the script's error text (the container never existed).
    public static async Task<ContainerProcess> CreateAsync(NodeNamespace node, string netnsNodePath, string setupNodePath,
        IReadOnlyList<string> command, bool privileged, IReadOnlyList<string> capabilities, IReadOnlyDictionary<string, string> env, LogBuffer log, CancellationToken ct)
    {
        var psi = node.Enter(["unshare", "--mount", "--pid", "--uts", "--fork", "--kill-child", "--propagation", "unchanged",
            "--", "/bin/sh", setupNodePath, .. command], netnsNodePath);
        psi.Environment.Clear();
        foreach (var (k, v) in env) psi.Environment[k] = v;
        var p = Process.Start(psi)!;
        try
        {
            var stdout = p.StandardOutput.BaseStream;
            var marker = await ReadLineAsync(stdout, ct);
            if (marker != ContainerSetup.CreatedMarker)
            {
                var err = await p.StandardError.ReadToEndAsync(ct);
                await p.WaitForExitAsync(ct);
                p.Dispose();
                throw new InvalidOperationException((marker + "\n" + err).Trim());
            }
            var unshare = await NodeNamespace.ChildPidAsync(p.Id, ct);
            var init = await NodeNamespace.ChildPidAsync(unshare, ct);
            var container = new ContainerProcess(p, init, log, privileged, capabilities);
            container._stderr = new LauncherStderr(log);
            container._pumps = Task.WhenAll(PumpAsync(stdout, log.Append), PumpAsync(p.StandardError.BaseStream, container._stderr.Write, container._stderr.Flush));
            return container;
        }
        catch (OperationCanceledException)
        {
            p.Kill(entireProcessTree: true);
            await p.WaitForExitAsync(CancellationToken.None);
            p.Dispose();
            throw;
        }
    }

    public void Start()
    {
        StartedAt = DateTimeOffset.UtcNow;
        _nsenter.StandardInput.WriteLine();
        _nsenter.StandardInput.Close();
    }

    // The workload's exit code (128+signal when killed), once its output is drained.
    public async Task<int> WaitAsync(CancellationToken ct)
    {
        await _exited.WaitAsync(ct);
        await _pumps.WaitAsync(TimeSpan.FromSeconds(5), ct).ContinueWith(_ => { }, TaskScheduler.Default);
        return ExitStatus(_nsenter.ExitCode, _killed, _stderr?.SigkillSeen ?? false);
    }

    // The kernel's status, whatever the launcher reports. SIGKILL cannot be caught or
    // ignored, so a container whose main process the sandbox sent it to died of it (137),
    // even when the launcher says otherwise: util-linux 2.38 unshare cannot re-raise SIGKILL
    // and exits 1 with "sigprocmask unblock failed" instead. That message also tells of a
    // SIGKILL from outside the sandbox.
    internal static int ExitStatus(int launcherCode, bool killedBySandbox, bool launcherSawSigkill) =>
        killedBySandbox || (launcherSawSigkill && launcherCode == 1) ? 128 + Native.SIGKILL : launcherCode;

    public bool HasExited => _exited.IsCompleted;

    // Once the launcher is gone the pid may belong to another process: nothing is sent then.
    public void Signal(int signal)
    {
        if (HasExited)
        {
            return;
        }
        if (Native.kill(InitPid, signal) == 0 && signal == Native.SIGKILL)
        {
            _killed = true;
        }
    }

    // A process inside this container (exec sessions, exec probes).
    public ProcessStartInfo Exec(IReadOnlyList<string> command, IReadOnlyDictionary<string, string> env)
    {
        var psi = new ProcessStartInfo(Availability.Tools["nsenter"],
            ["-t", InitPid.ToString(), "-m", "-p", "-n", "-u", "-r", "-w", "--", .. _privileged ? command : ContainerSetup.Unprivileged(command, _capabilities)])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        psi.Environment.Clear();
        foreach (var (k, v) in env) psi.Environment[k] = v;
        return psi;
    }

    static async Task<string> ReadLineAsync(Stream s, CancellationToken ct)
    {
        var line = new List<byte>();
        var one = new byte[1];
        while (await s.ReadAsync(one, ct) == 1 && one[0] != '\n') line.Add(one[0]);
        return Encoding.UTF8.GetString(line.ToArray());
    }

    delegate void Sink(ReadOnlySpan<byte> data);

    static async Task PumpAsync(Stream s, Sink sink, Action? end = null)
    {
        var buffer = new byte[16 * 1024];
        int n;
        while ((n = await s.ReadAsync(buffer)) > 0)
        {
            sink(buffer.AsSpan(0, n));
        }
        end?.Invoke();
    }

    public async ValueTask DisposeAsync()
    {
        if (!HasExited)
        {
            Signal(Native.SIGKILL);
            await _exited;
        }
        _nsenter.Dispose();
    }
}

// The launcher's stderr on its way into the container log (the workload writes there too).
// util-linux 2.38 unshare's SIGKILL message is taken out and remembered. glibc writes it in
// pieces ("unshare: ", then the text, then ": Invalid argument\n"), so a line that could be
// that message is held back until it is complete: a message split across reads is still
// recognised (a split one went into the log as is and the container got exit 1, not 137).
internal sealed class LauncherStderr(LogBuffer log)
{
    static readonly byte[] Quirk = Encoding.ASCII.GetBytes("unshare: sigprocmask unblock failed");
    readonly List<byte> _line = [];

    public bool SigkillSeen { get; private set; }

    public void Write(ReadOnlySpan<byte> data)
    {
        lock (_line)
        {
            foreach (var b in data)
            {
                _line.Add(b);
                if (b == (byte)'\n')
                {
                    EndLine();
                }
            }
            // A partial line that cannot be the message goes on at once, as before.
            if (_line.Count > 0 && !CouldBeQuirk())
            {
                log.Append(_line.ToArray());
                _line.Clear();
            }
        }
    }

    public void Flush()
    {
        lock (_line)
        {
            EndLine();
        }
    }

    void EndLine()
    {
        if (_line.Count >= Quirk.Length && _line.Take(Quirk.Length).SequenceEqual(Quirk))
        {
            SigkillSeen = true;
        }
        else if (_line.Count > 0)
        {
            log.Append(_line.ToArray());
        }
        _line.Clear();
    }

    bool CouldBeQuirk()
    {
        var n = Math.Min(_line.Count, Quirk.Length);
        for (var i = 0; i < n; i++)
        {
            if (_line[i] != Quirk[i]) return false;
        }
        return true;
    }
}
