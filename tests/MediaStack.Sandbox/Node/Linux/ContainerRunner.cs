using System.Diagnostics;
using System.Text.Json.Nodes;
using MediaStack.Sandbox.Node.Linux.Images;

namespace MediaStack.Sandbox.Node.Linux;

// One container of a pod across its instances: creates them, runs probes, restarts on exit
// with a short back-off (CrashLoopBackOff), keeps the current and previous log, and holds
// the containerStatus fields the pod publishes.
public sealed class ContainerRunner
{
    readonly PodRunner _pod;
    int _instance;

    public ContainerRunner(PodRunner pod, JsonObject spec, bool isInit)
    {
        _pod = pod;
        Spec = spec;
        Name = (string)spec["name"]!;
        Image = ImageBehaviour.For((string?)spec["image"] ?? "");
        IsInit = isInit;
        State = Waiting(isInit || pod.HasInitContainers ? "PodInitializing" : "ContainerCreating", null);
    }

    public string Name { get; }
    public JsonObject Spec { get; }
    public ImageBehaviour Image { get; }
    public bool IsInit { get; }
    public bool IsSidecar => IsInit && (string?)Spec["restartPolicy"] == "Always";
    // securityContext.capabilities add/drop, as setpriv bounding-set terms (+sys_admin, -net_raw).
    public IReadOnlyList<string> Capabilities =>
        Names("add", "+").Concat(Names("drop", "-")).ToList();

    IEnumerable<string> Names(string list, string sign) =>
        (Spec["securityContext"]?["capabilities"]?[list] as JsonArray ?? []).Select(c => sign + c!.ToString().ToLowerInvariant().Replace("cap_", ""));

    public bool Privileged => Spec["securityContext"]?["privileged"]?.ToString() is "true" or "True";

    public ContainerProcess? Current { get; private set; }
    public LogBuffer? PreviousLog { get; private set; }
    public int RestartCount { get; private set; }
    public bool Ready { get; private set; }
    public bool Started { get; private set; }
    public JsonObject State { get; private set; }
    public JsonObject? LastState { get; private set; }
    public bool Running => Current is { HasExited: false } && State.ContainsKey("running");

    // Creates the next instance (namespaces and mounts, not yet running).
    public async Task<ContainerProcess?> CreateAsync(CancellationToken ct)
    {
        var n = _instance++;
        var root = $"{_pod.Volumes.PodDir}/containers/{Name}/{n}";
        var setup = $"{root}.sh";
        var mounts = (Spec["volumeMounts"] as JsonArray ?? []).OfType<JsonObject>().Select(m =>
        {
            var source = _pod.Volumes.Source((string)m["name"]!);
            if (Volumes.IsFuseDevice(_pod.Volume((string)m["name"]!)))
                source = Privileged ? "/dev/fuse" : NodeUserlands.DeniedFuse;
            else if ((string?)m["subPath"] is { Length: > 0 } sub) source += "/" + sub;
            return new ContainerMount(source, (string)m["mountPath"]!, (string?)m["mountPropagation"] ?? "None", (bool?)m["readOnly"] == true);
        }).ToList();
        Directory.CreateDirectory(_pod.Node.HostPath($"{_pod.Volumes.PodDir}/containers/{Name}"));
        await File.WriteAllTextAsync(_pod.Node.HostPath(setup), ContainerSetup.Script(root, Image, Privileged, _pod.Name, mounts), ct);
        var log = new LogBuffer();
        try
        {
            var command = Privileged ? Image.Command(Spec) : ContainerSetup.Unprivileged(Image.Command(Spec), Capabilities);
            _pod.Event("Normal", "Pulled", $"Container image \"{(string?)Spec["image"]}\" already present on machine");
            var created = await ContainerProcess.CreateAsync(_pod.Node, _pod.NetnsNodePath, setup, command, Privileged, Capabilities, Environment(mainProcess: true), log, ct);
            _pod.Event("Normal", "Created", $"Created container {Name}");
            return created;
        }
        catch (InvalidOperationException e)
        {
            State = Waiting("CreateContainerError", e.Message);
            _pod.Event("Warning", "Failed", $"Error: {e.Message}");
            _pod.Publish();
            return null;
        }
    }

