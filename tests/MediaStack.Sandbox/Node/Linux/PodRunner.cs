using System.Text;
using System.Text.Json.Nodes;
using MediaStack.Sandbox.Backends;

namespace MediaStack.Sandbox.Node.Linux;

// One pod on the node: its network namespace (loopback only, plus a relay per backend),
// its volumes, then init containers in order (native sidecars start and gate the next on
// their startup probe), then the containers: all created first, then all started, as the
// kubelet does within milliseconds. Status flows to the API through INodeHost.
public sealed class PodRunner
{
    readonly INodeHost _host;
    readonly JsonObject _pod;
    readonly IReadOnlyList<WebDavBackend> _backends;
    readonly List<PodRelay> _relays = [];
    readonly CancellationTokenSource _life = new();
    readonly List<Task> _loops = [];
    readonly DateTimeOffset _startTime = DateTimeOffset.UtcNow;
    bool _initialized;

    public PodRunner(NodeNamespace node, INodeHost host, NetnsSockets sockets, IReadOnlyList<WebDavBackend> backends, JsonObject pod, double timeScale, int index)
    {
        (Node, _host, Sockets, _backends, _pod, TimeScale) = (node, host, sockets, backends, pod, timeScale);
        Namespace = (string?)pod["metadata"]?["namespace"] ?? "default";
        Name = (string)pod["metadata"]!["name"]!;
        Uid = (string)pod["metadata"]!["uid"]!;
        PodIp = $"10.128.{index / 250 % 250}.{index % 250 + 2}";
        NodeName = (string?)pod["spec"]?["nodeName"] ?? "";
        Volumes = new Volumes(node, host, Namespace, Uid, NodeName);
        HasInitContainers = pod["spec"]?["initContainers"] is JsonArray { Count: > 0 };
        InitContainers = (pod["spec"]?["initContainers"] as JsonArray ?? []).OfType<JsonObject>().Select(c => new ContainerRunner(this, c, true)).ToList();
        Containers = (pod["spec"]?["containers"] as JsonArray ?? []).OfType<JsonObject>().Select(c => new ContainerRunner(this, c, false)).ToList();
    }

    public NodeNamespace Node { get; }
    public NetnsSockets Sockets { get; }
    public double TimeScale { get; }
    public string Namespace { get; }
    public string Name { get; }
    public string Uid { get; }
    public string PodIp { get; }
    public string NodeName { get; }
    public Volumes Volumes { get; }
    public bool HasInitContainers { get; }
    public IReadOnlyList<ContainerRunner> InitContainers { get; }
    public IReadOnlyList<ContainerRunner> Containers { get; }
    public Task Lifecycle { get; private set; } = Task.CompletedTask;
    public string RestartPolicy => (string?)_pod["spec"]?["restartPolicy"] ?? "Always";

    public string NetnsNodePath => $"{Volumes.PodDir}/netns";
    public string NetnsHostPath => Node.HostPath(NetnsNodePath);

    public JsonObject? Volume(string name) => Volumes.Find(_pod, name);

    public ContainerRunner? Find(string container) =>
        Containers.Concat(InitContainers).FirstOrDefault(c => c.Name == container);

    public void Begin() => Lifecycle = Task.Run(() => RunAsync(_life.Token));

    async Task RunAsync(CancellationToken ct)
    {
        try
        {
            Publish();
            await Node.ShAsync($"""
                set -e
                mkdir -p {Q(Volumes.PodDir)}/volumes
                touch {Q(NetnsNodePath)}
                unshare --net={Q(NetnsNodePath)} ip link set lo up
                """, CancellationToken.None);
            await MountVolumesAsync(ct);
            foreach (var b in _backends)
            {
                var relay = new PodRelay(Sockets, NetnsHostPath, b.Server.PodPort, b.Port, b.Fault);
                _relays.Add(relay);
                await relay.StartAsync();
            }
            foreach (var init in InitContainers)
            {
                if (init.IsSidecar)
                {
                    _loops.Add(init.RunAsync(null, ct));
                    while (!init.Started && !ct.IsCancellationRequested) await Task.Delay(100, ct);
                }
                else
                {
                    await init.RunAsync(null, ct);
                    if (!init.Succeeded) return;
                }
            }
            _initialized = true;
            var created = new List<ContainerProcess?>();
            try
            {
                foreach (var c in Containers) created.Add(await c.CreateAsync(ct));
            }
            catch (OperationCanceledException)
            {
                foreach (var c in created.OfType<ContainerProcess>()) await c.DisposeAsync();
                throw;
            }
            for (var i = 0; i < Containers.Count; i++) _loops.Add(Containers[i].RunAsync(created[i], ct));
            await Task.WhenAll(_loops);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested) { }
        catch (Exception e)
        {
            Event("Warning", "FailedCreatePodSandBox", $"Failed to create pod sandbox: {e.Message}");
        }
    }

