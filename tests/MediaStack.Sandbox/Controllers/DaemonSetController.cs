using System.Text.Json.Nodes;
using MediaStack.Sandbox.Api;
using MediaStack.Sandbox.Json;
using MediaStack.Sandbox.Rbac;
using MediaStack.Sandbox.Resources;
using MediaStack.Sandbox.Store;

namespace MediaStack.Sandbox.Controllers;

// DaemonSet -> one pod per node its template fits (nodeSelector, required node affinity),
// as pkg/controller/daemon does it: each pod is pinned to its node by a matchFields node
// affinity and bound by the scheduler, carries the daemon tolerations, the template hash
// (controller-revision-hash) and pod-template-generation labels; pods on nodes that no
// longer fit are deleted; a RollingUpdate replaces old pods at most maxUnavailable at a
// time (maxSurge 0: the new pod comes once the old one is gone).
public sealed class DaemonSetController(ObjectService objects, EventRecorder events) : IController
{
    public const string HashLabel = "controller-revision-hash";
    public const string GenerationLabel = "pod-template-generation";

    // AddOrUpdateDaemonPodTolerations: (key, effect); network-unavailable only with hostNetwork.
    static readonly (string Key, string Effect)[] DaemonTolerations =
    [
        ("node.kubernetes.io/not-ready", "NoExecute"),
        ("node.kubernetes.io/unreachable", "NoExecute"),
        ("node.kubernetes.io/disk-pressure", "NoSchedule"),
        ("node.kubernetes.io/memory-pressure", "NoSchedule"),
        ("node.kubernetes.io/pid-pressure", "NoSchedule"),
        (Scheduler.UnschedulableTaint, "NoSchedule"),
    ];

    readonly RetryGate _retry = new();

    public string Name => "daemonset-controller";

    public void Reconcile()
    {
        var nodes = objects.Store.List(ResourceCatalog.Nodes, null).Items;
        foreach (var ds in objects.Store.List(ResourceCatalog.DaemonSets, null).Items)
        {
            if (Owners.IsTerminating(ds)) continue;
            Sync(ds, nodes);
        }
    }

    sealed record NodeState(JsonObject Node, bool ShouldRun, List<JsonObject> Pods);

    void Sync(JsonObject ds, List<JsonObject> nodes)
    {
        var hash = TemplateHash.Of(ds.Obj("spec", "template"));
        var states = NodeStates(ds, nodes);
        // The update step works on what this pass saw, so it waits for a pass that changed nothing.
        if (!Manage(ds, states, hash) && ds.Str("spec", "updateStrategy", "type") == "RollingUpdate") RollingUpdate(ds, states, hash);
        UpdateStatus(ds, hash);
    }

    // podsShouldBeOnNode: a pod where one should run and none exists, none where none should
    // run, failed ones replaced, and one per node. Returns whether anything was created or deleted.
    bool Manage(JsonObject ds, List<NodeState> states, string hash)
    {
        var changed = false;
        foreach (var state in states)
        {
            var live = state.Pods.Where(p => !Owners.IsTerminating(p)).ToList();
            if (!state.ShouldRun)
            {
                foreach (var pod in live) changed |= DeletePod(ds, pod);
                continue;
            }
            if (state.Pods.Count == 0)
            {
                changed |= CreatePod(ds, state.Node, hash);
                continue;
            }
            foreach (var failed in live.Where(p => p.Str("status", "phase") == "Failed"))
            {
                events.Record(ds, "Warning", "FailedDaemonPod", $"Found failed daemon pod {failed.Namespace()}/{failed.Name()} on node {state.Node.Name()}, will try to kill it", Name);
                changed |= DeletePod(ds, failed);
            }
            // More than one running pod on a node: all but the oldest go.
            foreach (var extra in live.Where(p => p.Str("status", "phase") != "Failed")
                         .OrderBy(p => p.Str("metadata", "creationTimestamp"), StringComparer.Ordinal).Skip(1))
                changed |= DeletePod(ds, extra);
        }
        return changed;
    }

