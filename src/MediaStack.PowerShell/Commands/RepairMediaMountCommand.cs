using System.Management.Automation;
using MediaStack.Core.Diagnosis.Model;
using MediaStack.Core.Reconcile;
using MediaStack.Core.Repair;
using MediaStack.PowerShell.Infrastructure;

namespace MediaStack.PowerShell.Commands;

// Applies the fixes of Invoke-MountDiagnosis findings and nothing else: privilege grants
// (-GrantPrivilege), then ONE change per workload through the reconciler (a guarded JSON
// patch, or an in-place edit of the manifest file for findings from -Path), then pod
// restarts for stale mounts. Findings without an automatic fix are passed over with the
// manual step. Granting privileges and deleting pods are High impact: they ask at the
// default $ConfirmPreference.
[Cmdlet(VerbsDiagnostic.Repair, "MediaMount", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(ReconcileResult))]
public sealed class RepairMediaMountCommand : ReconcileCmdlet
{
    private readonly List<MountFinding> _findings = [];

    [Parameter(Mandatory = true, ValueFromPipeline = true, Position = 0)]
    public MountFinding[]? InputObject { get; set; }

    // Bind the service account to the privileged SCC (OpenShift) or label the namespace
    // privileged (Pod Security), as `oc adm policy add-scc-to-user privileged -z SA` does.
    [Parameter]
    public SwitchParameter GrantPrivilege { get; set; }

    protected override ReconcileOptions Options => new() { Force = Force, GrantPrivilege = GrantPrivilege };

    protected override void ProcessRecord() => _findings.AddRange(InputObject ?? []);

    protected override void EndProcessing()
    {
        var plan = RepairPlan.From(_findings);
        foreach (var (finding, reason) in plan.Skipped)
        {
            WriteVerbose($"{finding.Object} {finding.RuleId} {finding.RuleName}: {reason}");
        }
        foreach (var grant in plan.Grants)
        {
            Grant(grant);
        }
        var changed = new HashSet<(string?, string)>();
        foreach (var repair in plan.Workloads)
        {
            var request = new ChangeRequest { Action = ChangeAction.Repair, Findings = repair.Findings };
            if (repair.File is not null)
            {
                foreach (var target in FileTargets(repair.File, repair.Name, repair.Kind).Where(target => target.DocumentIndex == repair.DocumentIndex))
                {
                    Reconcile(target, request);
                }
            }
            else if (Reconcile(new ClusterTarget(repair.Namespace!, repair.Kind, repair.Name), request, result => WhyNotWait(repair)))
            {
                changed.Add((repair.Namespace, repair.Name));
            }
        }
        foreach (var restart in plan.Restarts)
        {
            if (restart.Deployment is not null && changed.Contains((restart.Namespace, restart.Deployment)))
            {
                WriteVerbose($"pod/{restart.Pod}: not deleted, the rollout of {restart.Deployment} replaces it.");
                continue;
            }
            Restart(restart);
        }
    }

    // A rollout cannot finish while a problem no repair here can fix stands.
    private string? WhyNotWait(WorkloadRepair repair)
    {
        var blockers = RepairPlan.BlockersOf(_findings, repair.Namespace, repair.Name, GrantPrivilege);
        return blockers.Count == 0 ? null : string.Join(", ", blockers.Select(b => $"{b.RuleId} ({b.Message})"));
    }

    private void Grant(PrivilegeGrant grant)
    {
        var target = $"serviceaccount/{grant.ServiceAccount} in {grant.Namespace}";
        if (!GrantPrivilege)
        {
            WriteVerbose($"{target}: may not run privileged containers; pass -GrantPrivilege to grant it ({grant.Findings[0].Remedy}).");
            return;
        }
        try
        {
            var check = Await(Reconciler.GrantAsync(grant, apply: false, CancellationToken));
            if (check.Status == ReconcileStatus.UpToDate)
            {
                Emit(check);
                return;
            }
            if (!ShouldProcessHighImpact($"Grant the privileged SCC to {target} ({check.Reason})", $"Grant privileged containers to {target}?{Environment.NewLine}  {check.Reason}", "Grant privilege", Force))
            {
                return;
            }
            Emit(Await(Reconciler.GrantAsync(grant, apply: true, CancellationToken)));
        }
        catch (Exception exception) when (exception is not PipelineStoppedException)
        {
            ReportClusterError(exception, $"grant the privileged SCC to {target}", grant.ServiceAccount);
        }
    }

    // A stale FUSE mount only goes away with the mount namespace: a fresh pod.
    private void Restart(PodRestart restart)
    {
        var target = $"pod/{restart.Pod} in {restart.Namespace}";
        if (!ShouldProcessHighImpact($"Delete {target} so its controller starts a fresh one (clears the stale mount)", $"Delete {target}?", "Restart pod", Force))
        {
            return;
        }
        try
        {
            Emit(Await(Reconciler.RestartAsync(restart, CancellationToken)));
        }
        catch (Exception exception) when (exception is not PipelineStoppedException)
        {
            ReportClusterError(exception, $"delete {target}", restart.Pod);
        }
    }
}
