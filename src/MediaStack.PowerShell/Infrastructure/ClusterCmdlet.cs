using System.Collections.Concurrent;
using System.Management.Automation;
using System.Text.Json.Nodes;
using MediaStack.Core.Apps;
using MediaStack.Core.Cluster;
using MediaStack.Core.Config;
using MediaStack.Core.Errors;
using MediaStack.Core.Manifests;
using MediaStack.Core.Pods;
using MediaStack.Core.Reconcile;
using MediaStack.PowerShell.Completers;

namespace MediaStack.PowerShell.Infrastructure;

// Base of every cmdlet that talks to the cluster: -KubeConfig, -Context and -Namespace with
// completers, and one API client per invocation, created on first use and shared by every
// request and exec of that invocation.
public abstract class ClusterCmdlet : MediaStackCmdlet, IDisposable
{
    private ClusterConnection? _connection;

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

    // Opens the connection on first use; a missing or broken kubeconfig or an unknown
    // context stops the cmdlet.
    protected ClusterConnection Cluster
    {
        get
        {
            if (_connection is null)
            {
                try
                {
                    var path = KubeConfig is null ? null : FileSystemPath(KubeConfig);
                    _connection = ClusterConnection.Open(new ClusterOptions(path, Context, Namespace, StackConfig.Namespace));
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

    // The pods (and app) a piped object stands for: a pod as it is; a pod name listed; a live
    // app with the pods its selector finds; any other app (read from a file, deserialized, or
    // named kind/name) read again from the cluster first. Null, with one error written, when
    // it stands for nothing that can be found.
    internal PipelineTarget? Resolve(PipelineObject input)
    {
        switch (input)
        {
            case PipelineObject.Pod pod:
                return new PipelineTarget(null, [pod.Value]);
            case PipelineObject.PodName pod:
                return new PipelineTarget(null, FindPods(pod.Namespace ?? TargetNamespace, [pod.Name]).ToList());
            case PipelineObject.App { Value.Source: MediaAppReader.ClusterSource } app:
                return new PipelineTarget(app.Value, AppPods(app.Value));
            case PipelineObject.App app:
                return LiveApp(app.Value.Namespace, app.Value.ResourceKind, app.Value.Name);
            case PipelineObject.AppName app:
                return LiveApp(app.Namespace ?? TargetNamespace, app.ResourceKind, app.Name);
            default:
                var value = (input as PipelineObject.Unknown)?.Value;
                WriteMediaStackError(new MediaStackException(ErrorIds.InvalidInputObject, Core.Errors.ErrorCategory.InvalidArgument,
                    $"Cannot tell which pod or app '{value}' stands for: it is not a MediaPod, a MediaApp, a pod name or an object with a Name property.",
                    value, "Pipe Get-MediaApp or Get-MediaPod output, or pod names."));
                return null;
        }
    }

    private PipelineTarget? LiveApp(string @namespace, string kind, string name)
    {
        if (kind == "Pod")
        {
            // A bare pod is its own app.
            return new PipelineTarget(null, FindPods(@namespace, [name]).ToList());
        }
        JsonObject? resource = null;
        try
        {
            resource = Await(new ClusterWriter(Cluster.Client).ReadAsync(@namespace, kind, name, CancellationToken));
        }
        catch (MediaStackException exception)
        {
            WriteMediaStackError(exception);
            return null;
        }
        catch (Exception exception) when (exception is not PipelineStoppedException)
        {
            ReportClusterError(exception, $"read {kind.ToLowerInvariant()}/{name}", name);
            return null;
        }
        MediaApp? app = null;
        return TryRun(() => app = MediaAppReader.FromResource(resource, StackConfig, MediaAppReader.ClusterSource).App)
            ? new PipelineTarget(app, AppPods(app!))
            : null;
    }

    private IReadOnlyList<MediaPod> AppPods(MediaApp app) =>
        (app.Selector is { } selector ? FindPods(app.Namespace, null, selector) : FindPods(app.Namespace, [app.Name])).ToList();

    // The workloads of a namespace (null: every namespace), of the kinds named (null: all),
    // streamed on the pipeline thread; a failed list is one error (Failed is then true)
    // and ends the listing.
    protected IEnumerable<JsonObject> ListWorkloads(string? @namespace, IReadOnlyCollection<string>? kinds = null)
    {
        var items = PagedList.AllAppsAsync(Cluster.Client, @namespace, kinds, CancellationToken).GetAsyncEnumerator(CancellationToken);
        try
        {
            while (true)
            {
                try
                {
                    if (!items.MoveNextAsync().AsTask().GetAwaiter().GetResult())
                    {
                        yield break;
                    }
                }
                catch (Exception exception) when (exception is not PipelineStoppedException)
                {
                    WorkloadListFailed = true;
                    ReportClusterError(exception, $"list workloads in {Where(@namespace)}", @namespace);
                    yield break;
                }
                yield return items.Current;
            }
        }
        finally
        {
            items.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    // A ListWorkloads call could not finish: what it did not list is unknown, not absent.
    protected bool WorkloadListFailed { get; private set; }

    // Runs an async Core call on the pipeline thread; Ctrl+C cancels it at once.
    protected T Await<T>(Task<T> task) => task.GetAwaiter().GetResult();

    // Pods of a namespace (null: every namespace) by name patterns and a label selector, as
    // MediaPods, streamed as the pages come; each literal name that matches no pod is one
    // ObjectNotFound error at the end. Every pod cmdlet lists pods through here.
    protected IEnumerable<MediaPod> FindPods(string? @namespace, IReadOnlyList<string>? names, string? selector = null, Func<MediaPod, bool>? filter = null, string? what = null)
    {
        var patterns = (names is { Count: > 0 } ? names : ["*"]).Select(NamePattern).ToList();
        var missing = (names ?? []).Where(name => !WildcardPattern.ContainsWildcardCharacters(name)).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var now = DateTime.UtcNow;
        var pods = PagedList.PodsAsync(Cluster.Client, @namespace, labelSelector: selector, ct: CancellationToken).GetAsyncEnumerator(CancellationToken);
        try
        {
            while (true)
            {
                MediaPod? pod = null;
                try
                {
                    if (!pods.MoveNextAsync().AsTask().GetAwaiter().GetResult())
                    {
                        break;
                    }
                    var name = pods.Current.Metadata?.Name ?? "";
                    if (patterns.Any(pattern => pattern.IsMatch(name)))
                    {
                        pod = MediaPodFactory.FromPod(pods.Current, StackConfig, now);
                    }
                }
                catch (Exception exception) when (exception is not PipelineStoppedException and not MediaStackException)
                {
                    PodListFailed = true;
                    ReportClusterError(exception, $"list pods in {Where(@namespace)}", @namespace);
                    missing.Clear();
                    break;
                }
                if (pod is not null && (filter is null || filter(pod)))
                {
                    missing.Remove(pod.Name);
                    yield return pod;
                }
            }
        }
        finally
        {
            pods.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
        foreach (var name in missing)
        {
            MissingPods++;
            WriteMediaStackError(new MediaStackException(ErrorIds.ClusterObjectNotFound, Core.Errors.ErrorCategory.ObjectNotFound,
                $"No pod named '{name}'{what} in {Where(@namespace)}.", name,
                "List the pods with Get-MediaPod (add -AllNamespaces to look everywhere)."));
        }
    }

    // How many literal pod names FindPods found no pod for.
    protected int MissingPods { get; private set; }

    // A FindPods listing could not finish: the pods it did not list are unknown, not absent.
    protected bool PodListFailed { get; private set; }

    private static string Where(string? @namespace) => @namespace is null ? "any namespace" : $"namespace {@namespace}";

    // Runs a long Core call off the pipeline thread and drains its progress reports here,
    // where Write-Progress is allowed.
    protected T WithProgress<T, TProgress>(string activity, Func<Action<TProgress>, Task<T>> work, Func<TProgress, (string Status, int Percent)> describe)
    {
        using var updates = new BlockingCollection<TProgress>();
        var task = Task.Run(() => work(updates.Add));
        var record = new ProgressRecord(1, activity, "starting");
        while (!task.IsCompleted)
        {
            if (updates.TryTake(out var update, 250))
            {
                (record.StatusDescription, record.PercentComplete) = describe(update);
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
