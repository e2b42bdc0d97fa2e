using System.Net;
using k8s;
using k8s.Autorest;
using MediaStack.Core.Config;
using MediaStack.Core.Diagnosis.Model;
using MediaStack.Core.Errors;
using MediaStack.Core.Repair;
using MediaStack.Core.Sidecars.Reconcile;

namespace MediaStack.Core.Checks;

// The repairs an unattended round may make (Invoke-MediaStackCheck -Repair), and the one
// place that makes them: the same Core pieces as Repair-MediaMount (RepairPlan, SpecRepair,
// ClusterSidecarApplier with its preflight), with the guards of a run nobody watches: never
// on an ArgoCD-managed object (no force), a privilege grant only with GrantPrivilege, at
// most MaxRepairs Deployments changed, live objects only. Then it waits (bounded) for what
// it changed to roll out, so that the round can test again.
// When Core/Reconcile takes over Repair-MediaMount's workflow, this class is re-pointed at it.
internal sealed class CheckRepairs(IKubernetes client, MediaStackConfig config, CheckOptions options)
{
    private readonly ClusterSidecarApplier _applier = new(client);
    private readonly List<CheckRepair> _results = [];
    private readonly HashSet<(string, string)> _touched = [];
    private readonly List<(string Namespace, string Deployment, string? Pod)> _waits = [];

    public async Task<IReadOnlyList<CheckRepair>> RunAsync(IReadOnlyList<MountFinding> findings, Action<string>? progress, CancellationToken ct)
    {
        var plan = RepairPlan.From(findings.Where(finding => finding.File is null));
        foreach (var grant in plan.Grants)
        {
            await GrantAsync(grant, ct).ConfigureAwait(false);
        }
        foreach (var deployment in plan.Deployments)
        {
            progress?.Invoke($"repairing {deployment.Display}");
            await PatchAsync(deployment, ct).ConfigureAwait(false);
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
            var check = await _applier.CheckPrivilegeAsync(grant.Namespace, grant.ServiceAccount, ct).ConfigureAwait(false);
            if (check.Allowed)
            {
                Add("GrantPrivilege", grant.Namespace, grant.ServiceAccount, target, CheckRepairOutcome.UpToDate, check.Evidence, grant.Findings);
                return;
            }
            var done = await _applier.GrantPrivilegeAsync(check, ct).ConfigureAwait(false);
            Add("GrantPrivilege", grant.Namespace, grant.ServiceAccount, target, CheckRepairOutcome.Applied, "", grant.Findings, [done]);
        }).ConfigureAwait(false);
    }

    private async Task PatchAsync(DeploymentRepair repair, CancellationToken ct)
    {
        var ns = repair.Namespace!;
        if (!Budget(ns, repair.Name))
        {
            Add("PatchDeployment", ns, repair.Name, repair.Display, CheckRepairOutcome.Skipped, $"-MaxRepairs {options.MaxRepairs} reached", repair.Findings);
            return;
        }
        await Guarded("PatchDeployment", ns, repair.Name, repair.Display, repair.Findings, async () =>
        {
            var deployment = await _applier.ReadDeploymentAsync(ns, repair.Name, ct).ConfigureAwait(false);
            var plan = SpecRepair.Plan(repair, deployment, config);
            if (plan.IsEmpty)
            {
                Add("PatchDeployment", ns, repair.Name, repair.Display, CheckRepairOutcome.UpToDate, "", repair.Findings);
                return;
            }
            var preflight = await _applier.PreflightAsync(deployment, plan, force: false, options.GrantPrivilege, ct).ConfigureAwait(false);
            if (preflight.Problems.Count > 0)
            {
                Add("PatchDeployment", ns, repair.Name, repair.Display, CheckRepairOutcome.Refused,
                    string.Join(" ", preflight.Problems.Select(problem => $"{problem.ErrorId}: {problem.Message}")), repair.Findings,
                    plan.Changes.Select(change => change.ToString()).ToList());
                return;
            }
            _touched.Add((ns, repair.Name));
            var (_, applied) = await _applier.ApplyAsync(ns, repair.Name, plan, fresh => SpecRepair.Plan(repair, fresh, config), ct).ConfigureAwait(false);
            if (!applied.IsEmpty)
            {
                _waits.Add((ns, repair.Name, null));
            }
            Add("PatchDeployment", ns, repair.Name, repair.Display, applied.IsEmpty ? CheckRepairOutcome.UpToDate : CheckRepairOutcome.Applied,
                string.Join(" ", preflight.Warnings), repair.Findings, applied.Changes.Select(change => change.ToString()).ToList());
        }).ConfigureAwait(false);
    }

    // A stale FUSE mount goes away only with the pod's mount namespace: delete the pod, its
    // Deployment starts a fresh one. Not needed when that Deployment was just patched.
    private async Task RestartAsync(PodRestart restart, CancellationToken ct)
    {
        var target = $"pod/{restart.Pod} in {restart.Namespace}";
        var owner = restart.Deployment ?? restart.Pod;
        if (restart.Deployment is not null && _waits.Any(wait => wait.Namespace == restart.Namespace && wait.Deployment == restart.Deployment))
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
            await client.CoreV1.DeleteNamespacedPodAsync(restart.Pod, restart.Namespace, cancellationToken: ct).ConfigureAwait(false);
            if (restart.Deployment is not null)
            {
                _waits.Add((restart.Namespace, restart.Deployment, restart.Pod));
            }
            Add("RestartPod", restart.Namespace, restart.Pod, target, CheckRepairOutcome.Applied, "", restart.Findings, ["deleted the pod; its Deployment starts a fresh one"]);
        }).ConfigureAwait(false);
    }

    // All rollouts share one deadline; one that does not finish is noted on its repair and
    // the round tests again anyway (it will say what is still wrong).
    private async Task WaitAsync(Action<string>? progress, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow.AddSeconds(options.RepairTimeoutSec);
        var waiter = new RolloutWaiter(client);
        foreach (var (ns, deployment, pod) in _waits)
        {
            progress?.Invoke($"waiting for deployment/{deployment} in {ns}");
            try
            {
                if (pod is not null)
                {
                    await PodGoneAsync(ns, pod, deadline, ct).ConfigureAwait(false);
                }
                var current = await client.AppsV1.ReadNamespacedDeploymentAsync(deployment, ns, cancellationToken: ct).ConfigureAwait(false);
                var left = deadline - DateTime.UtcNow;
                await waiter.WaitAsync(ns, deployment, current.Metadata.Generation ?? 0, left > TimeSpan.Zero ? left : TimeSpan.Zero, null, ct).ConfigureAwait(false);
            }
            catch (MediaStackException exception)
            {
                Note(ns, pod ?? deployment, exception.Message);
            }
            catch (HttpOperationException exception)
            {
                Note(ns, pod ?? deployment, $"waiting for the rollout failed: {exception.Message}");
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
