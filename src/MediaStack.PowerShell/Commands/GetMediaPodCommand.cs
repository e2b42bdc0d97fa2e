using System.Management.Automation;
using MediaStack.Core.Cluster;
using MediaStack.Core.Errors;
using ErrorCategory = MediaStack.Core.Errors.ErrorCategory;
using MediaStack.Core.Pods;
using MediaStack.PowerShell.Completers;
using MediaStack.PowerShell.Infrastructure;

namespace MediaStack.PowerShell.Commands;

// Lists pods as MediaPod objects: node, phase, the real app container, sidecars, readiness.
[Cmdlet(VerbsCommon.Get, "MediaPod", DefaultParameterSetName = NamespaceSet)]
[OutputType(typeof(MediaPod))]
public sealed class GetMediaPodCommand : ClusterCmdlet
{
    private const string NamespaceSet = "Namespace";
    private const string AllNamespacesSet = "AllNamespaces";

    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(PodNameCompleter))]
    public string[]? Name { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(DeploymentNameCompleter))]
    public string? App { get; set; }

    [Parameter(ParameterSetName = AllNamespacesSet, Mandatory = true)]
    public SwitchParameter AllNamespaces { get; set; }

    protected override void ProcessRecord()
    {
        var patterns = (Name ?? ["*"]).Select(NamePattern).ToList();
        var literals = (Name ?? []).Where(name => !WildcardPattern.ContainsWildcardCharacters(name)).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var @namespace = AllNamespaces ? null : TargetNamespace;
        var found = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var now = DateTime.UtcNow;
        try
        {
            var pods = PagedList.PodsAsync(Cluster.Client, @namespace, ct: CancellationToken).GetAsyncEnumerator(CancellationToken);
            try
            {
                while (pods.MoveNextAsync().AsTask().GetAwaiter().GetResult())
                {
                    var pod = pods.Current;
                    var name = pod.Metadata?.Name ?? "";
                    if (!patterns.Any(pattern => pattern.IsMatch(name)))
                    {
                        continue;
                    }
                    var mediaPod = MediaPodFactory.FromPod(pod, now);
                    if (App is not null && !string.Equals(mediaPod.App, App, StringComparison.OrdinalIgnoreCase))
                    {
                        continue;
                    }
                    found.Add(name);
                    WriteObject(mediaPod);
                }
            }
            finally
            {
                pods.DisposeAsync().AsTask().GetAwaiter().GetResult();
            }
        }
        catch (Exception exception) when (exception is not PipelineStoppedException)
        {
            ReportClusterError(exception, $"list pods in {(@namespace is null ? "all namespaces" : $"namespace {@namespace}")}", @namespace);
            return;
        }
        foreach (var missing in literals.Where(name => !found.Contains(name)))
        {
            WriteMediaStackError(new MediaStackException(
                ErrorIds.ClusterObjectNotFound,
                ErrorCategory.ObjectNotFound,
                $"No pod named '{missing}'{(App is null ? "" : $" of app '{App}'")} in {(@namespace is null ? "any namespace" : $"namespace {@namespace}")}.",
                missing,
                "List the pods with Get-MediaPod (add -AllNamespaces to look everywhere)."));
        }
    }
}
