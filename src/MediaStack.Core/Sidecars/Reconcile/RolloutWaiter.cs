using System.Diagnostics;
using k8s;
using k8s.Models;
using MediaStack.Core.Errors;

namespace MediaStack.Core.Sidecars.Reconcile;

// Progress of a rollout, for Write-Progress.
public sealed record RolloutProgress(string Status, int Updated, int Available, int Desired);

// Waits until a Deployment has rolled out what `generation` asked for, the way
// `oc rollout status` decides it: observedGeneration caught up and updated, available and
// total replicas equal the desired count. A refused or failing rollout is an error that
// says why (conditions, warning events, container states), not a silent timeout.
public sealed class RolloutWaiter(IKubernetes client)
{
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);

    // Returns the names of the pods of the new ReplicaSet.
    public async Task<IReadOnlyList<string>> WaitAsync(string @namespace, string name, long generation, TimeSpan timeout, Action<RolloutProgress>? progress, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var deployment = await client.AppsV1.ReadNamespacedDeploymentAsync(name, @namespace, cancellationToken: ct).ConfigureAwait(false);
            var desired = deployment.Spec?.Replicas ?? 1;
            var status = deployment.Status;
            var updated = status?.UpdatedReplicas ?? 0;
            var available = status?.AvailableReplicas ?? 0;
            var total = status?.Replicas ?? 0;
            var observed = (status?.ObservedGeneration ?? 0) >= generation;
            progress?.Invoke(new RolloutProgress(
                observed ? $"{updated} of {desired} updated, {available} available" : "waiting for the controller to see the change",
                updated, available, desired));
            if (observed && updated == desired && available == desired && total == desired)
            {
                return await NewPodsAsync(deployment, ct).ConfigureAwait(false);
            }
            var failure = status?.Conditions?.FirstOrDefault(condition =>
                (condition.Type == "ReplicaFailure" && condition.Status == "True")
                || (condition.Type == "Progressing" && condition.Status == "False" && condition.Reason == "ProgressDeadlineExceeded"));
            if (observed && failure is not null)
            {
                throw new MediaStackException(ErrorIds.RolloutFailed, ErrorCategory.InvalidOperation,
                    $"The rollout of Deployment '{name}' failed: {failure.Reason}: {failure.Message}{await WhyAsync(deployment, ct).ConfigureAwait(false)}",
                    name, "Fix the cause shown, or run Invoke-MountDiagnosis on the new pod.");
            }
            if (clock.Elapsed >= timeout)
            {
                throw new MediaStackException(ErrorIds.RolloutTimedOut, ErrorCategory.OperationTimeout,
                    $"Deployment '{name}' did not finish rolling out within {timeout.TotalSeconds:0} s ({updated} of {desired} updated, {available} available).{await WhyAsync(deployment, ct).ConfigureAwait(false)}",
                    name, "Raise -TimeoutSec if the pods are only slow, else fix the cause shown (Invoke-MountDiagnosis helps).");
            }
            await Task.Delay(PollInterval, ct).ConfigureAwait(false);
        }
    }

    private async Task<V1ReplicaSet?> NewestReplicaSetAsync(V1Deployment deployment, CancellationToken ct)
    {
        var selector = string.Join(",", (deployment.Spec?.Selector?.MatchLabels ?? new Dictionary<string, string>()).Select(label => $"{label.Key}={label.Value}"));
        var sets = await client.AppsV1.ListNamespacedReplicaSetAsync(deployment.Metadata.NamespaceProperty, labelSelector: selector, cancellationToken: ct).ConfigureAwait(false);
        return sets.Items
            .Where(set => set.Metadata.OwnerReferences?.Any(owner => owner.Uid == deployment.Metadata.Uid) ?? false)
            .OrderByDescending(set => Revision(set))
            .ThenByDescending(set => set.Metadata.CreationTimestamp)
            .FirstOrDefault();
    }

    private static long Revision(V1ReplicaSet set) =>
        set.Metadata.Annotations?.TryGetValue("deployment.kubernetes.io/revision", out var value) == true && long.TryParse(value, out var revision) ? revision : 0;

    private async Task<IReadOnlyList<V1Pod>> PodsOfAsync(V1ReplicaSet set, CancellationToken ct)
    {
        var selector = string.Join(",", (set.Spec?.Selector?.MatchLabels ?? new Dictionary<string, string>()).Select(label => $"{label.Key}={label.Value}"));
        var pods = await client.CoreV1.ListNamespacedPodAsync(set.Metadata.NamespaceProperty, labelSelector: selector, cancellationToken: ct).ConfigureAwait(false);
        return pods.Items
            .Where(pod => pod.Metadata.OwnerReferences?.Any(owner => owner.Uid == set.Metadata.Uid) ?? false)
            .Where(pod => pod.Metadata.DeletionTimestamp is null)
            .ToList();
    }

    private async Task<IReadOnlyList<string>> NewPodsAsync(V1Deployment deployment, CancellationToken ct)
    {
        var set = await NewestReplicaSetAsync(deployment, ct).ConfigureAwait(false);
        return set is null ? [] : (await PodsOfAsync(set, ct).ConfigureAwait(false)).Select(pod => pod.Metadata.Name).ToList();
    }

    // The evidence a person needs: warning events of the new ReplicaSet and its pods, and
    // each container that is waiting or has terminated, with the reason.
    private async Task<string> WhyAsync(V1Deployment deployment, CancellationToken ct)
    {
        var lines = new List<string>();
        var set = await NewestReplicaSetAsync(deployment, ct).ConfigureAwait(false);
        var subjects = new List<string>();
        if (set is not null)
        {
            subjects.Add(set.Metadata.Name);
            foreach (var pod in await PodsOfAsync(set, ct).ConfigureAwait(false))
            {
                subjects.Add(pod.Metadata.Name);
                var statuses = (pod.Status?.InitContainerStatuses ?? []).Concat(pod.Status?.ContainerStatuses ?? []);
                foreach (var container in statuses)
                {
                    if (container.State?.Waiting is { } waiting && waiting.Reason is not null)
                    {
                        lines.Add($"{pod.Metadata.Name}/{container.Name}: waiting, {waiting.Reason}{(string.IsNullOrEmpty(waiting.Message) ? "" : ": " + waiting.Message)}");
                    }
                    if (container.LastState?.Terminated is { } last)
                    {
                        lines.Add($"{pod.Metadata.Name}/{container.Name}: last terminated {last.Reason} (exit {last.ExitCode}), {container.RestartCount} restarts");
                    }
                }
            }
        }
        foreach (var subject in subjects)
        {
            var events = await client.CoreV1.ListNamespacedEventAsync(deployment.Metadata.NamespaceProperty, fieldSelector: $"involvedObject.name={subject}", cancellationToken: ct).ConfigureAwait(false);
            foreach (var item in events.Items.Where(item => item.Type == "Warning").TakeLast(5))
            {
                lines.Add($"{subject}: {item.Reason}: {item.Message}");
            }
        }
        return lines.Count == 0 ? "" : " " + string.Join("; ", lines.Distinct());
    }
}
