using System.Net;
using k8s;
using k8s.Autorest;
using MediaStack.Core.Config;
using MediaStack.Core.Diagnosis.Model;
using MediaStack.Core.Errors;
using MediaStack.Core.Repair;
using MediaStack.Core.Reconcile;

namespace MediaStack.Core.Checks;

// The repairs an unattended round may make (Invoke-MediaStackCheck -Repair), through the
// same reconciler as Repair-MediaMount (one guarded patch per workload, its preflight), with
// the guards of a run nobody watches: never on an ArgoCD-managed object (no force), a
// privilege grant only with GrantPrivilege, at most MaxRepairs workloads changed, live
// objects only. Then it waits (bounded) for what it changed to roll out, so that the round
// can test again.
internal sealed class CheckRepairs(IKubernetes client, MediaStackConfig config, CheckOptions options)
{
    private readonly Reconciler _reconciler = new(config, () => client);
    private readonly ReconcileOptions _reconcile = new() { Force = false, GrantPrivilege = options.GrantPrivilege };
    private readonly List<CheckRepair> _results = [];
    private readonly HashSet<(string, string)> _touched = [];
    private readonly List<(string Namespace, string Kind, string Name, string? Pod)> _waits = [];

    public async Task<IReadOnlyList<CheckRepair>> RunAsync(IReadOnlyList<MountFinding> findings, Action<string>? progress, CancellationToken ct)
    {
        var plan = RepairPlan.From(findings.Where(finding => finding.File is null));
        foreach (var grant in plan.Grants)
        {
            await GrantAsync(grant, ct).ConfigureAwait(false);
        }
        foreach (var repair in plan.Workloads)
        {
            progress?.Invoke($"repairing {repair.Display}");
            await PatchAsync(repair, ct).ConfigureAwait(false);
        }
        foreach (var restart in plan.Restarts)
        {
            await RestartAsync(restart, ct).ConfigureAwait(false);
        }
        await WaitAsync(progress, ct).ConfigureAwait(false);
        return _results;
    }

    private async Task GrantAsync(PrivilegeGrant grant, CancellationToken ct)
    {
        var target = $"serviceaccount/{grant.ServiceAccount} in {grant.Namespace}";
        if (!options.GrantPrivilege)
        {
            Add("GrantPrivilege", grant.Namespace, grant.ServiceAccount, target, CheckRepairOutcome.Skipped, "a privilege grant needs -GrantPrivilege", grant.Findings);
            return;
        }
        await Guarded("GrantPrivilege", grant.Namespace, grant.ServiceAccount, target, grant.Findings, async () =>
        {
            var result = await _reconciler.GrantAsync(grant, apply: true, ct).ConfigureAwait(false);
            Add("GrantPrivilege", grant.Namespace, grant.ServiceAccount, target, Outcome(result.Status), result.Reason ?? "", grant.Findings, result.Changes);
        }).ConfigureAwait(false);
    }

    private async Task PatchAsync(WorkloadRepair repair, CancellationToken ct)
    {
        var ns = repair.Namespace!;
        const string action = "PatchWorkload";
        if (!Budget(ns, repair.Name))
        {
            Add(action, ns, repair.Name, repair.Display, CheckRepairOutcome.Skipped, $"-MaxRepairs {options.MaxRepairs} reached", repair.Findings);
            return;
        }
        await Guarded(action, ns, repair.Name, repair.Display, repair.Findings, async () =>
        {
            var request = new ChangeRequest { Action = ChangeAction.Repair, Findings = repair.Findings };
            var prepared = await _reconciler.PrepareAsync(new ClusterTarget(ns, repair.Kind, repair.Name), request, _reconcile, ct).ConfigureAwait(false);
            if (prepared.Problems.Count > 0)
            {
                Add(action, ns, repair.Name, repair.Display, CheckRepairOutcome.Refused,
                    string.Join(" ", prepared.Problems.Select(problem => $"{problem.ErrorId}: {problem.Message}")), repair.Findings,
                    prepared.Plan.Changes.Select(change => change.ToString()).ToList());
                return;
            }
            if (prepared.Plan.Status != PlanStatus.Changed)
            {
                Add(action, ns, repair.Name, repair.Display, CheckRepairOutcome.UpToDate, prepared.Plan.Reason ?? "", repair.Findings);
                return;
            }
            _touched.Add((ns, repair.Name));
            var result = await _reconciler.ApplyAsync(prepared, _reconcile, ct).ConfigureAwait(false);
            if (result.Status == ReconcileStatus.Changed)
            {
                _waits.Add((ns, result.ResourceKind, repair.Name, null));
            }
            Add(action, ns, repair.Name, repair.Display, Outcome(result.Status), string.Join(" ", prepared.Warnings), repair.Findings, result.Changes);
        }).ConfigureAwait(false);
    }

    private static CheckRepairOutcome Outcome(ReconcileStatus status) => status switch
    {
        ReconcileStatus.Changed => CheckRepairOutcome.Applied,
        ReconcileStatus.Skipped => CheckRepairOutcome.Skipped,
        _ => CheckRepairOutcome.UpToDate,
    };

