using System.Collections.Concurrent;
using System.Management.Automation;
using MediaStack.Core.Checks;
using MediaStack.Core.Checks.Notify;
using MediaStack.Core.Checks.Reports;
using MediaStack.Core.Cluster;
using MediaStack.Core.Config;
using MediaStack.Core.Errors;

namespace MediaStack.PowerShell.Commands;

// The unattended round for scheduled tasks: pods, mount test (deep by default), diagnosis of
// whatever fails, optional safe repairs, then reports, state and an alert on change. Emits
// ONE CheckSummary whose ExitCode a wrapper passes on:
//   pwsh -NoProfile -Command "trap { exit 3 }; Import-Module MediaStack; exit (Invoke-MediaStackCheck).ExitCode"
// Cluster and config failures do not stop the cmdlet: they become the summary's outcome
// (exit 2 or 3) and an error record, and are reported, kept and alerted like any result.
[Cmdlet(VerbsLifecycle.Invoke, "MediaStackCheck")]
[OutputType(typeof(CheckSummary))]
public sealed class InvokeMediaStackCheckCommand : CheckCommandBase
{
    private CheckNotifier? _notifier;

    protected override void EndProcessing()
    {
        var run = Run();
        var summary = run.Summary;
        foreach (var problem in summary.Problems)
        {
            WriteVerbose($"{problem.ErrorId}: {SecretText.Redact(problem.Message)}");
        }
        var statePath = FileSystemPathOrStop(StatePath) ?? CheckState.DefaultPath(summary.Context, summary.Cluster, summary.Namespace, summary.AllNamespaces);
        var previous = CheckState.Load(statePath, out var stateProblem);
        if (stateProblem is not null)
        {
            WriteWarning(stateProblem);
        }
        var (next, changes) = CheckState.Compare(previous, summary);
        summary.Changes = changes;
        foreach (var change in changes)
        {
            WriteVerbose($"Change since the last run: {SecretText.Redact(change.ToString())}");
        }
        Notify(summary, changes);
        WriteReports(summary);
        TryRun(() => CheckState.Save(statePath, next with { Last = CheckReport.ToJson(summary) }));
        WriteVerbose($"State kept in {statePath}.");
        foreach (var error in run.Errors)
        {
            WriteMediaStackError(error);
        }
        WriteObject(summary);
    }

    // The round, or the summary of why it could not run. Never throws for a cluster or
    // config problem: those are outcomes with exit codes.
    private CheckRun Run()
    {
        var started = DateTimeOffset.UtcNow;
        // Before a connection the state key comes from -Context and -Namespace, which a
        // registered check always passes.
        CheckRun Failed(MediaStackException error) => new(CheckSummary.Failed(error, Options(Namespace), null, Context, started), [error]);

        MediaStackConfigStore.LoadOrDefault(null, out var configProblem);
        if (configProblem is not null)
        {
            return Failed(configProblem);
        }
        try
        {
            _notifier = NotifyUri is null ? null : new CheckNotifier(NotifyUri, NotifyFormat);
        }
        catch (MediaStackException uriProblem)
        {
            return Failed(uriProblem);
        }
        if (TryConnect() is { } connectProblem)
        {
            return Failed(connectProblem);
        }
        var connection = Cluster;
        var cluster = SecretText.Redact(connection.Server);
        var options = Options(Namespace ?? connection.Namespace);
        WriteVerbose($"Checking {(AllNamespaces ? "all namespaces" : options.Namespace)}: deep read {(options.Deep ? "on" : "off")}, {TimeoutSec} s per pod, {ThrottleLimit} at once{(Repair ? $", repairs on (at most {MaxRepairs}{(GrantPrivilege ? ", privilege grants allowed" : "")})" : "")}.");
        var round = new CheckRound(connection.Client, new PodExec(connection.Client), StackConfig, options);
        using var updates = new BlockingCollection<string>();
        var task = Task.Run(() => round.RunAsync(cluster, connection.Context, updates.Add, CancellationToken));
        var record = new ProgressRecord(1, "Invoke-MediaStackCheck", "starting");
        while (!task.IsCompleted)
        {
            if (updates.TryTake(out var update, 250))
            {
                record.StatusDescription = update;
                WriteProgress(record);
            }
        }
        record.RecordType = ProgressRecordType.Completed;
        WriteProgress(record);
        try
        {
            return task.GetAwaiter().GetResult();
        }
        catch (OperationCanceledException)
        {
            throw new PipelineStoppedException();
        }
    }

    // One POST per run, only when something changed; a failure is a warning.
    private void Notify(CheckSummary summary, IReadOnlyList<CheckChange> changes)
    {
        if (_notifier is not { } notifier)
        {
            return;
        }
        if (changes.Count == 0)
        {
            WriteVerbose($"Nothing changed since the last run: no alert to {notifier.Display}.");
            return;
        }
        var alert = new CheckAlert(summary, changes);
        var failure = Await(notifier.SendAsync(alert, CancellationToken));
        summary.Notification = failure is null
            ? $"{alert.Event} alert sent to {notifier.Display}: {changes.Count} change(s)"
            : $"not sent: {failure}";
        if (failure is null)
        {
            WriteVerbose(summary.Notification);
        }
        else
        {
            WriteWarning(failure);
        }
    }

    private void WriteReports(CheckSummary summary)
    {
        foreach (var (path, write) in new (string?, Func<string, CheckSummary, string>)[]
        {
            (ReportPath, CheckReport.Write),
            (JUnitPath, JUnitReport.Write),
            (MetricsPath, PrometheusReport.Write),
        })
        {
            if (FileSystemPathOrStop(path) is { } file)
            {
                TryRun(() => WriteVerbose($"Wrote {write(file, summary)}."));
            }
        }
    }
}
