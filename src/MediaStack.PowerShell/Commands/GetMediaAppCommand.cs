using System.Management.Automation;
using System.Text.Json.Nodes;
using k8s;
using MediaStack.Core.Apps;
using MediaStack.Core.Cluster;
using MediaStack.Core.Errors;
using ErrorCategory = MediaStack.Core.Errors.ErrorCategory;
using MediaStack.Core.Manifests;
using MediaStack.PowerShell.Completers;
using MediaStack.PowerShell.Infrastructure;

namespace MediaStack.PowerShell.Commands;

// Deployments as MediaApp objects, live from the cluster or from manifest files, each with
// AppContainer, Ready and a one-line SidecarSetup summary added.
[Cmdlet(VerbsCommon.Get, "MediaApp", DefaultParameterSetName = ClusterSet)]
[OutputType(typeof(MediaApp))]
public sealed class GetMediaAppCommand : ClusterCmdlet
{
    private const string ClusterSet = "Cluster";
    private const string AllNamespacesSet = "AllNamespaces";
    private const string PathSet = "Path";

    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = ClusterSet)]
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = AllNamespacesSet)]
    [Parameter(ParameterSetName = PathSet)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(DeploymentNameCompleter))]
    public string[]? Name { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = AllNamespacesSet)]
    public SwitchParameter AllNamespaces { get; set; }

    // Manifest files or folders (searched for *.yaml / *.yml); no cluster needed.
    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = PathSet)]
    [Alias("FullName")]
    [ValidateNotNullOrEmpty]
    public string[]? Path { get; set; }

    protected override void ProcessRecord()
    {
        var patterns = (Name ?? ["*"]).Select(NamePattern).ToList();
        bool Wanted(MediaApp app) => patterns.Any(pattern => pattern.IsMatch(app.Name));
        if (ParameterSetName == PathSet)
        {
            foreach (var path in Path!)
            {
                IReadOnlyList<(MediaApp App, DeploymentSummary Summary)> apps = [];
                if (!TryRun(() => apps = MediaAppReader.FromFiles([FileSystemPath(path)], Config, WriteMediaStackError)))
                {
                    continue;
                }
                foreach (var (app, summary) in apps.Where(entry => Wanted(entry.App)))
                {
                    WriteObject(WithSummary(app, summary));
                }
            }
            return;
        }
        var @namespace = AllNamespaces ? null : TargetNamespace;
        var literals = (Name ?? []).Where(name => !WildcardPattern.ContainsWildcardCharacters(name)).ToHashSet(StringComparer.OrdinalIgnoreCase);
        try
        {
            var deployments = PagedList.DeploymentsAsync(Cluster.Client, @namespace, ct: CancellationToken).GetAsyncEnumerator(CancellationToken);
            try
            {
                while (deployments.MoveNextAsync().AsTask().GetAwaiter().GetResult())
                {
                    var json = JsonNode.Parse(KubernetesJson.Serialize(deployments.Current))!.AsObject();
                    json["apiVersion"] ??= "apps/v1";
                    json["kind"] ??= "Deployment";
                    var (app, summary) = MediaAppReader.FromDeployment(json, Config, MediaAppReader.ClusterSource);
                    if (Wanted(app))
                    {
                        literals.Remove(app.Name);
                        WriteObject(WithSummary(app, summary));
                    }
                }
            }
            finally
            {
                deployments.DisposeAsync().AsTask().GetAwaiter().GetResult();
            }
        }
        catch (Exception exception) when (exception is not PipelineStoppedException)
        {
            ReportClusterError(exception, $"list deployments in {(@namespace is null ? "all namespaces" : $"namespace {@namespace}")}", @namespace);
            return;
        }
        foreach (var missing in literals)
        {
            WriteMediaStackError(new MediaStackException(
                ErrorIds.ClusterObjectNotFound, ErrorCategory.ObjectNotFound,
                $"No deployment named '{missing}' in {(@namespace is null ? "any namespace" : $"namespace {@namespace}")}.", missing,
                "List the apps with Get-MediaApp."));
        }
    }

    private static PSObject WithSummary(MediaApp app, DeploymentSummary summary)
    {
        var wrapped = PSObject.AsPSObject(app);
        // Selects the live view (READY, SIDECARS) in MediaPod.Format.ps1xml.
        wrapped.TypeNames.Insert(0, "MediaStack.Core.Manifests.MediaApp#Live");
        wrapped.Properties.Add(new PSNoteProperty("AppContainer", summary.AppContainer));
        wrapped.Properties.Add(new PSNoteProperty("Ready", summary.Ready));
        wrapped.Properties.Add(new PSNoteProperty("SidecarSetup", summary.SidecarSetup));
        wrapped.Properties.Add(new PSNoteProperty("SidecarSetupHealthy", summary.SidecarSetupHealthy));
        return wrapped;
    }
}