    // A stale FUSE mount goes away only with the pod's mount namespace: delete the pod, its
    // controller starts a fresh one. Not needed when that workload was just patched.
    private async Task RestartAsync(PodRestart restart, CancellationToken ct)
    {
        var target = $"pod/{restart.Pod} in {restart.Namespace}";
        var owner = restart.Deployment ?? restart.Pod;
        if (restart.Deployment is not null && _waits.Any(wait => wait.Namespace == restart.Namespace && wait.Name == restart.Deployment))
        {
            return;
        }
        if (!Budget(restart.Namespace, owner))
        {
            Add("RestartPod", restart.Namespace, restart.Pod, target, CheckRepairOutcome.Skipped, $"-MaxRepairs {options.MaxRepairs} reached", restart.Findings);
            return;
        }
        await Guarded("RestartPod", restart.Namespace, restart.Pod, target, restart.Findings, async () =>
        {
            _touched.Add((restart.Namespace, owner));
            var result = await _reconciler.RestartAsync(restart, ct).ConfigureAwait(false);
            if (restart.Deployment is not null)
            {
                _waits.Add((restart.Namespace, restart.Findings[0].Target.ResourceKind, restart.Deployment, restart.Pod));
            }
            Add("RestartPod", restart.Namespace, restart.Pod, target, CheckRepairOutcome.Applied, "", restart.Findings, result.Changes);
        }).ConfigureAwait(false);
    }

    // All rollouts share one deadline; one that does not finish is noted on its repair and
    // the round tests again anyway (it will say what is still wrong).
    private async Task WaitAsync(Action<string>? progress, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow.AddSeconds(options.RepairTimeoutSec);
        var waiter = new RolloutWaiter(client);
        var reader = new ClusterWriter(client);
        foreach (var (ns, kind, name, pod) in _waits)
        {
            progress?.Invoke($"waiting for {kind.ToLowerInvariant()}/{name} in {ns}");
            try
            {
                if (pod is not null)
                {
                    await PodGoneAsync(ns, pod, deadline, ct).ConfigureAwait(false);
                }
                var current = await reader.ReadAsync(ns, kind, name, ct).ConfigureAwait(false);
                var generation = (long?)current["metadata"]?["generation"] ?? 0;
                var left = deadline - DateTime.UtcNow;
                await waiter.WaitAsync(ns, kind, name, generation, left > TimeSpan.Zero ? left : TimeSpan.Zero, null, ct).ConfigureAwait(false);
            }
            catch (MediaStackException exception)
            {
                Note(ns, pod ?? name, exception.Message);
            }
            catch (HttpOperationException exception)
            {
                Note(ns, pod ?? name, $"waiting for the rollout failed: {exception.Message}");
            }
        }
    }

    private async Task PodGoneAsync(string ns, string pod, DateTime deadline, CancellationToken ct)
    {
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                await client.CoreV1.ReadNamespacedPodAsync(pod, ns, cancellationToken: ct).ConfigureAwait(false);
            }
            catch (HttpOperationException exception) when (exception.Response?.StatusCode == HttpStatusCode.NotFound)
            {
                return;
            }
            await Task.Delay(RolloutWaiter.PollInterval, ct).ConfigureAwait(false);
        }
        throw new MediaStackException(ErrorIds.RolloutTimedOut, ErrorCategory.OperationTimeout,
            $"pod/{pod} was still there after {options.RepairTimeoutSec} s.", pod);
    }

    private bool Budget(string ns, string name) => _touched.Contains((ns, name)) || _touched.Count < options.MaxRepairs;

    // Runs one repair; a failure is that repair's outcome, never the end of the round,
    // except for what stops everything (credentials, unreachable cluster).
    private async Task Guarded(string action, string ns, string name, string target, IReadOnlyList<MountFinding> findings, Func<Task> repair)
    {
        try
        {
            await repair().ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            var error = Cluster.ClusterErrors.Map(exception, $"repair {target}", name);
            if (Cluster.ClusterErrors.IsTerminating(error))
            {
                throw error;
            }
            Add(action, ns, name, target, CheckRepairOutcome.Failed, $"{error.ErrorId}: {error.Message}", findings);
        }
    }

    private void Add(string action, string ns, string name, string target, CheckRepairOutcome outcome, string reason, IReadOnlyList<MountFinding> findings, IReadOnlyList<string>? changes = null) =>
        _results.Add(new CheckRepair
        {
            Action = action,
            Namespace = ns,
            Name = name,
            Target = target,
            Outcome = outcome,
            Reason = reason,
            Changes = changes ?? [],
            RuleIds = findings.Select(finding => finding.RuleId).Distinct().ToList(),
        });

    private void Note(string ns, string name, string message)
    {
        var index = _results.FindIndex(result => result.Namespace == ns && result.Name == name);
        if (index >= 0)
        {
            var result = _results[index];
            _results[index] = result with { Reason = result.Reason.Length == 0 ? message : $"{result.Reason} {message}" };
        }
    }
}
