using System.Management.Automation;
using System.Text.Json;
using k8s;
using MediaStack.Core.Diagnosis.Model;
using MediaStack.Core.Errors;
using MediaStack.Core.Repair;
using MediaStack.Core.Sidecars.Reconcile;
using MediaStack.Core.Yaml.Editing;
using MediaStack.PowerShell.Infrastructure;

namespace MediaStack.PowerShell.Commands;

// Applies the fixes of Invoke-MountDiagnosis findings: privilege grants (-GrantPrivilege),
// then ONE spec change per Deployment through the sidecar planner (a guarded JSON patch, or
// an in-place edit of the manifest file for findings from -Path), then pod restarts for
// stale mounts. Findings without an automatic fix are passed over with the manual step.
[Cmdlet(VerbsDiagnostic.Repair, "MediaMount", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(RepairResult))]
public sealed class RepairMediaMountCommand : ClusterCmdlet
{
    private readonly List<MountFinding> _findings = [];

    [Parameter(Mandatory = true, ValueFromPipeline = true, Position = 0)]
    public MountFinding[]? InputObject { get; set; }

    // Bind the service account to the privileged SCC (OpenShift) or label the namespace
    // privileged (Pod Security), as `oc adm policy add-scc-to-user privileged -z SA` does.
    [Parameter]
    public SwitchParameter GrantPrivilege { get; set; }

    // Patch a Deployment that ArgoCD manages although self-heal will revert it.
    [Parameter]
    public SwitchParameter Force { get; set; }

    // Wait for each patched Deployment to roll out.
    [Parameter]
    public SwitchParameter Wait { get; set; }

    [Parameter]
    [ValidateRange(5, 3600)]
    public int TimeoutSec { get; set; } = 300;

    protected override void ProcessRecord() => _findings.AddRange(InputObject ?? []);

    protected override void EndProcessing()
    {
        var plan = RepairPlan.From(_findings);
        foreach (var (finding, reason) in plan.Skipped)
        {
            WriteVerbose($"{finding.Object} {finding.RuleId} {finding.RuleName}: {reason}");
        }
        var patched = new HashSet<(string?, string)>();
        foreach (var grant in plan.Grants)
        {
            RepairGrant(grant);
        }
        foreach (var repair in plan.Deployments)
        {
            if (repair.File is not null)
            {
                RepairFile(repair);
            }
            else if (RepairLive(repair))
            {
                patched.Add((repair.Namespace, repair.Name));
            }
        }
        foreach (var restart in plan.Restarts)
        {
            if (restart.Deployment is not null && patched.Contains((restart.Namespace, restart.Deployment)))
            {
                WriteVerbose($"pod/{restart.Pod}: not deleted, the rollout of deployment/{restart.Deployment} replaces it.");
                continue;
            }
            RestartPod(restart);
        }
    }

    private void RepairGrant(PrivilegeGrant grant)
    {
        var ids = grant.Findings.Select(f => f.RuleId).Distinct().ToList();
        var target = $"serviceaccount/{grant.ServiceAccount} in {grant.Namespace}";
        if (!GrantPrivilege)
        {
            WriteVerbose($"{target}: may not run privileged containers; pass -GrantPrivilege to grant it ({grant.Findings[0].Remedy}).");
            return;
        }
        try
        {
            var applier = new ClusterSidecarApplier(Cluster.Client);
            var check = Await(applier.CheckPrivilegeAsync(grant.Namespace, grant.ServiceAccount, CancellationToken));
            if (check.Allowed)
            {
                WriteObject(Result("GrantPrivilege", target, grant.Namespace, grant.ServiceAccount, RepairOutcome.UpToDate, [check.Evidence], ids));
                return;
            }
            if (!ShouldProcess(target, $"Grant the privileged SCC ({check.Fix})"))
            {
                WriteObject(Result("GrantPrivilege", target, grant.Namespace, grant.ServiceAccount, RepairOutcome.NotApplied, [check.Fix], ids));
                return;
            }
            var done = Await(applier.GrantPrivilegeAsync(check, CancellationToken));
            WriteObject(Result("GrantPrivilege", target, grant.Namespace, grant.ServiceAccount, RepairOutcome.Applied, [done], ids));
        }
        catch (Exception exception) when (exception is not PipelineStoppedException)
        {
            ReportClusterError(exception, $"grant the privileged SCC to {target}", grant.ServiceAccount);
        }
    }

    private void RepairFile(DeploymentRepair repair)
    {
        var ids = repair.Findings.Select(f => f.RuleId).Distinct().ToList();
        try
        {
            var (plan, edit) = SpecRepair.PlanFile(repair, Config);
            var changes = plan.Changes.Select(change => change.ToString()).ToList();
            if (plan.IsEmpty || !edit.Changed)
            {
                WriteObject(Result("EditFile", repair.Display, repair.Namespace, repair.Name, RepairOutcome.UpToDate, changes, ids));
                return;
            }
            if (!ShouldProcess(repair.Display, $"Edit {repair.File}:{Environment.NewLine}{edit.Diff(SessionState.Path.CurrentFileSystemLocation.ProviderPath)}"))
            {
                WriteObject(Result("EditFile", repair.Display, repair.Namespace, repair.Name, RepairOutcome.NotApplied, changes, ids));
                return;
            }
            ManifestFiles.EnsureWritable(edit.File);
            ManifestFiles.Write(edit);
            WriteObject(Result("EditFile", repair.Display, repair.Namespace, repair.Name, RepairOutcome.Applied, changes, ids));
        }
        catch (MediaStackException exception)
        {
            WriteMediaStackError(exception);
        }
    }

