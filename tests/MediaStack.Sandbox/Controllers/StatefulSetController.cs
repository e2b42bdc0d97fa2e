using System.Text.Json.Nodes;
using MediaStack.Sandbox.Api;
using MediaStack.Sandbox.Json;
using MediaStack.Sandbox.Rbac;
using MediaStack.Sandbox.Resources;
using MediaStack.Sandbox.Store;

namespace MediaStack.Sandbox.Controllers;

// StatefulSet -> pods <name>-0..N-1 with stable names, as pkg/controller/statefulset does it:
// OrderedReady creates the next ordinal only when every one before it is Running and Ready
// (Parallel does not wait), scales down from the highest ordinal, and a RollingUpdate
// replaces pods from the highest ordinal down to the partition, one at a time, each only
// after the one above it is healthy again. Revisions are <name>-<template hash>; the
// templates of earlier revisions are kept here (what ControllerRevisions hold on a real
// cluster), so a pod below the partition comes back with its own revision.
public sealed class StatefulSetController(ObjectService objects, EventRecorder events) : IController
{
    public const string RevisionLabel = "controller-revision-hash";
    public const string PodNameLabel = "statefulset.kubernetes.io/pod-name";
    public const string PodIndexLabel = "apps.kubernetes.io/pod-index";

    readonly Dictionary<string, JsonObject> _templates = new(StringComparer.Ordinal);
    readonly RetryGate _retry = new();

    public string Name => "statefulset-controller";

    public void Reconcile()
    {
        var sets = objects.Store.List(ResourceCatalog.StatefulSets, null).Items;
        var live = sets.Select(s => s.Uid()).ToHashSet();
        foreach (var key in _templates.Keys.Where(k => !live.Contains(k.Split('/')[0])).ToList()) _templates.Remove(key);
        foreach (var set in sets)
        {
            if (Owners.IsTerminating(set)) continue;
            Sync(set);
        }
    }

    sealed record Revisions(string Current, string Update, JsonObject CurrentTemplate, JsonObject UpdateTemplate);

    void Sync(JsonObject set)
    {
        var template = set.Obj("spec", "template") ?? new JsonObject();
        var update = $"{set.Name()}-{TemplateHash.Of(template)}";
        _templates[$"{set.Uid()}/{update}"] = template.Clone();
        var current = set.Str("status", "currentRevision") is { Length: > 0 } c && _templates.ContainsKey($"{set.Uid()}/{c}") ? c : update;
        var revisions = new Revisions(current, update, _templates[$"{set.Uid()}/{current}"], template);

        var pods = OwnedPods(set);
        var replicas = (int)(set.Long("spec", "replicas") ?? 1);
        var monotonic = set.Str("spec", "podManagementPolicy") != "Parallel";
        var byOrdinal = new Dictionary<int, JsonObject>();
        var condemned = new List<(int Ordinal, JsonObject Pod)>();
        foreach (var pod in pods)
        {
            if (Ordinal(set, pod) is not { } ordinal) continue;
            if (ordinal < replicas) byOrdinal[ordinal] = pod;
            else condemned.Add((ordinal, pod));
        }
        condemned.Sort((a, b) => b.Ordinal.CompareTo(a.Ordinal));

        var blocked = ProcessReplicas(set, revisions, byOrdinal, replicas, monotonic, out var firstUnhealthy);
        firstUnhealthy ??= condemned.Select(x => x.Pod).FirstOrDefault(p => !Owners.IsRunningAndReady(p));
        if (!blocked) blocked = ProcessCondemned(set, condemned, monotonic, firstUnhealthy);
        if (!blocked && set.Str("spec", "updateStrategy", "type") == "RollingUpdate")
        {
            var partition = (int)(set.Long("spec", "updateStrategy", "rollingUpdate", "partition") ?? 0);
            for (var target = replicas - 1; target >= partition; target--)
            {
                if (!byOrdinal.TryGetValue(target, out var pod)) break;
                if (Revision(pod) != update && !Owners.IsTerminating(pod))
                {
                    DeletePod(set, pod);
                    break;
                }
                if (!Healthy(pod)) break;
            }
        }
        UpdateStatus(set, revisions);
    }

    List<JsonObject> OwnedPods(JsonObject set) =>
        objects.Store.List(ResourceCatalog.Pods, set.Namespace(), p => Owners.ControlledBy(p, set.Uid())).Items;

