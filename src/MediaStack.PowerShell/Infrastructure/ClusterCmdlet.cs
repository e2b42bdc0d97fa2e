using System.Collections.Concurrent;
using System.Management.Automation;
using MediaStack.Core.Cluster;
using MediaStack.Core.Config;
using MediaStack.Core.Errors;
using MediaStack.Core.Sidecars.Reconcile;
using MediaStack.PowerShell.Completers;

namespace MediaStack.PowerShell.Infrastructure;

// Base of every cmdlet that talks to the cluster: -KubeConfig, -Context and -Namespace with
// completers, and one API client per invocation, created on first use and shared by every
// request and exec of that invocation.
public abstract class ClusterCmdlet : MediaStackCmdlet, IDisposable
{
    private ClusterConnection? _connection;
    private MediaStackConfig? _config;

    // Default: $env:KUBECONFIG, else ~/.kube/config; inside a pod, its service account.
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? KubeConfig { get; set; }

    // Default: the kubeconfig's current context.
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ContextCompleter))]
    public string? Context { get; set; }

    // Default: the context's namespace, else the stack config's (media-stack).
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(NamespaceCompleter))]
    public string? Namespace { get; set; }

    // The stack conventions (mounts, thresholds); an unusable saved config is reported once
    // and the defaults are used.
    protected MediaStackConfig Config => _config ??= LoadStackConfig();

    // Opens the connection on first use; a missing or broken kubeconfig or an unknown
    // context stops the cmdlet.
    protected ClusterConnection Cluster
    {
        get
        {
            if (_connection is null)
            {
                var path = KubeConfig is null ? null : SessionState.Path.GetUnresolvedProviderPathFromPSPath(KubeConfig);
                var files = KubeConfigSource.ExistingPaths(path);
                WriteVerbose(files.Count > 0
                    ? $"Kubeconfig: {string.Join(", ", files)}."
                    : $"Kubeconfig: none of {string.Join(", ", KubeConfigSource.CandidatePaths(path))} exists; trying the pod's service account.");
                try
                {
                    _connection = ClusterConnection.Open(new ClusterOptions(path, Context, Namespace, Config.Namespace));
                }
                catch (MediaStackException exception)
                {
                    ThrowMediaStackError(exception);
                }
                WriteVerbose($"Cluster {_connection!.Server} (context {_connection.Context ?? "in-cluster"}), namespace {_connection.Namespace}.");
            }
            return _connection;
        }
    }

    // The namespace to work in: -Namespace, else the context's, else the config's.
    protected string TargetNamespace => Namespace ?? Cluster.Namespace;

    // Reports a cluster failure: terminating when nothing else can work (401, TLS,
    // unreachable), else one error for this object and the pipeline goes on.
    protected void ReportClusterError(Exception exception, string action, object? target)
    {
        if (exception is PipelineStoppedException or OperationCanceledException)
        {
            throw exception is OperationCanceledException ? new PipelineStoppedException() : exception;
        }
        var error = ClusterErrors.Map(exception, action, target, _connection?.Server);
        if (ClusterErrors.IsTerminating(error))
        {
            ThrowMediaStackError(error);
        }
        WriteMediaStackError(error);
    }

    // Runs an async Core call on the pipeline thread; Ctrl+C cancels it at once.
    protected T Await<T>(Task<T> task) => task.GetAwaiter().GetResult();

    // Waits for a Deployment's rollout and returns its new pods. The waiter runs off the
    // pipeline thread; its progress comes back through a queue drained here, where
    // Write-Progress is allowed.
    protected IReadOnlyList<string> WaitForRollout(string @namespace, string name, long generation, int timeoutSec)
    {
        using var updates = new BlockingCollection<RolloutProgress>();
        var waiter = new RolloutWaiter(Cluster.Client);
        var task = Task.Run(() => waiter.WaitAsync(@namespace, name, generation, TimeSpan.FromSeconds(timeoutSec), updates.Add, CancellationToken));
        var record = new ProgressRecord(1, $"Rollout of {@namespace}/{name}", "starting");
        while (!task.IsCompleted)
        {
            if (updates.TryTake(out var update, 250))
            {
                record.StatusDescription = update.Status;
                record.PercentComplete = update.Desired == 0 ? 0 : Math.Min(100, 100 * update.Available / update.Desired);
                WriteProgress(record);
            }
        }
        record.RecordType = ProgressRecordType.Completed;
        WriteProgress(record);
        return task.GetAwaiter().GetResult();
    }

    public new void Dispose()
    {
        _connection?.Dispose();
        _connection = null;
        base.Dispose();
    }
}
