using System.Management.Automation;
using MediaStack.Core.Cluster;
using MediaStack.Core.Errors;
using ErrorCategory = MediaStack.Core.Errors.ErrorCategory;
using MediaStack.Core.Pods;
using MediaStack.Core.Probes;
using MediaStack.PowerShell.Completers;
using MediaStack.PowerShell.Infrastructure;

namespace MediaStack.PowerShell.Commands;

// Checks every configured rclone mount as each pod's APP container sees it, with one exec
// per pod, in parallel, each bounded by -TimeoutSec. Emits one PodMountReport per pod (its
// Mounts hold a MountStatus per mount), or with -Quiet one bool for the whole run.
[Cmdlet(VerbsDiagnostic.Test, "MediaMount", DefaultParameterSetName = NamespaceSet)]
[OutputType(typeof(PodMountReport), ParameterSetName = [NamespaceSet, PodSet])]
[OutputType(typeof(bool))]
public sealed class TestMediaMountCommand : ClusterCmdlet
{
    private const string NamespaceSet = "Namespace";
    private const string PodSet = "Pod";

    private const string AllMountsTypeName = "MediaStack.Core.Probes.PodMountReport#AllMounts";
    private static readonly string[] DefaultViewMounts = ["torbox", "zurg"];

    private MountCheckRunner? _runner;
    private IReadOnlyList<MountProbeTarget> _mounts = [];
    private bool _healthy = true;
    private int _done;

    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = PodSet)]
    public MediaPod[]? InputObject { get; set; }

    [Parameter(Position = 0, ParameterSetName = NamespaceSet)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(PodNameCompleter))]
    public string[]? Name { get; set; }

    // Only these mounts (by name from the stack config); default all.
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(MountCompleter))]
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
        var configured = Config.Mounts.Select(MountProbeTarget.From).ToList();
        if (Mount is not null)
        {
            var unknown = Mount.Where(name => configured.All(mount => !string.Equals(mount.Name, name, StringComparison.OrdinalIgnoreCase))).ToList();
            if (unknown.Count > 0)
            {
                ThrowMediaStackError(new MediaStackException(
                    ErrorIds.UnknownMount, ErrorCategory.InvalidArgument,
                    $"Unknown mount {string.Join(", ", unknown)}; the stack config has {string.Join(", ", configured.Select(mount => mount.Name))}.",
                    unknown[0], "Use Get-MediaStackConfig to see the configured mounts."));
            }
            configured = configured.Where(mount => Mount.Contains(mount.Name, StringComparer.OrdinalIgnoreCase)).ToList();
        }
        _mounts = configured;
        var exec = new PodExec(Cluster.Client);
        _runner = new MountCheckRunner(exec, _mounts, new MountCheckOptions(ThrottleLimit, TimeoutSec, MaxEntries), CancellationToken);
        WriteVerbose($"Checking {string.Join(", ", _mounts.Select(mount => $"{mount.Name} ({mount.ProbeFullPath})"))}; {ThrottleLimit} pods at once, {TimeoutSec} s per pod.");
    }

    protected override void ProcessRecord()
    {
        if (ParameterSetName == PodSet)
        {
            foreach (var pod in InputObject ?? [])
            {
                _runner!.Add(pod);
            }
        }
        else
        {
            AddPodsOfNamespace();
        }
        Drain(wait: false);
    }

    protected override void EndProcessing()
    {
        _runner!.Complete();
        Drain(wait: true);
        WriteProgress(new ProgressRecord(1, "Test-MediaMount", "Done") { RecordType = ProgressRecordType.Completed });
        if (Quiet)
        {
            WriteObject(_healthy);
        }
    }

    private void AddPodsOfNamespace()
    {
        var patterns = (Name ?? ["*"]).Select(name => WildcardPattern.Get(name, WildcardOptions.IgnoreCase)).ToList();
        var literals = (Name ?? []).Where(name => !WildcardPattern.ContainsWildcardCharacters(name)).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var @namespace = TargetNamespace;
        var now = DateTime.UtcNow;
        try
        {
            var pods = PagedList.PodsAsync(Cluster.Client, @namespace, ct: CancellationToken).GetAsyncEnumerator(CancellationToken);
            try
            {
                while (pods.MoveNextAsync().AsTask().GetAwaiter().GetResult())
                {
                    var name = pods.Current.Metadata?.Name ?? "";
                    if (patterns.Any(pattern => pattern.IsMatch(name)))
                    {
                        literals.Remove(name);
                        _runner!.Add(MediaPodFactory.FromPod(pods.Current, now));
                    }
                }
            }
            finally
            {
                pods.DisposeAsync().AsTask().GetAwaiter().GetResult();
            }
        }
        catch (Exception exception) when (exception is not PipelineStoppedException)
        {
            ReportClusterError(exception, $"list pods in namespace {@namespace}", @namespace);
        }
        foreach (var missing in literals)
        {
            _healthy = false;
            WriteMediaStackError(new MediaStackException(
                ErrorIds.ClusterObjectNotFound, ErrorCategory.ObjectNotFound,
                $"No pod named '{missing}' in namespace {@namespace}.", missing,
                "List the pods with Get-MediaPod."));
        }
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
        WriteVerbose($"{result.Report.Namespace}/{result.Report.Name} ({result.Report.Container}, {result.Report.DurationMs} ms): {string.Join("; ", result.Report.Mounts.Select(mount => $"{mount.Mount} {mount.Status}: {mount.Reason}"))}");
        _healthy &= result.Report.IsHealthy;
        if (!Quiet)
        {
            WriteObject(WithMountColumns(result.Report));
        }
    }

    // The mount table shows one column per mount; a format view cannot compute, so each
    // mount's MountStatus becomes a property named after the mount ($report.zurg.Status),
    // shown in the table as "OK (25000)".
    private static PSObject WithMountColumns(PodMountReport report)
    {
        var wrapped = PSObject.AsPSObject(report);
        // The default view has ZURG and TORBOX columns; any other set of mounts gets the view
        // that lists every mount in one column.
        if (!report.Mounts.Select(mount => mount.Mount).Order(StringComparer.Ordinal).SequenceEqual(DefaultViewMounts))
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
