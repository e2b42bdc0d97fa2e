using System.Text.Json.Nodes;
using MediaStack.Sandbox.Api;
using MediaStack.Sandbox.Json;
using MediaStack.Sandbox.Rbac;
using MediaStack.Sandbox.Resources;
using MediaStack.Sandbox.Store;

namespace MediaStack.Sandbox.Controllers;

// Deployment -> ReplicaSets: one ReplicaSet per template (named <deployment>-<hash>,
// labelled pod-template-hash), Recreate or RollingUpdate between them, revision
// annotations, and the status fields and conditions `kubectl rollout status` reads.
public sealed class DeploymentController(ObjectService objects, EventRecorder events) : IController
{
    const string HashLabel = "pod-template-hash";
    const string RevisionAnnotation = "deployment.kubernetes.io/revision";

    public string Name => "deployment-controller";

    public void Reconcile()
    {
        var store = objects.Store;
        foreach (var d in store.List(ResourceCatalog.Deployments, null).Items)
        {
            if (Owners.IsTerminating(d)) continue;
            Sync(store, d);
        }
    }

    void Sync(ObjectStore store, JsonObject d)
    {
        var ns = d.Namespace();
        var all = store.List(ResourceCatalog.ReplicaSets, ns, rs => Owners.ControlledBy(rs, d.Uid())).Items;
        var hash = TemplateHash.Of(d.Obj("spec", "template"));
        var newRs = all.FirstOrDefault(rs => rs.StringMap("metadata", "labels").GetValueOrDefault(HashLabel) == hash);
        var old = all.Where(rs => rs != newRs).OrderBy(rs => rs.Str("metadata", "creationTimestamp"), StringComparer.Ordinal).ToList();
        var desired = (int)(d.Long("spec", "replicas") ?? 1);
        var paused = d.Bool("spec", "paused") == true;
        var progressed = false;
        string? createdMessage = null;

        if (newRs is null && !paused)
        {
            var revision = old.Select(Revision).DefaultIfEmpty(0).Max() + 1;
            newRs = CreateReplicaSet(d, hash, revision, d.Str("spec", "strategy", "type") == "Recreate" ? 0 : InitialReplicas(d, desired, old));
            all.Add(newRs);
            createdMessage = $"Created new replica set \"{newRs.Name()}\"";
            progressed = true;
        }
        if (newRs is null) return;
        var newest = old.Select(Revision).DefaultIfEmpty(0).Max();
        if (Revision(newRs) <= newest && createdMessage is null)
        {
            // Rolling back to an older template reuses its ReplicaSet under a new revision.
            newRs = store.Update(ResourceCatalog.ReplicaSets, ns, newRs.Name(), current =>
            {
                current.Ensure("metadata", "annotations")[RevisionAnnotation] = (newest + 1).ToString();
                return current;
            });
        }

        if (!paused)
        {
            if (d.Str("spec", "strategy", "type") == "Recreate") progressed |= Recreate(d, newRs, old, desired);
            else progressed |= Rolling(d, newRs, old, desired);
        }

        var revisionText = Revision(newRs).ToString();
        if (d.Str("metadata", "annotations", RevisionAnnotation) != revisionText)
            store.Update(ResourceCatalog.Deployments, ns, d.Name(), current =>
            {
                if (current.Uid() != d.Uid()) return null;
                current.Ensure("metadata", "annotations")[RevisionAnnotation] = revisionText;
                return current;
            });

        UpdateStatus(d, newRs, all, desired, progressed, createdMessage);
    }

    static long Revision(JsonObject rs) => long.TryParse(rs.Str("metadata", "annotations", RevisionAnnotation), out var r) ? r : 0;

    static int Replicas(JsonObject rs) => (int)(rs.Long("spec", "replicas") ?? 0);

    static int InitialReplicas(JsonObject d, int desired, List<JsonObject> old)
    {
        var (surge, _) = Budget(d, desired);
        var total = old.Sum(Replicas);
        return Math.Max(0, Math.Min(desired, desired + surge - total));
    }

