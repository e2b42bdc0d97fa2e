using System.Management.Automation;
using MediaStack.Core.Cluster;
using MediaStack.Core.Errors;
using ErrorCategory = MediaStack.Core.Errors.ErrorCategory;
using MediaStack.Core.Pods;
using MediaStack.Core.Probes;
using MediaStack.Core.Workloads;
using MediaStack.PowerShell.Completers;
using MediaStack.PowerShell.Infrastructure;

namespace MediaStack.PowerShell.Commands;

// Checks every mount each pod's app expects, as the APP container sees it (the workload model
// says which mounts and what serves them), with one exec per pod, in parallel, each bounded
// by -TimeoutSec. A mount nothing serves is NOSIDECAR, a pod that cannot run its app is
// NOTREADY (STARTING within the grace period); only workloads that expect no mounts and pods
// that are terminating or completed are SKIP. A media app whose workload has no pod at all
// (refused at admission, say) is one report named kind/name, NOTREADY. Emits one
// PodMountReport per pod (its Mounts hold a MountStatus per mount), or with -Quiet one bool
// for the whole run.
[Cmdlet(VerbsDiagnostic.Test, "MediaMount", DefaultParameterSetName = NamespaceSet)]
[OutputType(typeof(PodMountReport), ParameterSetName = [NamespaceSet, InputObjectSet])]
[OutputType(typeof(bool))]
public sealed class TestMediaMountCommand : ClusterCmdlet
{
    private const string NamespaceSet = "Namespace";
    private const string InputObjectSet = "InputObject";

    private const string AllMountsTypeName = "MediaStack.Core.Probes.PodMountReport#AllMounts";
    private static readonly string[] DefaultViewMounts = ["torbox", "zurg"];

    private MountCheckRunner? _runner;
    private MountCheckOptions? _options;
    private readonly HashSet<string> _seenMounts = new(StringComparer.OrdinalIgnoreCase);
    private bool _healthy = true;
    private int _done;

