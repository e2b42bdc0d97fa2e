using System.Management.Automation;
using System.Text.Json.Nodes;
using MediaStack.Core.Apps;
using MediaStack.Core.Cluster;
using MediaStack.Core.Errors;
using ErrorCategory = MediaStack.Core.Errors.ErrorCategory;
using MediaStack.Core.Manifests;
using MediaStack.Core.Workloads;
using MediaStack.PowerShell.Completers;
using MediaStack.PowerShell.Infrastructure;

namespace MediaStack.PowerShell.Commands;

// Workloads (Deployments, StatefulSets, DaemonSets; Pods too in files) as MediaApp objects:
// live from the cluster, from manifest files, or from rendered YAML text on the pipeline
// (helm template, kubectl kustomize), each with what the workload model says about it and a
// one-line SidecarSetup summary.
[Cmdlet(VerbsCommon.Get, "MediaApp", DefaultParameterSetName = ClusterSet)]
[OutputType(typeof(MediaApp))]
public sealed class GetMediaAppCommand : ClusterCmdlet
{
    private const string ClusterSet = "Cluster";
    private const string AllNamespacesSet = "AllNamespaces";
    private const string PathSet = "Path";
    private const string YamlSet = "Yaml";

    private readonly List<string> _yaml = [];
    private readonly List<string> _withoutWorkloads = [];
    private bool _anyWorkload;

    // Not bound from the pipeline: a file from Get-ChildItem has a Name too, and must bind
    // to -Path by its FullName.
    [Parameter(Position = 0, ParameterSetName = ClusterSet)]
    [Parameter(Position = 0, ParameterSetName = AllNamespacesSet)]
    [Parameter(ParameterSetName = PathSet)]
    [Parameter(ParameterSetName = YamlSet)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(DeploymentNameCompleter))]
    public string[]? Name { get; set; }

    // Only workloads of these kinds.
    [Parameter]
    [ValidateSet("Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Pod")]
    public string[]? Kind { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = AllNamespacesSet)]
    public SwitchParameter AllNamespaces { get; set; }

    // Manifest files or folders (searched below for *.yaml / *.yml); no cluster needed.
    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = PathSet)]
    [Alias("FullName", "PSPath")]
    [ValidateNotNullOrEmpty]
    public string[]? Path { get; set; }

    // Rendered YAML text, usually piped line by line from helm template or kubectl kustomize.
    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = YamlSet)]
    [AllowEmptyString]
    public string[]? Yaml { get; set; }

    private IReadOnlyList<WildcardPattern> Patterns => (Name ?? ["*"]).Select(NamePattern).ToList();

    private bool Wanted(Workload workload) =>
        Patterns.Any(pattern => pattern.IsMatch(workload.Name)) && (Kind is null || Kind.Contains(workload.ResourceKind, StringComparer.OrdinalIgnoreCase));

    protected override void ProcessRecord()
    {
        switch (ParameterSetName)
        {
            case PathSet:
                foreach (var path in Path!)
                {
                    var resolved = path;
                    IReadOnlyList<ManifestDocument> documents = [];
                    if (TryRun(() => documents = ManifestScan.Documents(resolved = FileSystemPath(path), StackConfig.ReadLimits).ToList()))
                    {
                        WriteDocuments(documents, resolved, MediaAppReader.FileSource);
                    }
                }
                break;
            case YamlSet:
                _yaml.AddRange(Yaml ?? []);
                break;
            default:
                ListCluster();
                break;
        }
    }

    protected override void EndProcessing()
    {
        if (ParameterSetName == YamlSet)
        {
            WriteDocuments(ManifestScan.FromText(string.Join("\n", _yaml), limits: StackConfig.ReadLimits), ManifestScan.PipelineSource, MediaAppReader.PipelineSource);
        }
        // Files piped one by one (Get-ChildItem *.yaml) include a kustomization or two: a path
        // without a workload is an error only when no path held one.
        if (!_anyWorkload)
        {
            foreach (var path in _withoutWorkloads)
            {
                WriteMediaStackError(ManifestScan.NoWorkload(path));
            }
        }
    }

    private void WriteDocuments(IReadOnlyList<ManifestDocument> documents, string path, string source)
    {
        var any = false;
        foreach (var template in documents.Where(document => document.IsTemplate))
        {
            any = true;
            WriteWarning($"{template.Source} is a Go template: render it first (helm template ... | Get-MediaApp).");
        }
        foreach (var (document, workload, error) in ManifestScan.Workloads(documents, StackConfig))
        {
            any = true;
            if (error is not null)
            {
                WriteMediaStackError(error);
            }
            else if (Wanted(workload!))
            {
                var (app, summary) = MediaAppReader.FromWorkload(workload!, StackConfig, source, source == MediaAppReader.FileSource ? document.Source : null);
                WriteObject(WithSummary(app, summary));
            }
        }
        _anyWorkload |= any;
        if (!any)
        {
            _withoutWorkloads.Add(path);
        }
    }

    private void ListCluster()
    {
        var @namespace = AllNamespaces ? null : TargetNamespace;
        var missing = (Name ?? []).Where(name => !WildcardPattern.ContainsWildcardCharacters(name)).ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (var resource in ListWorkloads(@namespace, Kind))
        {
            Workload? workload = null;
            if (!TryRun(() => workload = Workload.From(resource, StackConfig)) || !Wanted(workload!))
            {
                continue;
            }
            missing.Remove(workload!.Name);
            var (app, summary) = MediaAppReader.FromWorkload(workload, StackConfig, MediaAppReader.ClusterSource);
            WriteObject(WithSummary(app, summary));
        }
        if (WorkloadListFailed)
        {
            return;
        }
        foreach (var name in missing)
        {
            WriteMediaStackError(new MediaStackException(
                ErrorIds.ClusterObjectNotFound, ErrorCategory.ObjectNotFound,
                $"No workload named '{name}' in {(@namespace is null ? "any namespace" : $"namespace {@namespace}")}.", name,
                "List the apps with Get-MediaApp."));
        }
    }

    private static PSObject WithSummary(MediaApp app, DeploymentSummary summary)
    {
        var wrapped = PSObject.AsPSObject(app);
        // Selects the live view (KIND, READY, SIDECARS) in MediaApp.Format.ps1xml.
        wrapped.TypeNames.Insert(0, "MediaStack.Core.Manifests.MediaApp#Live");
        wrapped.Properties.Add(new PSNoteProperty("Ready", summary.Ready));
        wrapped.Properties.Add(new PSNoteProperty("SidecarSetup", summary.SidecarSetup));
        wrapped.Properties.Add(new PSNoteProperty("SidecarSetupHealthy", summary.SidecarSetupHealthy));
        return wrapped;
    }
}