    // Runs instances until the pod stops, or until an exit the restart policy does not
    // restart (an init container's success, any exit under Never, success under OnFailure).
    // `first` is an already created instance, or null to create one.
    public async Task RunAsync(ContainerProcess? first, CancellationToken ct)
    {
        var next = first;
        while (!ct.IsCancellationRequested)
        {
            next ??= await CreateAsync(ct);
            if (next is null) { await BackOffAsync(ct); continue; }
            var exitCode = await RunInstanceAsync(next, ct);
            next = null;
            if (ct.IsCancellationRequested) return;
            if (!Restarts(exitCode)) { Finished = true; _pod.Publish(); return; }
            await BackOffAsync(ct);
        }
        // Created but never started (the pod stopped in between): it only waits for its start.
        if (next is not null) await next.DisposeAsync();
    }

    // Done for good: exited and not to be restarted (Succeeded when the code was 0).
    public bool Finished { get; private set; }
    public bool Succeeded => Finished && State["terminated"]?["exitCode"]?.AsInt() == 0;

    bool Restarts(int exitCode) => IsSidecar || _pod.RestartPolicy switch
    {
        "Never" => false,
        "OnFailure" => exitCode != 0,
        _ => !IsInit || exitCode != 0,
    };

    async Task<int> RunInstanceAsync(ContainerProcess instance, CancellationToken ct)
    {
        // Like the kubelet: "current" is the newest instance even after it exited (a crash
        // loop's logs), "previous" the one before it.
        if (Current is not null) PreviousLog = Current.Log;
        Current = instance;
        instance.Start();
        State = new JsonObject { ["running"] = new JsonObject { ["startedAt"] = Now() } };
        Started = Spec["startupProbe"] is null;
        Ready = Started && Spec["readinessProbe"] is null && (!IsInit || IsSidecar);
        _pod.Event("Normal", "Started", $"Started container {Name}");
        _pod.Publish();
        using var probing = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var probes = RunProbesAsync(instance, probing.Token);
        int code;
        try { code = await instance.WaitAsync(ct); }
        catch (OperationCanceledException) { code = await instance.WaitAsync(CancellationToken.None); }
        probing.Cancel();
        await probes.ContinueWith(_ => { }, TaskScheduler.Default);
        Ready = false;
        Started = false;
        var reason = code == 0 ? "Completed" : "Error";
        LastState = new JsonObject
        {
            ["terminated"] = new JsonObject
            {
                ["exitCode"] = code, ["reason"] = reason, ["startedAt"] = instance.StartedAt.ToString("yyyy-MM-ddTHH:mm:ssZ"),
                ["finishedAt"] = Now(), ["containerID"] = ContainerId,
            },
        };
        State = LastState.DeepClone().AsObject();
        await instance.DisposeAsync();
        if (!ct.IsCancellationRequested && Restarts(code)) RestartCount++;
        _pod.Publish();
        return code;
    }

    async Task BackOffAsync(CancellationToken ct)
    {
        // kubelet's 10 s doubling to 5 min, scaled down to 1 s doubling to 8 s.
        var delay = TimeSpan.FromSeconds(1 << Math.Clamp(RestartCount - 1, 0, 3));
        {
            var waiting = Waiting("CrashLoopBackOff", $"back-off {delay.TotalSeconds:0}s restarting failed container={Name} pod={_pod.Name}_{_pod.Namespace}({_pod.Uid})");
            State = waiting;
            _pod.Event("Warning", "BackOff", $"Back-off restarting failed container {Name} in pod {_pod.Name}_{_pod.Namespace}({_pod.Uid})");
            _pod.Publish();
        }
        try { await Task.Delay(delay, ct); } catch (OperationCanceledException) { }
    }

    async Task RunProbesAsync(ContainerProcess instance, CancellationToken ct)
    {
        try
        {
            if (Spec["startupProbe"] is JsonObject startup)
            {
                if (!await LoopAsync(new Probe(startup, _pod.TimeScale), "Startup", instance, untilSuccess: true, ct)) return;
                Started = true;
                if (Spec["readinessProbe"] is null) Ready = true;
                _pod.Publish();
            }
            var tasks = new List<Task>();
            if (Spec["livenessProbe"] is JsonObject live)
                tasks.Add(LoopAsync(new Probe(live, _pod.TimeScale), "Liveness", instance, untilSuccess: false, ct));
            if (Spec["readinessProbe"] is JsonObject ready)
                tasks.Add(ReadinessAsync(new Probe(ready, _pod.TimeScale), instance, ct));
            await Task.WhenAll(tasks);
        }
        catch (OperationCanceledException) { }
    }