    // MediaPod or MediaApp objects (live or deserialized), pod names, or any object with a
    // Name (and Namespace) property.
    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = InputObjectSet)]
    public PSObject[]? InputObject { get; set; }

    [Parameter(Position = 0, ParameterSetName = NamespaceSet)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(PodNameCompleter))]
    public string[]? Name { get; set; }

    // Only these mounts (by name); default: every mount each app expects.
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(MountNameCompleter))]
    public string[]? Mount { get; set; }

    [Parameter]
    [ValidateRange(1, 256)]
    public int ThrottleLimit { get; set; } = MountCheckOptions.DefaultThrottleLimit;

    [Parameter]
    [ValidateRange(2, 3600)]
    public int TimeoutSec { get; set; } = MountCheckOptions.DefaultTimeoutSec;

    // Counting stops here; a larger directory shows as "OK (100000+)".
    [Parameter]
    [ValidateRange(1, 10_000_000)]
    public int MaxEntries { get; set; } = MountCheckOptions.DefaultMaxEntries;

    [Parameter]
    public SwitchParameter Quiet { get; set; }

    protected override void BeginProcessing()
    {
        var exec = new PodExec(Cluster.Client);
        _options = new MountCheckOptions(ThrottleLimit, TimeoutSec, MaxEntries) { Mounts = Mount, StartupGraceSec = StackConfig.StartupGraceSec };
        _runner = new MountCheckRunner(exec, _options, CancellationToken);
        WriteVerbose($"Checking {(Mount is null ? "every mount each app expects" : string.Join(", ", Mount))}; {ThrottleLimit} pods at once, {TimeoutSec} s per pod; pods not running after {StackConfig.StartupGraceSec} s are NOTREADY.");
    }

    protected override void ProcessRecord()
    {
        if (ParameterSetName == InputObjectSet)
        {
            foreach (var input in InputObject ?? [])
            {
                CheckInput(PipelineObject.Of(input));
            }
        }
        else
        {
            var owners = new HashSet<(string Namespace, string? Kind, string? Name)>();
            foreach (var pod in FindPods(TargetNamespace, Name))
            {
                owners.Add((pod.Namespace, pod.OwnerKind, pod.App));
                Add(pod);
            }
            // The whole namespace: a media app with no pod at all is failing, not absent.
            if (Name is null && !PodListFailed)
            {
                foreach (var resource in ListWorkloads(TargetNamespace))
                {
                    Workload? workload = null;
                    if (TryRun(() => workload = Workload.From(resource, StackConfig))
                        && !owners.Contains((workload!.Namespace ?? TargetNamespace, workload.ResourceKind, workload.Name)))
                    {
                        AddPodless(workload);
                    }
                }
            }
        }
        Drain(wait: false);
    }

    private void CheckInput(PipelineObject input)
    {
        if (Resolve(input) is not { } target)
        {
            _healthy = false;
            return;
        }
        foreach (var pod in target.Pods)
        {
            Add(pod);
        }
        if (target is { App: { } app, Pods.Count: 0 } && !PodListFailed)
        {
            AddPodless(app.Workload);
        }
    }

    private void AddPodless(Workload workload)
    {
        if (MountGrader.WithoutPods(workload, Mount, _options!, DateTime.UtcNow) is not { } report)
        {
            return;
        }
        foreach (var mount in report.Mounts)
        {
            _seenMounts.Add(mount.Mount);
        }
        WriteReport(report);
    }

    protected override void EndProcessing()
    {
        _runner!.Complete();
        Drain(wait: true);
        WriteProgress(new ProgressRecord(1, "Test-MediaMount", "Done") { RecordType = ProgressRecordType.Completed });
        foreach (var unknown in (Mount ?? []).Where(name => !_seenMounts.Contains(name)))
        {
            WriteMediaStackError(new MediaStackException(ErrorIds.UnknownMount, ErrorCategory.InvalidArgument,
                $"No pod checked has a mount named '{unknown}'; the configured mounts are {string.Join(", ", StackConfig.Mounts.Select(mount => mount.Name))}.",
                unknown, "Use a mount name from Get-MediaStackConfig, or from (Get-MediaPod).ExpectedMounts."));
        }
        if (Quiet)
        {
            WriteObject(_healthy && MissingPods == 0);
        }
    }

    private void Add(MediaPod pod)
    {
        foreach (var mount in pod.ExpectedMounts)
        {
            _seenMounts.Add(mount.Name);
        }
        _runner!.Add(pod);
    }

    // Writes finished pods on the pipeline thread; with wait, until the last one is in.
    private void Drain(bool wait)
    {
        var results = _runner!.Results;
        while (true)
        {
            while (results.TryRead(out var result))
            {
                Write(result);
            }
            if (!wait || results.Completion.IsCompleted)
            {
                return;
            }
            try
            {
                if (!results.WaitToReadAsync(CancellationToken).AsTask().GetAwaiter().GetResult())
                {
                    return;
                }
            }
            catch (OperationCanceledException)
            {
                throw new PipelineStoppedException();
            }
        }
    }

    private void Write(MountCheckResult result)
    {
        _done++;
        var total = Math.Max(_runner!.Started, _done);
        WriteProgress(new ProgressRecord(1, "Test-MediaMount", $"{_done} of {total} pods checked")
        {
            PercentComplete = Math.Min(100, _done * 100 / total),
            CurrentOperation = $"{result.Report.Namespace}/{result.Report.Name}: {result.Report.Summary}",
        });
        if (result.Error is not null)
        {
            if (ClusterErrors.IsTerminating(result.Error))
            {
                ThrowMediaStackError(result.Error);
            }
            WriteMediaStackError(result.Error);
        }
        WriteReport(result.Report);
    }

    private void WriteReport(PodMountReport report)
    {
        WriteVerbose($"{report.Namespace}/{report.Name} ({report.Container}, {report.DurationMs} ms): {string.Join("; ", report.Mounts.Select(mount => $"{mount.Mount} {mount.Status}: {mount.Reason}"))}");
        _healthy &= report.IsHealthy;
        if (!Quiet)
        {
            WriteObject(WithMountColumns(report));
        }
    }

    // The mount table shows one column per mount; a format view cannot compute, so each
    // mount's MountStatus becomes a property named after the mount ($report.zurg.Status),
    // shown in the table as "OK (25000)".
    private PSObject WithMountColumns(PodMountReport report)
    {
        var wrapped = PSObject.AsPSObject(report);
        // The default view has ZURG and TORBOX columns; a pod with any other mount, or a run
        // narrowed with -Mount, gets the view that lists every mount in one column.
        if (Mount is not null || report.Mounts.Any(mount => !DefaultViewMounts.Contains(mount.Mount)))
        {
            wrapped.TypeNames.Insert(0, AllMountsTypeName);
        }
        foreach (var mount in report.Mounts)
        {
            if (wrapped.Properties[mount.Mount] is null)
            {
                wrapped.Properties.Add(new PSNoteProperty(mount.Mount, mount));
            }
        }
        return wrapped;
    }
}
