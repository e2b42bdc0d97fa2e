using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using MediaStack.Sandbox.Node;
using MediaStack.Sandbox.Node.Linux;
using YamlDotNet.RepresentationModel;

namespace MediaStack.Sandbox.Tests;

// Drives LinuxNodeRuntime directly, without the API server: an in-memory INodeHost that
// keeps pod statuses and events, and the scenario file's Deployments turned into pods the
// way the ReplicaSet controller would (template + name + uid + node).
public sealed class NodeRuntimeTestHost : INodeHost, IAsyncDisposable
{
    readonly ConcurrentDictionary<(string Resource, string Ns, string Name), JsonObject> _objects = new();
    readonly ConcurrentDictionary<(string Ns, string Name), JsonObject> _status = new();
    readonly ConcurrentQueue<(string Name, string Type, string Reason, string Message)> _events = new();

    public NodeRuntimeTestHost(double timeScale = 0.2)
    {
        Runtime = new LinuxNodeRuntime(new LinuxNodeOptions { ProbeTimeScale = timeScale });
        Runtime.Attach(this);
    }

    public LinuxNodeRuntime Runtime { get; }
    public List<JsonObject> Documents { get; } = [];

    public static string ScenarioPath(string name = "media-stack") =>
        Path.Combine(AppContext.BaseDirectory, "Scenarios", $"{name}.yaml") is var p && File.Exists(p) ? p
            : Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../MediaStack.Sandbox/Scenarios", $"{name}.yaml"));

    // Loads the scenario: backends start, objects are stored for secrets/configmaps lookups.
    public async Task LoadAsync(string yaml, CancellationToken ct)
    {
        Documents.AddRange(ParseYaml(yaml));
        var scenario = Documents.FirstOrDefault(d => (string?)d["kind"] == "SandboxScenario");
        foreach (var d in Documents.Where(d => d != scenario)) Put(d);
        if (scenario is not null) await Runtime.ConfigureAsync(scenario, ct);
    }

    public void Put(JsonObject obj)
    {
        var resource = ((string)obj["kind"]!).ToLowerInvariant() + "s";
        _objects[(resource, (string?)obj["metadata"]?["namespace"] ?? "", (string)obj["metadata"]!["name"]!)] = obj;
    }

    public JsonObject PodFor(string deployment, string suffix = "x1")
    {
        var d = Documents.Single(o => (string?)o["kind"] == "Deployment" && (string?)o["metadata"]?["name"] == deployment);
        var template = d["spec"]!["template"]!.DeepClone().AsObject();
        var meta = template["metadata"]?.AsObject() ?? [];
        meta["name"] = $"{deployment}-{suffix}";
        meta["namespace"] = (string?)d["metadata"]!["namespace"];
        meta["uid"] = Guid.NewGuid().ToString();
        template["metadata"] = meta;
        template["spec"]!["nodeName"] = "wow-ocp-node2";
        template["apiVersion"] = "v1";
        template["kind"] = "Pod";
        return template;
    }

    public async Task<JsonObject> StartAsync(string deployment, string suffix = "x1")
    {
        var pod = PodFor(deployment, suffix);
        await Runtime.StartPodAsync(pod, CancellationToken.None);
        return pod;
    }

    public JsonObject? Get(string resource, string ns, string name) =>
        _objects.TryGetValue((resource, ns, name), out var o) ? o.DeepClone().AsObject() : null;

    public void UpdatePodStatus(string ns, string name, string uid, Action<JsonObject> mutateStatus)
    {
        var status = _status.GetOrAdd((ns, name), _ => new JsonObject());
        lock (status) mutateStatus(status);
    }

    public void RecordEvent(string ns, string kind, string name, string uid, string type, string reason, string message) =>
        _events.Enqueue((name, type, reason, message));

    public JsonObject Status(string ns, string pod)
    {
        var s = _status.GetOrAdd((ns, pod), _ => new JsonObject());
        lock (s) return s.DeepClone().AsObject();
    }