    static (int MaxSurge, int MaxUnavailable) Budget(JsonObject d, int desired)
    {
        var surge = Resolve(d.At("spec", "strategy", "rollingUpdate", "maxSurge"), desired, roundUp: true, fallback: "25%");
        var unavailable = Resolve(d.At("spec", "strategy", "rollingUpdate", "maxUnavailable"), desired, roundUp: false, fallback: "25%");
        if (surge == 0 && unavailable == 0) unavailable = 1;
        return (surge, unavailable);
    }

    static int Resolve(JsonNode? value, int total, bool roundUp, string fallback)
    {
        var text = value?.ToString() ?? fallback;
        if (text.EndsWith('%') && double.TryParse(text[..^1], out var percent))
        {
            var raw = total * percent / 100.0;
            return (int)(roundUp ? Math.Ceiling(raw) : Math.Floor(raw));
        }
        return int.TryParse(text, out var n) ? n : 0;
    }

    JsonObject CreateReplicaSet(JsonObject d, string hash, long revision, int replicas)
    {
        var template = d.Obj("spec", "template")!.Clone();
        template.Ensure("metadata", "labels")[HashLabel] = hash;
        var selector = d.Obj("spec", "selector")?.Clone() ?? new JsonObject();
        selector.Ensure("matchLabels")[HashLabel] = hash;
        var labels = (JsonObject)template.Obj("metadata", "labels")!.DeepClone();
        var rs = new JsonObject
        {
            ["apiVersion"] = "apps/v1",
            ["kind"] = "ReplicaSet",
            ["metadata"] = new JsonObject
            {
                ["name"] = $"{d.Name()}-{hash}",
                ["namespace"] = d.Namespace(),
                ["labels"] = labels,
                ["annotations"] = new JsonObject
                {
                    ["deployment.kubernetes.io/desired-replicas"] = (d.Long("spec", "replicas") ?? 1).ToString(),
                    ["deployment.kubernetes.io/max-replicas"] = (d.Long("spec", "replicas") ?? 1).ToString(),
                    [RevisionAnnotation] = revision.ToString(),
                },
                ["ownerReferences"] = Owners.ControllerReference(d),
            },
            ["spec"] = new JsonObject
            {
                ["replicas"] = replicas,
                ["selector"] = selector,
                ["template"] = template,
            },
        };
        var created = objects.Create(Identity.System, ResourceCatalog.ReplicaSets, d.Namespace(), rs);
        if (replicas > 0) ScaledEvent(d, created, 0, replicas);
        return created;
    }

    bool Scale(JsonObject d, JsonObject rs, int to)
    {
        var from = Replicas(rs);
        if (from == to) return false;
        try
        {
            var updated = objects.Store.Update(ResourceCatalog.ReplicaSets, rs.Namespace(), rs.Name(), current =>
            {
                current.Ensure("spec")["replicas"] = to;
                current.Ensure("metadata", "annotations")["deployment.kubernetes.io/desired-replicas"] = (d.Long("spec", "replicas") ?? 1).ToString();
                return current;
            });
            rs["spec"] = updated["spec"]?.DeepClone();
        }
        catch (ApiException e) when (e.Code == 404) { return false; }
        ScaledEvent(d, rs, from, to);
        return true;
    }

    void ScaledEvent(JsonObject d, JsonObject rs, int from, int to) =>
        events.Record(d, "Normal", "ScalingReplicaSet",
            $"Scaled {(to > from ? "up" : "down")} replica set {rs.Name()} from {from} to {to}", "deployment-controller");

    bool Recreate(JsonObject d, JsonObject newRs, List<JsonObject> old, int desired)
    {
        var changed = false;
        foreach (var rs in old) changed |= Scale(d, rs, 0);
        var oldPods = objects.Store.List(ResourceCatalog.Pods, d.Namespace(), p => old.Any(rs => Owners.ControlledBy(p, rs.Uid()))).Items;
        if (oldPods.Count > 0) return changed;
        return Scale(d, newRs, desired) | changed;
    }

