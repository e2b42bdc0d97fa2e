using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using MediaStack.Sandbox.Json;
using MediaStack.Sandbox.Node;
using MediaStack.Sandbox.Store;

namespace MediaStack.Sandbox.Controllers;

// The kubelet's share: hands bound pods to the node runtime once, stops terminating pods
// through it and then removes them, and cleans up pods that were force-deleted.
public sealed class PodLifecycleController(ObjectStore store, INodeRuntime runtime, CancellationToken stopping) : IController
{
    // Started completes when the runtime has accepted the pod; a stop waits for it, so a
    // pod deleted while starting cannot be left running.
    sealed record Running(string Namespace, string Name, string Uid, Task Started);

    readonly ConcurrentDictionary<string, Running> _started = new();
    readonly ConcurrentDictionary<string, bool> _stopping = new();
    int _nextIp = 10;

    public string Name => "pod-lifecycle";

    public void Reconcile()
    {
        var pods = store.List(ResourceCatalog.Pods, null).Items;
        var present = pods.Select(p => p.Uid()).ToHashSet();

        foreach (var pod in pods)
        {
            var uid = pod.Uid();
            var node = pod.Str("spec", "nodeName");
            var terminating = pod.At("metadata", "deletionTimestamp") is not null;
            if (terminating)
            {
                if (!_started.TryGetValue(uid, out var running)) store.Remove(ResourceCatalog.Pods, pod.Namespace(), pod.Name(), uid);
                else if (_stopping.TryAdd(uid, true)) Stop(running, (int)(pod.Long("metadata", "deletionGracePeriodSeconds") ?? 30), remove: true);
                continue;
            }
            if (node is not { Length: > 0 } || _started.ContainsKey(uid)) continue;
            Start(pod, node);
        }

        foreach (var (uid, gone) in _started)
            if (!present.Contains(uid) && _stopping.TryAdd(uid, true))
                Stop(gone, 0, remove: false);
    }

    void Start(JsonObject pod, string node)
    {
        var uid = pod.Uid();
        var ip = Interlocked.Increment(ref _nextIp);
        var initialized = store.Update(ResourceCatalog.Pods, pod.Namespace(), pod.Name(), p =>
        {
            if (p.Uid() != uid) return null;
            var status = p.Ensure("status");
            status["phase"] = "Pending";
            status["hostIP"] = "10.0.0.1";
            status["podIP"] = $"10.128.{ip / 250}.{ip % 250 + 2}";
            status["podIPs"] = new JsonArray(new JsonObject { ["ip"] = status.Str("podIP") });
            status["startTime"] = JsonPath.Timestamp(DateTimeOffset.UtcNow);
            status["qosClass"] ??= "BestEffort";
            var hasInit = p.Arr("spec", "initContainers")?.Count > 0;
            Scheduler.SetCondition(p, "Initialized", hasInit ? "False" : "True", hasInit ? "ContainersNotInitialized" : null, null);
            Scheduler.SetCondition(p, "Ready", "False", "ContainersNotReady", null);
            Scheduler.SetCondition(p, "ContainersReady", "False", "ContainersNotReady", null);
            status["initContainerStatuses"] = Waiting(p, "initContainers", "PodInitializing");
            if (!hasInit) status.Remove("initContainerStatuses");
            status["containerStatuses"] = Waiting(p, "containers", hasInit ? "PodInitializing" : "ContainerCreating");
            return p;
        });
        var started = Task.Run(async () =>
        {
            try { await runtime.StartPodAsync(initialized, stopping); }
            catch (OperationCanceledException) { }
            catch (Exception e) { Console.Error.WriteLine($"sandbox: runtime failed to start pod {pod.Namespace()}/{pod.Name()}: {e.Message}"); }
        });
        _started[uid] = new Running(pod.Namespace(), pod.Name(), uid, started);
    }

    static JsonArray Waiting(JsonObject pod, string field, string reason) =>
        new(pod.Objects("spec", field).Select(c => (JsonNode)new JsonObject
        {
            ["name"] = c.Str("name"),
            ["image"] = c.Str("image"),
            ["imageID"] = "",
            ["ready"] = false,
            ["restartCount"] = 0,
            ["started"] = false,
            ["state"] = new JsonObject { ["waiting"] = new JsonObject { ["reason"] = reason } },
            ["lastState"] = new JsonObject(),
        }).ToArray());

    void Stop(Running pod, int grace, bool remove)
    {
        var (ns, name, uid) = (pod.Namespace, pod.Name, pod.Uid);
        _ = Task.Run(async () =>
        {
            try
            {
                await pod.Started;
                await runtime.StopPodAsync(ns, name, uid, grace, stopping);
            }
            catch (OperationCanceledException) { }
            catch (Exception e) { Console.Error.WriteLine($"sandbox: runtime failed to stop pod {ns}/{name}: {e.Message}"); }
            finally
            {
                if (remove) store.Remove(ResourceCatalog.Pods, ns, name, uid);
                _started.TryRemove(uid, out _);
                _stopping.TryRemove(uid, out _);
            }
        });
    }
}
