using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json.Nodes;
using MediaStack.Sandbox.Backends;
using MediaStack.Sandbox.Node.Linux.Images;

namespace MediaStack.Sandbox.Node.Linux;

public sealed record LinuxNodeOptions
{
    // Probe delays and periods are multiplied by this (0.2: a 30 s period probes every 6 s).
    public double ProbeTimeScale { get; init; } = 0.2;
}

// Runs pods as real process trees in Linux namespaces inside one node namespace, with real
// rclone FUSE mounts over real WebDAV backends (see sandbox.md, "Node runtime").
public sealed class LinuxNodeRuntime(LinuxNodeOptions options) : INodeRuntime
{
    // What RuntimeCatalog instantiates for `up --runtime linux`.
    public LinuxNodeRuntime() : this(new LinuxNodeOptions()) { }

    readonly LinuxNodeOptions _options = options;
    readonly ConcurrentDictionary<(string Ns, string Name), PodRunner> _pods = new();
    readonly ConcurrentDictionary<string, Lazy<Task>> _hostRoots = new(StringComparer.Ordinal);
    readonly SemaphoreSlim _startLock = new(1, 1);
    readonly List<WebDavBackend> _backends = [];
    NetnsSockets? _sockets;
    NodeNamespace? _node;
    INodeHost? _host;
    int _podIndex;

    public string? Unavailable => Availability.Reason;

    public IReadOnlyList<WebDavBackend> Backends => _backends;

    // Host pid of the node namespace's pid 1 while the node runs (diagnostics, tests).
    public int? NodePid => _node?.Pid;

    public void Attach(INodeHost host) => _host = host;

    // Starts the node and the scenario's backends (spec.backends) and seeds its claims.
    public async Task ConfigureAsync(JsonObject scenario, CancellationToken ct)
    {
        var settings = BackendSettings.FromScenario(scenario);
        var node = await NodeAsync(ct);
        foreach (var server in settings.Servers.Where(s => _backends.All(b => b.Server.Name != s.Name)))
            _backends.Add(await WebDavBackend.StartAsync(node, server, ct));
        foreach (var claim in settings.Claims) SeedClaim(node, claim, settings.Servers);
    }

    void SeedClaim(NodeNamespace node, ClaimSeed claim, IReadOnlyList<BackendServer> servers)
    {
        var dir = node.HostPath(Volumes.ClaimDir(claim.Namespace, claim.Name));
        foreach (var d in claim.Directories) Directory.CreateDirectory(Path.Combine(dir, d));
        foreach (var server in servers)
        {
            var stream = Path.Combine(dir, "stream", server.Name);
            Directory.CreateDirectory(stream);
            for (var i = 0; i < Math.Min(claim.StreamLinks, server.Entries); i++)
            {
                var link = Path.Combine(stream, TreeGenerator.FileName(server, i));
                if (!File.Exists(link) && !Directory.Exists(link))
                    File.CreateSymbolicLink(link, $"{server.MountPath}/{TreeGenerator.FilePath(server, i)}");
            }
        }
    }

    async Task<NodeNamespace> NodeAsync(CancellationToken ct)
    {
        if (_node is not null) return _node;
        await _startLock.WaitAsync(ct);
        try
        {
            if (_node is not null) return _node;
            if (Unavailable is { } reason) throw new InvalidOperationException(reason);
            var node = await NodeNamespace.StartAsync(ct);
            await NodeUserlands.PrepareAsync(node, ct);
            _sockets = new NetnsSockets();
            return _node = node;
        }
        finally { _startLock.Release(); }
    }