    public JsonObject? ContainerStatus(string ns, string pod, string container) =>
        (Status(ns, pod)["containerStatuses"] as JsonArray ?? []).OfType<JsonObject>().FirstOrDefault(c => (string?)c["name"] == container);

    // Status, events and logs of a pod, for failure messages.
    public string Describe(string ns, string pod)
    {
        var sb = new StringBuilder(Status(ns, pod).ToJsonString()).AppendLine();
        foreach (var e in Events.Where(e => e.Name == pod)) sb.AppendLine($"{e.Type} {e.Reason}: {e.Message}");
        foreach (var c in (Status(ns, pod)["containerStatuses"] as JsonArray ?? []).Concat(Status(ns, pod)["initContainerStatuses"] as JsonArray ?? []))
        {
            var name = (string)c!["name"]!;
            sb.AppendLine($"--- {name}: {Runtime.ReadLog(ns, pod, name, false)}").AppendLine($"--- {name} (previous): {Runtime.ReadLog(ns, pod, name, true)}");
        }
        return sb.ToString();
    }

    public IReadOnlyList<(string Name, string Type, string Reason, string Message)> Events => _events.ToList();

    // Polls until the condition holds (bounded), else fails with what was last seen.
    public static async Task WaitForAsync(Func<bool> condition, TimeSpan timeout, Func<string> describe)
    {
        var until = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > until) Assert.Fail($"Timed out after {timeout.TotalSeconds:0}s: {describe()}");
            await Task.Delay(200);
        }
    }

    public Task WaitRunningAsync(string ns, string pod, string container, TimeSpan timeout) =>
        WaitForAsync(() => ContainerStatus(ns, pod, container)?["state"]?["running"] is not null && Runtime.ReadLog(ns, pod, container, false) is not null,
            timeout, () => Describe(ns, pod));

    // Runs a command in a container and returns (exit code, stdout, stderr).
    public async Task<(int Code, string Out, string Err)> ExecAsync(string ns, string pod, string container, params string[] command)
    {
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var code = await Runtime.ExecAsync(new ExecRequest(ns, pod, container, command, null,
            (b, _) => { lock (stdout) stdout.Append(Encoding.UTF8.GetString(b.Span)); return Task.CompletedTask; },
            (b, _) => { lock (stderr) stderr.Append(Encoding.UTF8.GetString(b.Span)); return Task.CompletedTask; }), cts.Token);
        return (code, stdout.ToString(), stderr.ToString());
    }

    public async ValueTask DisposeAsync() => await Runtime.DisposeAsync();

    // YAML as Kubernetes reads it (YAML 1.1 scalars: true/false, ints, 0400 octal, null).
    public static IEnumerable<JsonObject> ParseYaml(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return stream.Documents.Select(d => ToJson(d.RootNode)).OfType<JsonObject>();
    }

    static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlMappingNode m => new JsonObject(m.Children.Select(kv => KeyValuePair.Create(((YamlScalarNode)kv.Key).Value!, ToJson(kv.Value)))),
        YamlSequenceNode s => new JsonArray(s.Children.Select(ToJson).ToArray()),
        YamlScalarNode { Style: YamlDotNet.Core.ScalarStyle.Plain } p => Plain(p.Value ?? ""),
        YamlScalarNode q => JsonValue.Create(q.Value),
        _ => null,
    };

    static JsonNode? Plain(string v)
    {
        if (v is "" or "~" or "null") return null;
        if (v is "true" or "false") return JsonValue.Create(v == "true");
        if (v.Length > 1 && v[0] == '0' && v.All(char.IsAsciiDigit)) return JsonValue.Create(Convert.ToInt32(v, 8));
        if (long.TryParse(v, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l)) return JsonValue.Create(l);
        return JsonValue.Create(v);
    }
}