    List<NodeState> NodeStates(JsonObject ds, List<JsonObject> nodes)
    {
        var probe = new JsonObject { ["spec"] = ds.Obj("spec", "template", "spec")?.Clone() ?? new JsonObject() };
        var pods = objects.Store.List(ResourceCatalog.Pods, ds.Namespace(), p => Owners.ControlledBy(p, ds.Uid())).Items;
        return nodes.Select(node => new NodeState(node, Scheduler.Fits(probe, node),
            pods.Where(p => TargetNode(p) == node.Name()).ToList())).ToList();
    }

    // util.GetTargetNodeName: spec.nodeName, or before binding the node of its matchFields term.
    static string? TargetNode(JsonObject pod) =>
        pod.Str("spec", "nodeName") is { Length: > 0 } bound ? bound
        : pod.Objects("spec", "affinity", "nodeAffinity", "requiredDuringSchedulingIgnoredDuringExecution", "nodeSelectorTerms")
            .SelectMany(t => t.Objects("matchFields"))
            .Where(f => f.Str("key") == "metadata.name" && f.Str("operator") == "In")
            .Select(f => f.Arr("values")?.FirstOrDefault()?.ToString()).FirstOrDefault();

    bool IsUpdated(JsonObject ds, JsonObject pod, string hash) =>
        pod.Str("metadata", "labels", HashLabel) == hash
        || pod.Str("metadata", "labels", GenerationLabel) is { } g && g == ds.Str("metadata", "annotations", Defaults.TemplateGenerationAnnotation);

    // rollingUpdate with maxSurge 0: old pods that are not available go first, then as many
    // available ones as maxUnavailable leaves room for (a node without a live updated pod
    // counts as unavailable).
    void RollingUpdate(JsonObject ds, List<NodeState> states, string hash)
    {
        var desired = states.Count(s => s.ShouldRun);
        var maxUnavailable = Scaled(ds.At("spec", "updateStrategy", "rollingUpdate", "maxUnavailable"), desired);
        var minReady = ds.Long("spec", "minReadySeconds") ?? 0;
        var now = DateTimeOffset.UtcNow;
        var unavailable = 0;
        var replace = new List<JsonObject>();
        var candidates = new List<JsonObject>();
        foreach (var state in states.Where(s => s.Pods.Count > 0))
        {
            var live = state.Pods.Where(p => !Owners.IsTerminating(p)).ToList();
            var updated = live.Where(p => IsUpdated(ds, p, hash)).ToList();
            var old = live.Where(p => !IsUpdated(ds, p, hash)).ToList();
            if (updated.Count > 1 || old.Count > 1 || updated.Count == old.Count) unavailable++;
            else if (updated.Count == 1)
            {
                if (!Owners.IsAvailable(updated[0], minReady, now)) unavailable++;
            }
            else if (!Owners.IsAvailable(old[0], minReady, now)) replace.Add(old[0]);
            else if (unavailable < maxUnavailable) candidates.Add(old[0]);
        }
        var room = Math.Clamp(maxUnavailable - unavailable, 0, candidates.Count);
        foreach (var pod in replace.Concat(candidates.Take(room))) DeletePod(ds, pod);
    }

    // intstr.GetScaledValueFromIntOrPercent, rounding up.
    static int Scaled(JsonNode? value, int total)
    {
        var text = value?.ToString() ?? "1";
        if (text.EndsWith('%') && double.TryParse(text[..^1], out var percent)) return (int)Math.Ceiling(total * percent / 100.0);
        return int.TryParse(text, out var n) ? n : 1;
    }