    // Startup (until first success) and liveness: failureThreshold consecutive failures kill the container.
    async Task<bool> LoopAsync(Probe probe, string kind, ContainerProcess instance, bool untilSuccess, CancellationToken ct)
    {
        await Task.Delay(probe.InitialDelay, ct);
        var failures = 0;
        while (true)
        {
            var failure = await probe.RunAsync(instance, Environment(false), Spec, _pod.Sockets, _pod.NetnsHostPath, ct);
            if (failure is null) { failures = 0; if (untilSuccess) return true; }
            else
            {
                _pod.Event("Warning", "Unhealthy", $"{kind} probe failed: {failure}");
                if (++failures >= probe.FailureThreshold)
                {
                    _pod.Event("Normal", "Killing", $"Container {Name} failed {kind.ToLowerInvariant()} probe, will be restarted");
                    await TerminateAsync(instance, TimeSpan.FromSeconds(2), ct);
                    return false;
                }
            }
            await Task.Delay(probe.Period, ct);
        }
    }

    async Task ReadinessAsync(Probe probe, ContainerProcess instance, CancellationToken ct)
    {
        await Task.Delay(probe.InitialDelay, ct);
        var failures = 0;
        while (true)
        {
            if (Started)
            {
                var failure = await probe.RunAsync(instance, Environment(false), Spec, _pod.Sockets, _pod.NetnsHostPath, ct);
                var was = Ready;
                if (failure is null) { failures = 0; Ready = true; }
                else
                {
                    _pod.Event("Warning", "Unhealthy", $"Readiness probe failed: {failure}");
                    if (++failures >= probe.FailureThreshold) Ready = false;
                }
                if (was != Ready) _pod.Publish();
            }
            await Task.Delay(probe.Period, ct);
        }
    }

    // preStop (exec), SIGTERM, grace period, SIGKILL; returns when the instance is gone.
    public async Task TerminateAsync(ContainerProcess instance, TimeSpan grace, CancellationToken ct)
    {
        if (instance.HasExited) return;
        var deadline = Stopwatch.StartNew();
        if (Spec["lifecycle"]?["preStop"]?["exec"]?["command"] is JsonArray preStop)
        {
            using var hook = new CancellationTokenSource(grace);
            try
            {
                using var p = Process.Start(instance.Exec(preStop.Select(c => (string)c!).ToList(), Environment(false)))!;
                p.StandardInput.Close();
                _ = p.StandardOutput.ReadToEndAsync(hook.Token);
                _ = p.StandardError.ReadToEndAsync(hook.Token);
                await p.WaitForExitAsync(hook.Token);
            }
            catch (OperationCanceledException) { }
        }
        instance.Signal(Native.SIGTERM);
        using var wait = new CancellationTokenSource(grace - deadline.Elapsed > TimeSpan.Zero ? grace - deadline.Elapsed : TimeSpan.Zero);
        try { while (!instance.HasExited) await Task.Delay(50, wait.Token); }
        catch (OperationCanceledException) { instance.Signal(Native.SIGKILL); }
    }

    public Task StopAsync(TimeSpan grace) =>
        Current is { HasExited: false } c ? TerminateAsync(c, grace, CancellationToken.None) : Task.CompletedTask;

    // The container's environment as its processes see it.
    public IReadOnlyDictionary<string, string> Environment(bool mainProcess)
    {
        var env = new Dictionary<string, string>
        {
            ["PATH"] = Image.Path(mainProcess),
            ["HOSTNAME"] = _pod.Name,
            ["HOME"] = "/root",
        };
        foreach (var e in (Spec["env"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var value = (string?)e["value"] ?? _pod.ResolveEnv(e["valueFrom"] as JsonObject);
            if (value is not null) env[(string)e["name"]!] = value;
        }
        return env;
    }

    public string ContainerId => $"sandbox://{_pod.Uid}-{Name}-{_instance}";

    public JsonObject Status() => new()
    {
        ["name"] = Name,
        ["image"] = (string?)Spec["image"],
        ["imageID"] = (string?)Spec["image"],
        ["containerID"] = ContainerId,
        ["ready"] = Ready,
        ["started"] = Started && Running,
        ["restartCount"] = RestartCount,
        ["state"] = State.DeepClone(),
        ["lastState"] = LastState is null || State.ContainsKey("terminated") && RestartCount == 0 ? new JsonObject() : LastState.DeepClone(),
    };

    static JsonObject Waiting(string reason, string? message)
    {
        var w = new JsonObject { ["reason"] = reason };
        if (message is not null) w["message"] = message;
        return new JsonObject { ["waiting"] = w };
    }

    static string Now() => DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ");
}
