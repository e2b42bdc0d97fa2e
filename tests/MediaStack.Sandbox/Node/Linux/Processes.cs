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
    bool _sigkilled;

    // util-linux 2.38 unshare cannot re-raise SIGKILL (signal(SIGKILL, SIG_DFL) fails): it
    // prints this and exits 1 instead. Seen on its stderr, it means the workload got SIGKILL.
    const string UnshareSigkillQuirk = "unshare: sigprocmask unblock failed";

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
            container._pumps = Task.WhenAll(PumpAsync(stdout, log, null), PumpAsync(p.StandardError.BaseStream, log, container));
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
        return _sigkilled && _nsenter.ExitCode == 1 ? 128 + Native.SIGKILL : _nsenter.ExitCode;
    }

    public bool HasExited => _exited.IsCompleted;

    public void Signal(int signal) => Native.kill(InitPid, signal);

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

    static async Task PumpAsync(Stream s, LogBuffer log, ContainerProcess? unshareStderr)
    {
        var buffer = new byte[16 * 1024];
        int n;
        while ((n = await s.ReadAsync(buffer)) > 0)
        {
            if (unshareStderr is not null && Encoding.UTF8.GetString(buffer, 0, n) is var text && text.Contains(UnshareSigkillQuirk))
            {
                unshareStderr._sigkilled = true;
                log.Append(Encoding.UTF8.GetBytes(string.Join('\n', text.Split('\n').Where(l => !l.StartsWith(UnshareSigkillQuirk)))));
                continue;
            }
            log.Append(buffer.AsSpan(0, n));
        }
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