    public async Task StartPodAsync(JsonObject pod, CancellationToken ct)
    {
        var host = _host ?? throw new InvalidOperationException("Attach an INodeHost before starting pods.");
        var node = await NodeAsync(ct);
        var runner = new PodRunner(node, host, _sockets!, _backends, pod, _options.ProbeTimeScale, Interlocked.Increment(ref _podIndex));
        await _hostRoots.GetOrAdd(runner.NodeName, name => new Lazy<Task>(() => Volumes.PrepareHostRootAsync(node, name, CancellationToken.None))).Value;
        // A StatefulSet pod comes back under the same name; a force-deleted predecessor may
        // still be stopping (its teardown was started by the same deletion), so wait for it.
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!_pods.TryAdd((runner.Namespace, runner.Name), runner))
        {
            if (!_pods.TryGetValue((runner.Namespace, runner.Name), out var previous)) continue;
            if (previous.Uid == runner.Uid || DateTime.UtcNow > deadline)
                throw new InvalidOperationException($"Pod {runner.Namespace}/{runner.Name} is already running on this node.");
            await Task.Delay(100, ct);
        }
        runner.Begin();
    }

    public async Task StopPodAsync(string ns, string name, string uid, int gracePeriodSeconds, CancellationToken ct)
    {
        if (!_pods.TryGetValue((ns, name), out var runner) || runner.Uid != uid) return;
        await runner.StopAsync(TimeSpan.FromSeconds(Math.Max(0, gracePeriodSeconds) * _options.ProbeTimeScale + 1));
        _pods.TryRemove(new KeyValuePair<(string, string), PodRunner>((ns, name), runner));
    }

    public async Task<int> ExecAsync(ExecRequest request, CancellationToken ct)
    {
        var container = Container(request.Namespace, request.Pod, request.Container);
        if (container.Current is not { HasExited: false } instance || !container.Running)
            throw new ContainerNotRunningException($"container {request.Container} is not running");
        using var p = Process.Start(instance.Exec(request.Command, container.Environment(mainProcess: false)))!;
        var stdin = request.Stdin is null ? Task.CompletedTask : CopyStdinAsync(request.Stdin, p, ct);
        if (request.Stdin is null) p.StandardInput.Close();
        var stdout = PumpAsync(p.StandardOutput.BaseStream, request.Stdout, ct);
        var stderr = PumpAsync(p.StandardError.BaseStream, request.Stderr, ct);
        try { await p.WaitForExitAsync(ct); }
        catch (OperationCanceledException) { p.Kill(entireProcessTree: true); throw; }
        await Task.WhenAll(stdout, stderr);
        return p.ExitCode;
    }

    static async Task CopyStdinAsync(Stream stdin, Process p, CancellationToken ct)
    {
        try { await stdin.CopyToAsync(p.StandardInput.BaseStream, ct); }
        catch (IOException) { }
        finally { try { p.StandardInput.Close(); } catch (IOException) { } }
    }

    static async Task PumpAsync(Stream from, Func<ReadOnlyMemory<byte>, CancellationToken, Task> to, CancellationToken ct)
    {
        var buffer = new byte[16 * 1024];
        int n;
        while ((n = await from.ReadAsync(buffer, ct)) > 0) await to(buffer.AsMemory(0, n), ct);
    }

    public string? ReadLog(string ns, string pod, string container, bool previous)
    {
        if (!_pods.TryGetValue((ns, pod), out var runner) || runner.Find(container) is not { } c) return null;
        return previous ? c.PreviousLog?.Text : c.Current?.Log.Text;
    }

    ContainerRunner Container(string ns, string pod, string container)
    {
        if (!_pods.TryGetValue((ns, pod), out var runner))
            throw new ContainerNotFoundException($"pod {pod} is not running on this node");
        return runner.Find(container) ?? throw new ContainerNotFoundException($"container {container} is not valid for pod {pod}");
    }

    // Faults (see Scenarios/README.md):
    //   kill-container  namespace, pod, container [, signal=KILL|TERM]  signal the container's main process
    //   slow-backend    backend [, latencyMs=200]                      add latency to each request
    //   stop-backend    backend                                        refuse connections
    //   hang-backend    backend                                        accept, never answer
    //   restore-backend backend                                        back to normal
    public Task<string> ApplyFaultAsync(string name, JsonObject args, CancellationToken ct)
    {
        string? Opt(string key) => args[key]?.ToString();
        string Arg(string key) => Opt(key) ?? throw new ArgumentException($"the fault {name} needs \"{key}\"");
        switch (name)
        {
            case "kill-container":
                var c = Container(Opt("namespace") ?? "default", Arg("pod"), Arg("container"));
                if (c.Current is not { HasExited: false } instance) throw new ArgumentException($"container {c.Name} is not running");
                var signal = Opt("signal") is "TERM" or "SIGTERM" ? Native.SIGTERM : Native.SIGKILL;
                instance.Signal(signal);
                return Task.FromResult($"sent {(signal == Native.SIGKILL ? "SIGKILL" : "SIGTERM")} to the main process of {Opt("namespace") ?? "default"}/{Arg("pod")}/{c.Name}");
            case "slow-backend" or "stop-backend" or "hang-backend" or "restore-backend":
                var backend = _backends.FirstOrDefault(b => b.Server.Name == Arg("backend"))
                    ?? throw new ArgumentException($"no backend named \"{Arg("backend")}\" (known: {string.Join(", ", _backends.Select(b => b.Server.Name))})");
                var latency = TimeSpan.FromMilliseconds(Opt("latencyMs") is { } ms ? int.Parse(ms) : 200);
                var mode = name switch
                {
                    "slow-backend" => BackendMode.Slow,
                    "stop-backend" => BackendMode.Stopped,
                    "hang-backend" => BackendMode.Hung,
                    _ => BackendMode.Normal,
                };
                backend.Fault.Set(mode, latency);
                return Task.FromResult($"backend {backend.Server.Name}: {mode}" + (mode == BackendMode.Slow ? $" (+{latency.TotalMilliseconds:0} ms per request)" : ""));
            default:
                throw new NotSupportedException($"the node runtime does not know the fault \"{name}\" (known: kill-container, slow-backend, stop-backend, hang-backend, restore-backend)");
        }
    }

    public async ValueTask DisposeAsync()
    {
        // Best effort per pod, within the cluster's stop budget: whatever is left dies with the
        // node namespace below.
        var stops = Task.WhenAll(_pods.Values.Select(p => p.StopAsync(TimeSpan.FromSeconds(1)).ContinueWith(_ => { }, TaskScheduler.Default)));
        await Task.WhenAny(stops, Task.Delay(Hosting.SandboxCluster.PodStopBudget));
        _pods.Clear();
        await Task.WhenAll(_backends.Select(b => b.DisposeAsync().AsTask()));
        _backends.Clear();
        _sockets?.Dispose();
        if (_node is not null) await _node.DisposeAsync();
        _node = null;
    }
}