    bool CreatePod(JsonObject ds, JsonObject node, string hash)
    {
        var key = $"{ds.Uid()}/{node.Name()}";
        if (!_retry.Open(key)) return false;
        var pod = Owners.PodFromTemplate(ds, ds.Obj("spec", "template"));
        var meta = pod.Ensure("metadata");
        meta["generateName"] = ds.Name() + "-";
        var labels = meta.Ensure("labels");
        labels[HashLabel] = hash;
        labels[GenerationLabel] = ds.Str("metadata", "annotations", Defaults.TemplateGenerationAnnotation) ?? "1";
        var spec = pod.Ensure("spec");
        var tolerations = spec.EnsureArray("tolerations");
        var wanted = DaemonTolerations.AsEnumerable();
        if (spec.Bool("hostNetwork") == true) wanted = wanted.Append(("node.kubernetes.io/network-unavailable", "NoSchedule"));
        foreach (var (taint, effect) in wanted)
        {
            foreach (var same in tolerations.OfType<JsonObject>().Where(t => t.Str("key") == taint && t.Str("effect") == effect).ToList()) tolerations.Remove(same);
            tolerations.Add(new JsonObject { ["key"] = taint, ["operator"] = "Exists", ["effect"] = effect });
        }
        // ReplaceDaemonSetPodNodeNameNodeAffinity: the required terms become this node only.
        spec.Ensure("affinity", "nodeAffinity")["requiredDuringSchedulingIgnoredDuringExecution"] = new JsonObject
        {
            ["nodeSelectorTerms"] = new JsonArray(new JsonObject
            {
                ["matchFields"] = new JsonArray(new JsonObject
                {
                    ["key"] = "metadata.name",
                    ["operator"] = "In",
                    ["values"] = new JsonArray(node.Name()),
                }),
            }),
        };
        try
        {
            var created = objects.Create(Identity.DaemonSetController, ResourceCatalog.Pods, ds.Namespace(), pod);
            events.Record(ds, "Normal", "SuccessfulCreate", $"Created pod: {created.Name()}", Name);
            _retry.Succeeded(key);
            return true;
        }
        catch (ApiException e)
        {
            events.Record(ds, "Warning", "FailedCreate", $"Error creating: {e.Message}", Name);
            _retry.Failed(key);
            return false;
        }
    }

    bool DeletePod(JsonObject ds, JsonObject pod)
    {
        if (!objects.DeleteOwnedPod(pod)) return false;
        events.Record(ds, "Normal", "SuccessfulDelete", $"Deleted pod: {pod.Name()}", Name);
        return true;
    }

    // updateDaemonSetStatus: per node that should run the daemon, its oldest pod decides ready,
    // available and updated; pods on nodes that should not run it are misscheduled.
    void UpdateStatus(JsonObject ds, string hash)
    {
        var nodes = objects.Store.List(ResourceCatalog.Nodes, null).Items;
        var minReady = ds.Long("spec", "minReadySeconds") ?? 0;
        var now = DateTimeOffset.UtcNow;
        int desired = 0, current = 0, ready = 0, available = 0, updated = 0, misscheduled = 0;
        foreach (var state in NodeStates(ds, nodes))
        {
            if (!state.ShouldRun)
            {
                if (state.Pods.Count > 0) misscheduled++;
                continue;
            }
            desired++;
            if (state.Pods.Count == 0) continue;
            current++;
            var pod = state.Pods.OrderBy(p => p.Str("metadata", "creationTimestamp"), StringComparer.Ordinal).First();
            if (Owners.IsReady(pod))
            {
                ready++;
                if (Owners.IsAvailable(pod, minReady, now)) available++;
            }
            if (IsUpdated(ds, pod, hash)) updated++;
        }

        objects.WriteStatus(ResourceCatalog.DaemonSets, ds, new JsonObject
        {
            ["currentNumberScheduled"] = current,
            ["numberMisscheduled"] = misscheduled,
            ["desiredNumberScheduled"] = desired,
            ["numberReady"] = ready,
            ["observedGeneration"] = ds.Long("metadata", "generation") ?? 1,
            ["updatedNumberScheduled"] = updated,
            ["numberAvailable"] = available,
            ["numberUnavailable"] = desired - available,
        }, "updatedNumberScheduled", "numberAvailable", "numberUnavailable");
    }
}