    bool Rolling(JsonObject d, JsonObject newRs, List<JsonObject> old, int desired)
    {
        var (surge, unavailable) = Budget(d, desired);
        var changed = false;
        var allReplicas = Replicas(newRs) + old.Sum(Replicas);
        if (Replicas(newRs) > desired) changed |= Scale(d, newRs, desired);
        else if (Replicas(newRs) < desired)
        {
            var room = desired + surge - allReplicas;
            if (room > 0) changed |= Scale(d, newRs, Replicas(newRs) + Math.Min(room, desired - Replicas(newRs)));
        }

        var minAvailable = desired - unavailable;
        var newAvailable = (int)(newRs.Long("status", "availableReplicas") ?? 0);
        allReplicas = Replicas(newRs) + old.Sum(Replicas);
        var maxScaledDown = allReplicas - minAvailable - (Replicas(newRs) - newAvailable);
        if (maxScaledDown <= 0) return changed;

        // Unhealthy old pods go first, then healthy ones while availability allows.
        foreach (var rs in old)
        {
            if (maxScaledDown <= 0) break;
            var unhealthy = Replicas(rs) - (int)(rs.Long("status", "availableReplicas") ?? 0);
            var cut = Math.Min(maxScaledDown, Math.Max(0, unhealthy));
            if (cut > 0)
            {
                changed |= Scale(d, rs, Replicas(rs) - cut);
                maxScaledDown -= cut;
            }
        }
        var available = newAvailable + old.Sum(rs => Math.Min(Replicas(rs), (int)(rs.Long("status", "availableReplicas") ?? 0)));
        var budget = Math.Min(available - minAvailable, maxScaledDown);
        foreach (var rs in old)
        {
            if (budget <= 0) break;
            var cut = Math.Min(Replicas(rs), budget);
            if (cut <= 0) continue;
            changed |= Scale(d, rs, Replicas(rs) - cut);
            budget -= cut;
        }
        return changed;
    }

