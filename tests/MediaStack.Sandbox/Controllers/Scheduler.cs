using System.Text.Json.Nodes;
using MediaStack.Sandbox.Json;
using MediaStack.Sandbox.Resources;
using MediaStack.Sandbox.Store;

namespace MediaStack.Sandbox.Controllers;

// Binds pending pods to the scenario's nodes: nodeSelector and required node affinity
// filter, preferred affinity weights score, fewer pods breaks ties (spreading).
public sealed class Scheduler(ObjectStore store, EventRecorder events) : IController
{
    readonly HashSet<string> _reportedUnschedulable = new();

    public string Name => "scheduler";

    public void Reconcile()
    {
        var pending = store.List(ResourceCatalog.Pods, null, p =>
            p.Str("spec", "nodeName") is not { Length: > 0 } && p.At("metadata", "deletionTimestamp") is null).Items;
        if (pending.Count == 0) return;
        var nodes = store.List(ResourceCatalog.Nodes, null).Items;
        var load = store.List(ResourceCatalog.Pods, null).Items
            .GroupBy(p => p.Str("spec", "nodeName") ?? "").ToDictionary(g => g.Key, g => g.Count());

        foreach (var pod in pending)
        {
            var fitting = nodes.Where(n => Fits(pod, n) && (n.Bool("spec", "unschedulable") != true || Tolerates(pod, UnschedulableTaint))).ToList();
            if (fitting.Count == 0)
            {
                ReportUnschedulable(pod, nodes.Count);
                continue;
            }
            var chosen = fitting
                .OrderByDescending(n => PreferredScore(pod, n))
                .ThenBy(n => load.GetValueOrDefault(n.Name()))
                .ThenBy(n => n.Name(), StringComparer.Ordinal)
                .First();
            var node = chosen.Name();
            var bound = store.Update(ResourceCatalog.Pods, pod.Namespace(), pod.Name(), p =>
            {
                if (p.Uid() != pod.Uid() || p.Str("spec", "nodeName") is { Length: > 0 }) return null;
                p.Ensure("spec")["nodeName"] = node;
                SetCondition(p, "PodScheduled", "True", null, null);
                return p;
            });
            load[node] = load.GetValueOrDefault(node) + 1;
            _reportedUnschedulable.Remove(pod.Uid());
            events.Record(bound, "Normal", "Scheduled", $"Successfully assigned {pod.Namespace()}/{pod.Name()} to {node}", "default-scheduler");
        }
    }

    void ReportUnschedulable(JsonObject pod, int nodeCount)
    {
        var message = $"0/{nodeCount} nodes are available: {nodeCount} node(s) didn't match Pod's node affinity/selector. preemption: 0/{nodeCount} nodes are available: {nodeCount} Preemption is not helpful for scheduling.";
        var updated = store.Update(ResourceCatalog.Pods, pod.Namespace(), pod.Name(), p =>
        {
            if (p.Uid() != pod.Uid()) return null;
            p.Ensure("status")["phase"] = "Pending";
            SetCondition(p, "PodScheduled", "False", "Unschedulable", message);
            return p;
        });
        if (_reportedUnschedulable.Add(pod.Uid()))
            events.Record(updated, "Warning", "FailedScheduling", message, "default-scheduler");
    }

    public static void SetCondition(JsonObject pod, string type, string status, string? reason, string? message)
    {
        var conditions = pod.Ensure("status").EnsureArray("conditions");
        var existing = conditions.OfType<JsonObject>().FirstOrDefault(c => c.Str("type") == type);
        if (existing is not null && existing.Str("status") == status && existing.Str("reason") == reason && existing.Str("message") == message) return;
        var condition = new JsonObject
        {
            ["type"] = type,
            ["status"] = status,
            ["lastProbeTime"] = null,
            ["lastTransitionTime"] = existing is not null && existing.Str("status") == status
                ? existing.Str("lastTransitionTime") : JsonPath.Timestamp(DateTimeOffset.UtcNow),
        };
        if (reason is not null) condition["reason"] = reason;
        if (message is not null) condition["message"] = message;
        if (existing is not null) conditions[conditions.IndexOf(existing)] = condition;
        else conditions.Add(condition);
    }

    // A cordoned node's taint; DaemonSet pods tolerate it.
    public const string UnschedulableTaint = "node.kubernetes.io/unschedulable";

    static bool Tolerates(JsonObject pod, string taint) =>
        pod.Objects("spec", "tolerations").Any(t =>
            (t.Str("key") == taint || (t.Str("key") is null && t.Str("operator") == "Exists"))
            && t.Str("effect") is null or "" or "NoSchedule");

    // nodeSelector and required node affinity (the NodeAffinity filter) of a pod, or of a
    // DaemonSet's pod template wrapped as {spec}.
    public static bool Fits(JsonObject pod, JsonObject node)
    {
        var labels = node.StringMap("metadata", "labels");
        foreach (var (k, v) in pod.StringMap("spec", "nodeSelector"))
            if (!labels.TryGetValue(k, out var actual) || actual != v) return false;
        var terms = pod.Objects("spec", "affinity", "nodeAffinity", "requiredDuringSchedulingIgnoredDuringExecution", "nodeSelectorTerms").ToList();
        return terms.Count == 0 || terms.Any(t => TermMatches(t, node, labels));
    }

    static int PreferredScore(JsonObject pod, JsonObject node)
    {
        var labels = node.StringMap("metadata", "labels");
        return pod.Objects("spec", "affinity", "nodeAffinity", "preferredDuringSchedulingIgnoredDuringExecution")
            .Where(p => p.Obj("preference") is { } pref && TermMatches(pref, node, labels))
            .Sum(p => (int)(p.Long("weight") ?? 0));
    }

    static bool TermMatches(JsonObject term, JsonObject node, Dictionary<string, string> labels)
    {
        var expressions = term.Objects("matchExpressions").ToList();
        var fields = term.Objects("matchFields").ToList();
        if (expressions.Count == 0 && fields.Count == 0) return false;
        foreach (var e in expressions)
            if (!RequirementMatches(e, labels)) return false;
        foreach (var f in fields)
            if (!RequirementMatches(f, new Dictionary<string, string> { ["metadata.name"] = node.Name() })) return false;
        return true;
    }

    static bool RequirementMatches(JsonObject requirement, Dictionary<string, string> labels)
    {
        var key = requirement.Str("key") ?? "";
        var values = requirement.Arr("values")?.Select(v => v?.ToString() ?? "").ToList() ?? [];
        var has = labels.TryGetValue(key, out var value);
        return requirement.Str("operator") switch
        {
            "In" => has && values.Contains(value!),
            "NotIn" => !has || !values.Contains(value!),
            "Exists" => has,
            "DoesNotExist" => !has,
            "Gt" => has && long.TryParse(value, out var a) && values.Count == 1 && long.TryParse(values[0], out var b) && a > b,
            "Lt" => has && long.TryParse(value, out var c) && values.Count == 1 && long.TryParse(values[0], out var d) && c < d,
            _ => false,
        };
    }
}
