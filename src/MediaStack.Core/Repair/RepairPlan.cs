using MediaStack.Core.Diagnosis.Model;

namespace MediaStack.Core.Repair;

// Fixable findings sorted into the work Repair-MediaMount does, in the order it does it:
// privilege grants first (so new pods are admitted), then one spec change per Deployment
// (live or in a file), then pod restarts for stale mounts that no rollout replaces anyway.
public sealed class RepairPlan
{
    public required IReadOnlyList<PrivilegeGrant> Grants { get; init; }

    public required IReadOnlyList<WorkloadRepair> Workloads { get; init; }

    public required IReadOnlyList<PodRestart> Restarts { get; init; }

    // Findings with no automatic fix, or none in this mode, and the manual step to take.
    public required IReadOnlyList<(MountFinding Finding, string Reason)> Skipped { get; init; }

    // Problems no repair here can fix that keep a Deployment's pods from ever becoming ready:
    // waiting for its rollout is pointless while one of them stands.
    public static readonly IReadOnlySet<string> RolloutBlockers = new HashSet<string>(StringComparer.Ordinal)
    {
        Rules.SecretNotFound.Id,
        Rules.LogMountPointNotEmpty.Id,
        Rules.LogConfigMissing.Id,
        Rules.LogBackendAuth.Id,
        Rules.LogBackendUnreachable.Id,
    };

    // The Error findings of this Deployment that block its rollout: the RolloutBlockers, and
    // the missing privilege unless it is being granted.
    public static IReadOnlyList<MountFinding> BlockersOf(IEnumerable<MountFinding> findings, string? @namespace, string workload, bool granting = false) =>
        findings.Where(f => f.Severity == Severity.Error
                && (RolloutBlockers.Contains(f.RuleId) || (!granting && f.Repair == RepairKind.GrantPrivilege))
                && f.Namespace == @namespace && f.Deployment == workload && f.File is null)
            .ToList();

    public static RepairPlan From(IEnumerable<MountFinding> findings)
    {
        var grants = new Dictionary<(string, string), List<MountFinding>>();
        var workloads = new Dictionary<(string?, string, string, string?, int), List<MountFinding>>();
        var restarts = new Dictionary<(string, string), List<MountFinding>>();
        var skipped = new List<(MountFinding, string)>();
        foreach (var finding in findings)
        {
            var target = finding.Target;
            switch (finding.Repair)
            {
                case RepairKind.None when target.Rendered && finding.Severity >= Severity.Warning && finding.Rule.Repair != RepairKind.None:
                    skipped.Add((finding, $"read from rendered text: change the chart or overlay it came from; manual step: {finding.Remedy}"));
                    break;
                case RepairKind.None:
                    if (finding.Severity >= Severity.Warning)
                    {
                        skipped.Add((finding, $"no automatic fix; manual step: {finding.Remedy}"));
                    }
                    break;
                case RepairKind.Reconcile when target.Deployment is null:
                    skipped.Add((finding, $"the pod has no owning workload to change; manual step: {finding.Remedy}"));
                    break;
                case RepairKind.Reconcile:
                    Add(workloads, (target.File is null ? target.Namespace : null, target.ResourceKind, target.Deployment, target.File, target.DocumentIndex), finding);
                    break;
                case RepairKind.RestartPod when target.File is not null || target.Pod is null || target.Namespace is null:
                    skipped.Add((finding, $"needs a live pod to restart; manual step: {finding.Remedy}"));
                    break;
                case RepairKind.RestartPod:
                    Add(restarts, (target.Namespace, target.Pod), finding);
                    break;
                case RepairKind.GrantPrivilege when target.File is not null || target.Namespace is null:
                    skipped.Add((finding, $"privileges live on the cluster, not in a file; manual step: {finding.Remedy}"));
                    break;
                case RepairKind.GrantPrivilege:
                    Add(grants, (target.Namespace, target.ServiceAccount ?? "default"), finding);
                    break;
            }
        }
        return new RepairPlan
        {
            Grants = grants.Select(pair => new PrivilegeGrant(pair.Key.Item1, pair.Key.Item2, pair.Value)).ToList(),
            Workloads = workloads.Select(pair => new WorkloadRepair(pair.Key.Item1, pair.Key.Item2, pair.Key.Item3, pair.Key.Item4, pair.Key.Item5, pair.Value)).ToList(),
            Restarts = restarts.Select(pair => new PodRestart(pair.Key.Item1, pair.Key.Item2,
                pair.Value.First().Deployment, pair.Value)).ToList(),
            Skipped = skipped,
        };
    }

    private static void Add<TKey>(Dictionary<TKey, List<MountFinding>> into, TKey key, MountFinding finding) where TKey : notnull
    {
        if (!into.TryGetValue(key, out var list))
        {
            into[key] = list = [];
        }
        if (!list.Any(f => f.RuleId == finding.RuleId && f.Container == finding.Container && f.Mount == finding.Mount))
        {
            list.Add(finding);
        }
    }
}

public sealed record PrivilegeGrant(string Namespace, string ServiceAccount, IReadOnlyList<MountFinding> Findings);

// File is set for a manifest file (static findings), Namespace for a live workload.
public sealed record WorkloadRepair(string? Namespace, string Kind, string Name, string? File, int DocumentIndex, IReadOnlyList<MountFinding> Findings)
{
    public string Display => File is null ? $"{Kind.ToLowerInvariant()}/{Name} in {Namespace}" : $"{Kind.ToLowerInvariant()}/{Name} in {File}";
}

public sealed record PodRestart(string Namespace, string Pod, string? Deployment, IReadOnlyList<MountFinding> Findings);