    // A missing secret/configmap, or a host path that fails its type check, keeps the pod in
    // ContainerCreating, retried until the problem goes away.
    async Task MountVolumesAsync(CancellationToken ct)
    {
        while ((Volumes.MissingSource(_pod) ?? await Volumes.HostPathProblemAsync(_pod, ct)) is { } missing)
        {
            Event("Warning", "FailedMount", missing);
            await Task.Delay(TimeSpan.FromSeconds(2), ct);
        }
        // Node scripts always run to their end, so a stop's teardown never races one.
        await Volumes.SetUpAsync(_pod, CancellationToken.None);
    }

    // Main containers first, then native sidecars in reverse order; then the pod's namespaces and files.
    public async Task StopAsync(TimeSpan grace)
    {
        _life.Cancel();
        foreach (var c in Containers.Where(c => c.Running)) Event("Normal", "Killing", $"Stopping container {c.Name}");
        await Task.WhenAll(Containers.Select(c => c.StopAsync(grace)));
        foreach (var s in InitContainers.AsEnumerable().Reverse()) await s.StopAsync(grace);
        await Lifecycle.WaitAsync(TimeSpan.FromSeconds(30)).ContinueWith(_ => { }, TaskScheduler.Default);
        foreach (var r in _relays) await r.DisposeAsync();
        await Volumes.TearDownAsync(CancellationToken.None);
    }

    public string? ResolveEnv(JsonObject? from)
    {
        if (from?["secretKeyRef"] is JsonObject s)
        {
            var data = _host.Get("secrets", Namespace, (string)s["name"]!)?["data"]?[(string)s["key"]!];
            return data is null ? null : Encoding.UTF8.GetString(Convert.FromBase64String((string)data!));
        }
        if (from?["configMapKeyRef"] is JsonObject c)
            return (string?)_host.Get("configmaps", Namespace, (string)c["name"]!)?["data"]?[(string)c["key"]!];
        if (from?["fieldRef"]?["fieldPath"] is JsonNode f)
            return (string?)f switch
            {
                "metadata.name" => Name,
                "metadata.namespace" => Namespace,
                "metadata.uid" => Uid,
                "status.podIP" => PodIp,
                "spec.nodeName" => (string?)_pod["spec"]?["nodeName"],
                _ => null,
            };
        return null;
    }

    public void Event(string type, string reason, string message) =>
        _host.RecordEvent(Namespace, "Pod", Name, Uid, type, reason, message);

    // Rebuilds the pod's status from its containers, as the kubelet's status manager does.
    public void Publish()
    {
        var containers = Containers.Select(c => c.Status()).ToList();
        var inits = InitContainers.Select(c => c.Status()).ToList();
        var allReady = Containers.All(c => c.Ready) && InitContainers.Where(c => c.IsSidecar).All(c => c.Ready);
        var anyRunning = Containers.Any(c => c.Running);
        var phase =
            InitContainers.Any(c => c.Finished && !c.Succeeded) ? "Failed"
            : _initialized && Containers.All(c => c.Finished) ? (Containers.All(c => c.Succeeded) ? "Succeeded" : "Failed")
            : _initialized && (anyRunning || Containers.Any(c => c.Finished)) ? "Running"
            : "Pending";
        var now = DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ");
        JsonObject Condition(string type, bool ok) => new() { ["type"] = type, ["status"] = ok ? "True" : "False", ["lastProbeTime"] = null, ["lastTransitionTime"] = now };
        _host.UpdatePodStatus(Namespace, Name, Uid, status =>
        {
            status["phase"] = phase;
            status["hostIP"] = "127.0.0.1";
            status["podIP"] = PodIp;
            status["podIPs"] = new JsonArray(new JsonObject { ["ip"] = PodIp });
            status["startTime"] = _startTime.ToString("yyyy-MM-ddTHH:mm:ssZ");
            status["qosClass"] ??= "Burstable";
            status["conditions"] = new JsonArray(
                Condition("PodReadyToStartContainers", true), Condition("Initialized", _initialized),
                Condition("Ready", allReady && anyRunning), Condition("ContainersReady", allReady && anyRunning), Condition("PodScheduled", true));
            status["containerStatuses"] = new JsonArray(containers.ToArray<JsonNode?>());
            if (inits.Count > 0) status["initContainerStatuses"] = new JsonArray(inits.ToArray<JsonNode?>());
        });
    }

    static string Q(string s) => NodeNamespace.Quote(s);
}