    // The ordinal of a pod named <set>-<n>, or null for any other name.
    static int? Ordinal(JsonObject set, JsonObject pod)
    {
        var name = pod.Name();
        var prefix = set.Name() + "-";
        return name.StartsWith(prefix, StringComparison.Ordinal) && int.TryParse(name[prefix.Length..], out var n) && n >= 0 && $"{prefix}{n}" == name ? n : null;
    }

    static string? Revision(JsonObject pod) => pod.Str("metadata", "labels", RevisionLabel);

    static bool Healthy(JsonObject pod) => Owners.IsRunningAndReady(pod) && !Owners.IsTerminating(pod);

    static bool Finished(JsonObject pod) => pod.Str("status", "phase") is "Failed" or "Succeeded";

    // Each ordinal below spec.replicas in order: finished pods are deleted (and come back),
    // missing ones created; in OrderedReady mode the first that is not Running and Ready
    // (or still terminating, or just created) blocks everything after it.
    bool ProcessReplicas(JsonObject set, Revisions revisions, Dictionary<int, JsonObject> byOrdinal, int replicas, bool monotonic, out JsonObject? firstUnhealthy)
    {
        firstUnhealthy = null;
        var minReady = set.Long("spec", "minReadySeconds") ?? 0;
        for (var i = 0; i < replicas; i++)
        {
            if (!byOrdinal.TryGetValue(i, out var pod))
            {
                if (!CreatePod(set, revisions, i)) return true;
                if (monotonic) return true;
                continue;
            }
            if (firstUnhealthy is null && !Healthy(pod)) firstUnhealthy = pod;
            if (Finished(pod))
            {
                if (!Owners.IsTerminating(pod)) DeletePod(set, pod);
                return true;
            }
            if (monotonic && (Owners.IsTerminating(pod) || !Owners.IsRunningAndReady(pod) || !Owners.IsAvailable(pod, minReady, DateTimeOffset.UtcNow)))
                return true;
        }
        return false;
    }

    // Pods at or above spec.replicas, highest first; OrderedReady deletes one at a time and
    // only while the others are healthy (the first unhealthy pod itself may go).
    bool ProcessCondemned(JsonObject set, List<(int Ordinal, JsonObject Pod)> condemned, bool monotonic, JsonObject? firstUnhealthy)
    {
        foreach (var (_, pod) in condemned)
        {
            if (Owners.IsTerminating(pod))
            {
                if (monotonic) return true;
                continue;
            }
            if (monotonic && !Owners.IsRunningAndReady(pod) && pod.Uid() != firstUnhealthy?.Uid()) return true;
            DeletePod(set, pod);
            if (monotonic) return true;
        }
        return false;
    }

    // newVersionedStatefulSetPod: the current revision below the partition (or, for a
    // RollingUpdate without rollingUpdate, below status.currentReplicas), else the update revision.
    bool CreatePod(JsonObject set, Revisions revisions, int ordinal)
    {
        var key = $"{set.Uid()}/{ordinal}";
        if (!_retry.Open(key)) return false;
        var rolling = set.Obj("spec", "updateStrategy", "rollingUpdate");
        var useCurrent = set.Str("spec", "updateStrategy", "type") == "RollingUpdate"
            && (rolling is null ? ordinal < (set.Long("status", "currentReplicas") ?? 0) : ordinal < (rolling.Long("partition") ?? 0));
        var (revision, template) = useCurrent ? (revisions.Current, revisions.CurrentTemplate) : (revisions.Update, revisions.UpdateTemplate);

        var name = $"{set.Name()}-{ordinal}";
        var pod = Owners.PodFromTemplate(set, template);
        var meta = pod.Ensure("metadata");
        meta["name"] = name;
        var labels = meta.Ensure("labels");
        labels[PodNameLabel] = name;
        labels[PodIndexLabel] = ordinal.ToString();
        labels[RevisionLabel] = revision;
        var spec = pod.Ensure("spec");
        spec["hostname"] = name;
        if (set.Str("spec", "serviceName") is { Length: > 0 } service) spec["subdomain"] = service;
        try
        {
            foreach (var claim in set.Objects("spec", "volumeClaimTemplates"))
                UseClaim(set, spec, claim, ordinal, name);
            objects.Create(Identity.StatefulSetController, ResourceCatalog.Pods, set.Namespace(), pod);
            events.Record(set, "Normal", "SuccessfulCreate", $"create Pod {name} in StatefulSet {set.Name()} successful", Name);
            _retry.Succeeded(key);
            return true;
        }
        catch (ApiException e)
        {
            events.Record(set, "Warning", "FailedCreate", $"create Pod {name} in StatefulSet {set.Name()} failed error: {e.Message}", Name);
            _retry.Failed(key);
            return false;
        }
    }

