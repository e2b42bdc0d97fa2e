using System.Text.Json.Nodes;
using MediaStack.Sandbox.Api;
using MediaStack.Sandbox.Json;
using MediaStack.Sandbox.Rbac;
using MediaStack.Sandbox.Resources;
using MediaStack.Sandbox.Store;

namespace MediaStack.Sandbox.Controllers;

// Keeps spec.replicas pods per ReplicaSet. Pods are created through the normal create path
// (admission included) as the replicaset-controller; a refusal becomes a FailedCreate event
// and a ReplicaFailure condition, as on a real cluster.
public sealed class ReplicaSetController(ObjectService objects, EventRecorder events) : IController
{
    const int BurstPerPass = 10;
    readonly RetryGate _retry = new();

    public string Name => "replicaset-controller";

    public void Reconcile()
    {
        var store = objects.Store;
        foreach (var rs in store.List(ResourceCatalog.ReplicaSets, null).Items)
        {
            if (Owners.IsTerminating(rs)) continue;
            var ns = rs.Namespace();
            var uid = rs.Uid();
            var pods = store.List(ResourceCatalog.Pods, ns, p => Owners.ControlledBy(p, uid)).Items;
            var active = pods.Where(Owners.IsActive).ToList();
            var desired = (int)(rs.Long("spec", "replicas") ?? 1);
            string? failure = null;

            if (active.Count < desired)
            {
                if (!_retry.Open(uid)) failure = ExistingFailure(rs);
                else
                {
                    for (int i = 0; i < Math.Min(desired - active.Count, BurstPerPass); i++)
                    {
                        try
                        {
                            var pod = objects.Create(Identity.ReplicaSetController, ResourceCatalog.Pods, ns, PodFor(rs));
                            events.Record(rs, "Normal", "SuccessfulCreate", $"Created pod: {pod.Name()}", "replicaset-controller");
                            active.Add(pod);
                            _retry.Succeeded(uid);
                        }
                        catch (ApiException e)
                        {
                            failure = $"Error creating: {e.Message}";
                            events.Record(rs, "Warning", "FailedCreate", failure, "replicaset-controller");
                            _retry.Failed(uid);
                            break;
                        }
                    }
                }
            }
            else if (active.Count > desired)
            {
                var victims = active
                    .OrderBy(p => p.Str("spec", "nodeName") is { Length: > 0 } ? 1 : 0)
                    .ThenBy(p => Owners.IsReady(p) ? 1 : 0)
                    .ThenByDescending(p => p.Str("metadata", "creationTimestamp"), StringComparer.Ordinal)
                    .Take(active.Count - desired).ToList();
                foreach (var victim in victims)
                {
                    try
                    {
                        objects.Delete(Identity.System, ResourceCatalog.Pods, ns, victim.Name(), new DeleteOptions());
                        events.Record(rs, "Normal", "SuccessfulDelete", $"Deleted pod: {victim.Name()}", "replicaset-controller");
                    }
                    catch (ApiException e) when (e.Code == 404) { }
                    active.Remove(victim);
                }
            }

            var labels = LabelSelector.FromObject(rs.Obj("spec", "selector")) ?? LabelSelector.Everything;
            var ready = active.Count(Owners.IsReady);
            objects.UpdateStatus(ResourceCatalog.ReplicaSets, ns, rs.Name(), current =>
            {
                if (current.Uid() != uid) return false;
                var status = new JsonObject
                {
                    ["replicas"] = active.Count,
                    ["fullyLabeledReplicas"] = active.Count(labels.Matches),
                    ["readyReplicas"] = ready,
                    ["availableReplicas"] = ready,
                    ["observedGeneration"] = current.Long("metadata", "generation") ?? 1,
                };
                foreach (var zero in new[] { "fullyLabeledReplicas", "readyReplicas", "availableReplicas" })
                    if (status.Long(zero) == 0) status.Remove(zero);
                if (failure is not null)
                {
                    var previous = current.Objects("status", "conditions").FirstOrDefault(c => c.Str("type") == "ReplicaFailure");
                    status["conditions"] = new JsonArray(new JsonObject
                    {
                        ["type"] = "ReplicaFailure",
                        ["status"] = "True",
                        ["lastTransitionTime"] = previous?.Str("lastTransitionTime") ?? JsonPath.Timestamp(DateTimeOffset.UtcNow),
                        ["reason"] = "FailedCreate",
                        ["message"] = failure,
                    });
                }
                if (JsonNode.DeepEquals(current["status"], status)) return false;
                current["status"] = status;
                return true;
            });
        }
    }

    static string? ExistingFailure(JsonObject rs) =>
        rs.Objects("status", "conditions").FirstOrDefault(c => c.Str("type") == "ReplicaFailure")?.Str("message");

    static JsonObject PodFor(JsonObject rs)
    {
        var pod = Owners.PodFromTemplate(rs, rs.Obj("spec", "template"));
        pod.Ensure("metadata")["generateName"] = rs.Name() + "-";
        return pod;
    }
}
