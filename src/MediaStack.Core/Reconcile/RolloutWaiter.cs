using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using MediaStack.Core.Errors;
using MediaStack.Core.Workloads;

namespace MediaStack.Core.Reconcile;

// Progress of a rollout, for Write-Progress.
public sealed record RolloutProgress(string Status, int Updated, int Available, int Desired);

// Waits until a workload has rolled out what `generation` asked for, the way `oc rollout
// status` decides it: observedGeneration caught up and the updated and available pods equal
// the desired count (Deployment: replicas; StatefulSet: replicas, ready; DaemonSet: desired
// number scheduled). A refused or failing rollout is an error that says why (conditions,
// warning events, container states), not a silent timeout.
public sealed class RolloutWaiter(IKubernetes client)
{
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);

    // Returns the names of the pods of the new revision.
    public async Task<IReadOnlyList<string>> WaitAsync(string @namespace, string kind, string name, long generation, TimeSpan timeout, Action<RolloutProgress>? progress, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        // A ReplicaFailure from before the wait (pods refused until a grant that just
        // happened) says nothing yet: the controller retries. One that starts during the wait
        // fails it at once; the tolerance is for the server's clock.
        var started = DateTime.UtcNow - ClockTolerance;
        var writer = new ClusterWriter(client);
        while (true)
        {
            var resource = await writer.ReadAsync(@namespace, kind, name, ct).ConfigureAwait(false);
            var status = resource["status"];
            var (desired, updated, available) = kind switch
            {
                "DaemonSet" => (Int(status?["desiredNumberScheduled"]), Int(status?["updatedNumberScheduled"]), Int(status?["numberAvailable"])),
                "StatefulSet" => (Int(resource["spec"]?["replicas"], 1), Int(status?["updatedReplicas"]), Int(status?["readyReplicas"])),
                _ => (Int(resource["spec"]?["replicas"], 1), Int(status?["updatedReplicas"]), Int(status?["availableReplicas"])),
            };
            var total = kind == "Deployment" ? Int(status?["replicas"]) : desired;
            var observed = Int(status?["observedGeneration"]) >= generation;
            progress?.Invoke(new RolloutProgress(
                observed ? $"{updated} of {desired} updated, {available} available" : "waiting for the controller to see the change",
                updated, available, desired));
            if (observed && updated == desired && available == desired && total == desired)
            {
                return (await NewPodsAsync(resource, ct).ConfigureAwait(false)).Select(pod => pod["metadata"]!["name"]!.GetValue<string>()).ToList();
            }
            var failure = (status?["conditions"] as JsonArray ?? []).OfType<JsonObject>().FirstOrDefault(condition =>
                (Text(condition["type"]) == "ReplicaFailure" && Text(condition["status"]) == "True" && !(Time(condition["lastTransitionTime"]) < started))
                || (Text(condition["type"]) == "Progressing" && Text(condition["status"]) == "False" && Text(condition["reason"]) == "ProgressDeadlineExceeded"));
            if (observed && failure is not null)
            {
                throw new MediaStackException(ErrorIds.RolloutFailed, ErrorCategory.InvalidOperation,
                    $"The rollout of {kind} '{name}' failed: {Text(failure["reason"])}: {Text(failure["message"])}{await WhyAsync(resource, ct).ConfigureAwait(false)}",
                    name, "Fix the cause shown, or run Invoke-MountDiagnosis on the new pod.");
            }
            if (clock.Elapsed >= timeout)
            {
                throw new MediaStackException(ErrorIds.RolloutTimedOut, ErrorCategory.OperationTimeout,
                    $"{kind} '{name}' did not finish rolling out within {timeout.TotalSeconds:0} s ({updated} of {desired} updated, {available} available).{await WhyAsync(resource, ct).ConfigureAwait(false)}",
                    name, "Raise -TimeoutSec if the pods are only slow, else fix the cause shown (Invoke-MountDiagnosis helps).");
            }
            await Task.Delay(PollInterval, ct).ConfigureAwait(false);
        }
    }

    private static readonly TimeSpan ClockTolerance = TimeSpan.FromSeconds(5);

    private static DateTime? Time(JsonNode? node) =>
        DateTime.TryParse(Text(node), System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AdjustToUniversal | System.Globalization.DateTimeStyles.AssumeUniversal, out var time) ? time : null;

    private static int Int(JsonNode? node, int fallback = 0) =>
        node is JsonValue value && value.TryGetValue<long>(out var number) ? (int)number : fallback;

    private static string? Text(JsonNode? node) => WorkloadContainer.Text(node);

    private static string Selector(JsonNode? resource) =>
        string.Join(",", (resource?["spec"]?["selector"]?["matchLabels"] as JsonObject ?? []).Select(label => $"{label.Key}={label.Value}"));

    private static string? Uid(JsonNode? resource) => Text(resource?["metadata"]?["uid"]);

    private static bool OwnedBy(JsonNode item, string? uid) =>
        (item["metadata"]?["ownerReferences"] as JsonArray ?? []).Any(owner => Text(owner?["uid"]) == uid);

    // A Deployment's pods belong to its newest ReplicaSet; the others own their pods directly.
    private async Task<JsonObject?> PodOwnerAsync(JsonObject resource, CancellationToken ct)
    {
        if (Text(resource["kind"]) != "Deployment")
        {
            return resource;
        }
        var ns = Text(resource["metadata"]?["namespace"])!;
        var sets = (JsonElement)await client.CustomObjects.ListNamespacedCustomObjectAsync("apps", "v1", ns, "replicasets", labelSelector: Selector(resource), cancellationToken: ct).ConfigureAwait(false);
        return (JsonNode.Parse(sets.GetRawText())!["items"] as JsonArray ?? []).OfType<JsonObject>()
            .Where(set => OwnedBy(set, Uid(resource)))
            .OrderByDescending(set => long.TryParse(Text(set["metadata"]?["annotations"]?["deployment.kubernetes.io/revision"]), out var revision) ? revision : 0)
            .ThenByDescending(set => Text(set["metadata"]?["creationTimestamp"]), StringComparer.Ordinal)
            .FirstOrDefault();
    }

    private async Task<IReadOnlyList<JsonObject>> NewPodsAsync(JsonObject resource, CancellationToken ct)
    {
        if (await PodOwnerAsync(resource, ct).ConfigureAwait(false) is not { } owner)
        {
            return [];
        }
        var ns = Text(resource["metadata"]?["namespace"])!;
        var pods = await client.CoreV1.ListNamespacedPodAsync(ns, labelSelector: Selector(owner), cancellationToken: ct).ConfigureAwait(false);
        var uid = Uid(owner);
        return pods.Items
            .Where(pod => pod.Metadata.OwnerReferences?.Any(reference => reference.Uid == uid) ?? false)
            .Where(pod => pod.Metadata.DeletionTimestamp is null)
            .Select(pod => JsonNode.Parse(KubernetesJson.Serialize(pod))!.AsObject())
            .ToList();
    }

    // The evidence a person needs: warning events of the new pods' owner and of those pods,
    // and each container that is waiting or has terminated, with the reason.
    private async Task<string> WhyAsync(JsonObject resource, CancellationToken ct)
    {
        var lines = new List<string>();
        var subjects = new List<string>();
        if (await PodOwnerAsync(resource, ct).ConfigureAwait(false) is { } owner)
        {
            subjects.Add(Text(owner["metadata"]?["name"])!);
            foreach (var pod in await NewPodsAsync(resource, ct).ConfigureAwait(false))
            {
                var podName = Text(pod["metadata"]?["name"])!;
                subjects.Add(podName);
                var statuses = (pod["status"]?["initContainerStatuses"] as JsonArray ?? []).Concat(pod["status"]?["containerStatuses"] as JsonArray ?? []).OfType<JsonObject>();
                foreach (var container in statuses)
                {
                    if (container["state"]?["waiting"] is { } waiting && Text(waiting["reason"]) is { } reason)
                    {
                        lines.Add($"{podName}/{Text(container["name"])}: waiting, {reason}{(Text(waiting["message"]) is { Length: > 0 } message ? ": " + message : "")}");
                    }
                    if (container["lastState"]?["terminated"] is { } last)
                    {
                        lines.Add($"{podName}/{Text(container["name"])}: last terminated {Text(last["reason"])} (exit {last["exitCode"]}), {container["restartCount"]} restarts");
                    }
                }
            }
        }
        var ns = Text(resource["metadata"]?["namespace"])!;
        foreach (var subject in subjects)
        {
            var events = await client.CoreV1.ListNamespacedEventAsync(ns, fieldSelector: $"involvedObject.name={subject}", cancellationToken: ct).ConfigureAwait(false);
            foreach (var item in events.Items.Where(item => item.Type == "Warning").TakeLast(5))
            {
                lines.Add($"{subject}: {item.Reason}: {item.Message}");
            }
        }
        return lines.Count == 0 ? "" : " " + string.Join("; ", lines.Distinct());
    }
}