    // The pod's claim from a volumeClaimTemplate (<template>-<set>-<ordinal>), created when
    // missing, and the pod volume of the template's name pointing at it.
    void UseClaim(JsonObject set, JsonObject podSpec, JsonObject template, int ordinal, string podName)
    {
        var volume = template.Name();
        var claimName = $"{volume}-{set.Name()}-{ordinal}";
        if (objects.Store.Get(ResourceCatalog.Pvcs, set.Namespace(), claimName) is null)
        {
            var claim = new JsonObject
            {
                ["apiVersion"] = "v1",
                ["kind"] = "PersistentVolumeClaim",
                ["metadata"] = new JsonObject
                {
                    ["name"] = claimName,
                    ["namespace"] = set.Namespace(),
                    ["labels"] = set.Obj("spec", "selector", "matchLabels")?.DeepClone() ?? new JsonObject(),
                },
                ["spec"] = template.Obj("spec")?.Clone() ?? new JsonObject(),
            };
            try
            {
                objects.Create(Identity.StatefulSetController, ResourceCatalog.Pvcs, set.Namespace(), claim);
                events.Record(set, "Normal", "SuccessfulCreate", $"create Claim {claimName} Pod {podName} in StatefulSet {set.Name()} success", Name);
            }
            catch (ApiException e)
            {
                events.Record(set, "Warning", "FailedCreate", $"create Claim {claimName} for Pod {podName} in StatefulSet {set.Name()} failed error: {e.Message}", Name);
                throw;
            }
        }
        var volumes = podSpec.EnsureArray("volumes");
        foreach (var existing in volumes.OfType<JsonObject>().Where(v => v.Str("name") == volume).ToList()) volumes.Remove(existing);
        volumes.Add(new JsonObject { ["name"] = volume, ["persistentVolumeClaim"] = new JsonObject { ["claimName"] = claimName } });
    }

    void DeletePod(JsonObject set, JsonObject pod)
    {
        if (objects.DeleteOwnedPod(pod))
            events.Record(set, "Normal", "SuccessfulDelete", $"delete Pod {pod.Name()} in StatefulSet {set.Name()} successful", Name);
    }

    // The counts pkg/controller/statefulset writes, then completeRollingUpdate: once every
    // pod runs the update revision and is ready, it becomes the current revision.
    void UpdateStatus(JsonObject set, Revisions revisions)
    {
        var pods = OwnedPods(set).Where(p => Ordinal(set, p) is not null).ToList();
        var minReady = set.Long("spec", "minReadySeconds") ?? 0;
        var now = DateTimeOffset.UtcNow;
        var created = pods.Count(p => p.Str("status", "phase") is { Length: > 0 });
        var ready = pods.Count(Owners.IsRunningAndReady);
        var available = pods.Count(p => Owners.IsRunningAndReady(p) && Owners.IsAvailable(p, minReady, now));
        var live = pods.Where(p => p.Str("status", "phase") is { Length: > 0 } && !Owners.IsTerminating(p)).ToList();
        var currentCount = live.Count(p => Revision(p) == revisions.Current);
        var updatedCount = live.Count(p => Revision(p) == revisions.Update);
        var currentRevision = revisions.Current;
        if (set.Str("spec", "updateStrategy", "type") == "RollingUpdate" && updatedCount == created && ready == created)
        {
            currentCount = updatedCount;
            currentRevision = revisions.Update;
        }

        objects.WriteStatus(ResourceCatalog.StatefulSets, set, new JsonObject
        {
            ["observedGeneration"] = set.Long("metadata", "generation") ?? 1,
            ["replicas"] = created,
            ["readyReplicas"] = ready,
            ["currentReplicas"] = currentCount,
            ["updatedReplicas"] = updatedCount,
            ["currentRevision"] = currentRevision,
            ["updateRevision"] = revisions.Update,
            ["collisionCount"] = set.Long("status", "collisionCount") ?? 0,
            ["availableReplicas"] = available,
        }, "readyReplicas", "currentReplicas", "updatedReplicas");
    }
}
