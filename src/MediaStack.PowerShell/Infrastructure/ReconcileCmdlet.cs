using System.Management.Automation;
using MediaStack.Core.Errors;
using MediaStack.Core.Reconcile;
using MediaStack.Core.Workloads;

namespace MediaStack.PowerShell.Infrastructure;

// Base of Add-RcloneSidecar, Remove-RcloneSidecar and Repair-MediaMount: the parameters they
// share and the one workflow they run through the Core reconciler for every target:
// prepare (read, plan, preflight) -> warnings and refusals -> ShouldProcess with the JSON
// patch or diff -> apply (privilege grant first when asked) -> wait for the rollout -> one
// ReconcileResult (or, with -PassThru, the workload as a MediaApp).
public abstract class ReconcileCmdlet : ClusterCmdlet
{
    private Reconciler? _reconciler;

    // Patch a live workload although ArgoCD manages it (self-heal reverts it unless git changes too).
    [Parameter]
    public SwitchParameter Force { get; set; }

    // Wait for each patched workload to roll out.
    [Parameter]
    public SwitchParameter Wait { get; set; }

    [Parameter]
    [ValidateRange(5, 3600)]
    public int TimeoutSec { get; set; } = 300;

    // Emit the changed workload as a MediaApp instead of the result.
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected abstract ReconcileOptions Options { get; }

    protected Reconciler Reconciler => _reconciler ??= new Reconciler(StackConfig, () => Cluster.Client);

    // The whole workflow for one target; false when nothing was changed (refused, declined,
    // up to date, skipped or failed). whyNotWait tells why a rollout cannot finish anyway.
    protected bool Reconcile(ReconcileTarget target, ChangeRequest request, Func<ReconcileResult, string?>? whyNotWait = null)
    {
        var what = target switch
        {
            ClusterTarget cluster => $"{cluster.ResourceKind.ToLowerInvariant()}/{cluster.Name} in namespace {cluster.Namespace}",
            FileTarget file => file.File,
            ObjectTarget app => $"MediaApp {app.App.Namespace}/{app.App.Name}",
            _ => target.ToString(),
        };
        // Prepare and apply report their failures per target; the question in between is
        // PowerShell's own (a refused prompt in a non-interactive session stays its error).
        PreparedChange? prepared = null;
        if (!Guard(what, target, () =>
            {
                prepared = Await(Reconciler.PrepareAsync(target, request, Options, CancellationToken));
            }))
        {
            return false;
        }
        foreach (var warning in prepared!.Warnings)
        {
            WriteWarning(warning);
        }
        if (prepared.Problems.Count > 0)
        {
            foreach (var problem in prepared.Problems)
            {
                WriteMediaStackError(problem);
            }
            WriteVerbose($"{prepared.Caption} was not changed: {prepared.Problems.Count} problem(s) to fix first.");
            return false;
        }
        if (prepared.Plan.Status != PlanStatus.Changed)
        {
            WriteVerbose($"{prepared.Caption}: {prepared.Plan.Status} ({prepared.Plan.Reason}).");
            Emit(Reconciler.Unchanged(prepared));
            return false;
        }
        var description = PreviewWanted ? prepared.Preview(SessionState.Path.CurrentFileSystemLocation.ProviderPath, Options) : $"{prepared.Caption} in {prepared.TargetDisplay}";
        var question = $"{prepared.Caption} in {prepared.TargetDisplay}?{Environment.NewLine}{prepared.ChangeList}";
        var allowed = prepared.NeedsGrant(Options)
            ? ShouldProcessHighImpact(description, $"{question}{Environment.NewLine}  and grant privileged to service account '{prepared.Privilege!.ServiceAccount}' ({prepared.Privilege.Fix})", prepared.Caption, Force)
            : ShouldProcess(description, question, prepared.Caption);
        if (!allowed)
        {
            return false;
        }
        ReconcileResult? result = null;
        if (!Guard(what, target, () =>
            {
                result = Await(Reconciler.ApplyAsync(prepared, Options, CancellationToken));
                if (result.PrivilegeGranted is { } granted)
                {
                    WriteVerbose(granted);
                }
                if (Wait && target is ClusterTarget && result.Status == ReconcileStatus.Changed)
                {
                    if (whyNotWait?.Invoke(result) is { } why)
                    {
                        WriteWarning($"{prepared.Caption}: not waiting for the rollout; it cannot finish while {why}");
                    }
                    else
                    {
                        result = WaitFor(result);
                    }
                }
            }))
        {
            return false;
        }
        Emit(result!);
        return result!.Status == ReconcileStatus.Changed;
    }

    // Runs one step for a target: a MediaStack failure is that target's error, a cluster
    // failure is mapped (terminating only when nothing else can work).
    private bool Guard(string what, ReconcileTarget target, Action step)
    {
        try
        {
            step();
            return true;
        }
        catch (MediaStackException exception)
        {
            WriteMediaStackError(exception);
        }
        catch (Exception exception) when (exception is not PipelineStoppedException)
        {
            ReportClusterError(exception, $"change {what}", (target as ClusterTarget)?.Name ?? what);
        }
        return false;
    }

    protected ReconcileResult WaitFor(ReconcileResult result)
    {
        var pods = WithProgress<IReadOnlyList<string>, RolloutProgress>($"Rollout of {result.Namespace}/{result.Name}",
            progress => Reconciler.WaitAsync(result, TimeSpan.FromSeconds(TimeoutSec), progress, CancellationToken),
            update => (update.Status, update.Desired == 0 ? 0 : Math.Min(100, 100 * update.Available / update.Desired)));
        return result with { Pods = pods };
    }

    protected void Emit(ReconcileResult result)
    {
        if (PassThru && result.App is { } app)
        {
            WriteObject(app);
            return;
        }
        if (!PassThru)
        {
            WriteObject(result);
        }
    }

    // The workload documents under a -Path, each as a target; one error per document that
    // cannot be read, and the same error wherever a path holds no workload.
    protected IEnumerable<FileTarget> FileTargets(string path, string? name, string? kind = null)
    {
        IReadOnlyList<ManifestDocument> documents = [];
        if (!TryRun(() => documents = ManifestScan.Documents(path, StackConfig.ReadLimits).ToList()))
        {
            yield break;
        }
        var matched = false;
        var broken = false;
        foreach (var template in documents.Where(document => document.IsTemplate))
        {
            WriteWarning($"{template.Source} is a Go template: render it first (helm template ... | Invoke-MountDiagnosis); it was not changed.");
        }
        foreach (var (document, _, error) in ManifestScan.Workloads(documents, StackConfig))
        {
            if (error is not null)
            {
                WriteMediaStackError(error);
                broken = true;
                continue;
            }
            if ((name is not null && document.Name != name) || (kind is not null && document.Kind != kind))
            {
                continue;
            }
            matched = true;
            yield return new FileTarget(document.Source, document.Index, document.Document!);
        }
        // A name asked for and not found is said even next to unreadable documents; without
        // a name, their errors already say why nothing was done.
        if (!matched && (name is not null || !broken))
        {
            WriteMediaStackError(name is null
                ? ManifestScan.NoWorkload(path)
                : new MediaStackException(ErrorIds.DeploymentNotFound, Core.Errors.ErrorCategory.ObjectNotFound,
                    $"No workload named '{name}' in '{path}'{(broken ? " among the documents that could be read" : "")}.", name,
                    "Check the name with Get-MediaApp -Path."));
        }
    }
}