    // True when the Deployment was patched (its rollout replaces the pods).
    private bool RepairLive(DeploymentRepair repair)
    {
        var ids = repair.Findings.Select(f => f.RuleId).Distinct().ToList();
        try
        {
            var applier = new ClusterSidecarApplier(Cluster.Client);
            var deployment = Await(applier.ReadDeploymentAsync(repair.Namespace!, repair.Name, CancellationToken));
            var plan = SpecRepair.Plan(repair, deployment, Config);
            if (plan.IsEmpty)
            {
                WriteObject(Result("PatchDeployment", repair.Display, repair.Namespace, repair.Name, RepairOutcome.UpToDate, [], ids));
                return false;
            }
            var changes = plan.Changes.Select(change => change.ToString()).ToList();
            var (problems, _) = Await(applier.PreflightAsync(deployment, plan, Force, GrantPrivilege, CancellationToken));
            if (problems.Count > 0)
            {
                foreach (var problem in problems)
                {
                    WriteMediaStackError(problem);
                }
                return false;
            }
            var patch = JsonSerializer.Serialize(plan.ToJsonPatch(), new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
            if (!ShouldProcess(repair.Display, $"Patch ({string.Join("; ", changes)}):{Environment.NewLine}{patch}"))
            {
                WriteObject(Result("PatchDeployment", repair.Display, repair.Namespace, repair.Name, RepairOutcome.NotApplied, changes, ids));
                return false;
            }
            var (after, applied) = Await(applier.ApplyAsync(repair.Namespace!, repair.Name, plan, fresh => SpecRepair.Plan(repair, fresh, Config), CancellationToken));
            IReadOnlyList<string> pods = [];
            var blockers = RepairPlan.BlockersOf(_findings, repair.Namespace, repair.Name, GrantPrivilege);
            if (Wait && blockers.Count > 0)
            {
                WriteWarning($"{repair.Display}: not waiting for the rollout; it cannot finish while {string.Join(", ", blockers.Select(b => $"{b.RuleId} ({b.Message})"))}");
            }
            else if (Wait && !applied.IsEmpty)
            {
                var generation = after["metadata"]?["generation"]?.GetValue<long>() ?? 0;
                pods = WaitForRollout(repair.Namespace!, repair.Name, generation, TimeoutSec);
            }
            WriteObject(new RepairResult
            {
                Action = "PatchDeployment",
                Target = repair.Display,
                Namespace = repair.Namespace,
                Name = repair.Name,
                Outcome = applied.IsEmpty ? RepairOutcome.UpToDate : RepairOutcome.Applied,
                Changes = applied.Changes.Select(change => change.ToString()).ToList(),
                RuleIds = ids,
                NewPods = pods,
            });
            return !applied.IsEmpty;
        }
        catch (MediaStackException exception)
        {
            WriteMediaStackError(exception);
            return false;
        }
        catch (Exception exception) when (exception is not PipelineStoppedException)
        {
            ReportClusterError(exception, $"repair {repair.Display}", repair.Name);
            return false;
        }
    }

    // A stale FUSE mount only goes away with the mount namespace: a fresh pod.
    private void RestartPod(PodRestart restart)
    {
        var ids = restart.Findings.Select(f => f.RuleId).Distinct().ToList();
        var target = $"pod/{restart.Pod} in {restart.Namespace}";
        if (!ShouldProcess(target, "Delete the pod so its controller starts a fresh one (clears the stale mount)"))
        {
            WriteObject(Result("RestartPod", target, restart.Namespace, restart.Pod, RepairOutcome.NotApplied, ["delete pod"], ids));
            return;
        }
        try
        {
            Await(Cluster.Client.CoreV1.DeleteNamespacedPodAsync(restart.Pod, restart.Namespace, cancellationToken: CancellationToken));
            WriteObject(Result("RestartPod", target, restart.Namespace, restart.Pod, RepairOutcome.Applied, ["deleted pod"], ids));
        }
        catch (Exception exception) when (exception is not PipelineStoppedException)
        {
            ReportClusterError(exception, $"delete {target}", restart.Pod);
        }
    }

    private static RepairResult Result(string action, string target, string? @namespace, string name, RepairOutcome outcome, IReadOnlyList<string> changes, IReadOnlyList<string> ids) =>
        new() { Action = action, Target = target, Namespace = @namespace, Name = name, Outcome = outcome, Changes = changes, RuleIds = ids };
}