    void UpdateStatus(JsonObject d, JsonObject newRs, List<JsonObject> all, int desired, bool progressed, string? createdMessage)
    {
        var fresh = all.Select(rs => objects.Store.Get(ResourceCatalog.ReplicaSets, rs.Namespace(), rs.Name()) ?? rs).ToList();
        var newFresh = fresh.First(rs => rs.Uid() == newRs.Uid());
        int Sum(string field) => fresh.Sum(rs => (int)(rs.Long("status", field) ?? 0));
        var replicas = Sum("replicas");
        var updated = (int)(newFresh.Long("status", "replicas") ?? 0);
        var ready = Sum("readyReplicas");
        var available = Sum("availableReplicas");
        var (_, maxUnavailable) = Budget(d, desired);
        var unavailableCount = Math.Max(0, Math.Max(desired, replicas) - available);
        var complete = updated == desired && replicas == desired && available == desired
            && (newFresh.Long("status", "availableReplicas") ?? 0) == desired;
        var now = JsonPath.Timestamp(DateTimeOffset.UtcNow);
        var deadline = d.Long("spec", "progressDeadlineSeconds") ?? 600;

        objects.UpdateStatus(ResourceCatalog.Deployments, d.Namespace(), d.Name(), current =>
        {
            if (current.Uid() != d.Uid()) return false;
            var before = current.Obj("status")?.Clone() ?? new JsonObject();
            var status = new JsonObject { ["observedGeneration"] = current.Long("metadata", "generation") ?? 1 };
            void Put(string field, int value) { if (value != 0) status[field] = value; }
            Put("replicas", replicas);
            Put("updatedReplicas", updated);
            Put("readyReplicas", ready);
            Put("availableReplicas", available);
            Put("unavailableReplicas", unavailableCount);

            var countsMoved = before.Long("updatedReplicas") != status.Long("updatedReplicas")
                || before.Long("readyReplicas") != status.Long("readyReplicas")
                || before.Long("availableReplicas") != status.Long("availableReplicas")
                || before.Long("replicas") != status.Long("replicas");

            var conditions = new JsonArray();
            var oldAvailable = before.Objects("conditions").FirstOrDefault(c => c.Str("type") == "Available");
            var isAvailable = available >= desired - maxUnavailable;
            conditions.Add(Condition("Available", isAvailable ? "True" : "False",
                isAvailable ? "MinimumReplicasAvailable" : "MinimumReplicasUnavailable",
                isAvailable ? "Deployment has minimum availability." : "Deployment does not have minimum availability.",
                oldAvailable, now, false));

            var oldProgressing = before.Objects("conditions").FirstOrDefault(c => c.Str("type") == "Progressing");
            JsonObject progressing;
            if (complete)
                progressing = Condition("Progressing", "True", "NewReplicaSetAvailable", $"ReplicaSet \"{newFresh.Name()}\" has successfully progressed.", oldProgressing, now,
                    oldProgressing?.Str("reason") != "NewReplicaSetAvailable");
            else if (createdMessage is not null)
                progressing = Condition("Progressing", "True", "NewReplicaSetCreated", createdMessage, oldProgressing, now, true);
            else if (progressed || countsMoved || oldProgressing is null || current.Long("metadata", "generation") != before.Long("observedGeneration"))
                progressing = Condition("Progressing", "True", "ReplicaSetUpdated", $"ReplicaSet \"{newFresh.Name()}\" is progressing.", oldProgressing, now, true);
            else if (oldProgressing.Str("reason") != "ProgressDeadlineExceeded"
                && oldProgressing.Time("lastUpdateTime") is { } last && DateTimeOffset.UtcNow - last > TimeSpan.FromSeconds(deadline))
                progressing = Condition("Progressing", "False", "ProgressDeadlineExceeded", $"ReplicaSet \"{newFresh.Name()}\" has timed out progressing.", oldProgressing, now, true);
            else
                progressing = (JsonObject)oldProgressing.DeepClone();
            conditions.Add(progressing);
            // The deployment controller carries a ReplicaSet's ReplicaFailure over (the new
            // ReplicaSet's first), so `kubectl describe deploy` shows why no pod came.
            if (new[] { newFresh }.Concat(fresh.Where(rs => rs.Uid() != newFresh.Uid()))
                    .SelectMany(rs => rs.Objects("status", "conditions")).FirstOrDefault(c => c.Str("type") == "ReplicaFailure") is { } failure)
            {
                conditions.Add(new JsonObject
                {
                    ["type"] = "ReplicaFailure",
                    ["status"] = failure.Str("status"),
                    ["lastUpdateTime"] = failure.Str("lastTransitionTime"),
                    ["lastTransitionTime"] = failure.Str("lastTransitionTime"),
                    ["reason"] = failure.Str("reason"),
                    ["message"] = failure.Str("message"),
                });
            }
            status["conditions"] = conditions;

            if (JsonNode.DeepEquals(before, status)) return false;
            current["status"] = status;
            return true;
        });
    }

    static JsonObject Condition(string type, string status, string reason, string message, JsonObject? previous, string now, bool touch)
    {
        var same = previous is not null && previous.Str("status") == status && previous.Str("reason") == reason && previous.Str("message") == message;
        return new JsonObject
        {
            ["type"] = type,
            ["status"] = status,
            ["lastUpdateTime"] = same && !touch ? previous!.Str("lastUpdateTime") : now,
            ["lastTransitionTime"] = previous is not null && previous.Str("status") == status ? previous.Str("lastTransitionTime") : now,
            ["reason"] = reason,
            ["message"] = message,
        };
    }
}
