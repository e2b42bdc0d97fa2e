using System.Management.Automation;
using MediaStack.Core.Errors;
using ErrorCategory = MediaStack.Core.Errors.ErrorCategory;
using MediaStack.Core.Pods;
using MediaStack.PowerShell.Completers;
using MediaStack.PowerShell.Infrastructure;

namespace MediaStack.PowerShell.Commands;

// Lists pods as MediaPod objects: node, phase, what the workload is, the real app container,
// its sidecars, readiness. From the pipeline: a MediaApp gives the app's pods (by its
// selector), a MediaPod or anything with Name (and Namespace) the pod of that name, also
// after Export-Clixml/Import-Clixml.
[Cmdlet(VerbsCommon.Get, "MediaPod", DefaultParameterSetName = NamespaceSet)]
[OutputType(typeof(MediaPod))]
public sealed class GetMediaPodCommand : ClusterCmdlet
{
    private const string NamespaceSet = "Namespace";
    private const string AllNamespacesSet = "AllNamespaces";
    private const string InputObjectSet = "InputObject";

    [Parameter(Position = 0, ParameterSetName = NamespaceSet)]
    [Parameter(Position = 0, ParameterSetName = AllNamespacesSet)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(PodNameCompleter))]
    public string[]? Name { get; set; }

    // Only the pods of this workload (its name, as Get-MediaPod shows it in APP).
    [Parameter(ParameterSetName = NamespaceSet)]
    [Parameter(ParameterSetName = AllNamespacesSet)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(DeploymentNameCompleter))]
    public string? App { get; set; }

    [Parameter(ParameterSetName = AllNamespacesSet, Mandatory = true)]
    public SwitchParameter AllNamespaces { get; set; }

    // MediaApp or MediaPod objects (live or deserialized), pod names, or any object with a
    // Name (and Namespace) property such as Test-MediaMount's reports.
    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = InputObjectSet)]
    public PSObject[]? InputObject { get; set; }

    protected override void ProcessRecord()
    {
        if (ParameterSetName != InputObjectSet)
        {
            var namespaceToSearch = AllNamespaces ? null : TargetNamespace;
            WriteObject(FindPods(namespaceToSearch, Name, filter: App is null ? null : pod => string.Equals(pod.App, App, StringComparison.OrdinalIgnoreCase),
                what: App is null ? null : $" of app '{App}'"), enumerateCollection: true);
            return;
        }
        foreach (var input in InputObject ?? [])
        {
            WriteObject(PodsOf(PipelineObject.Of(input)), enumerateCollection: true);
        }
    }

    private IEnumerable<MediaPod> PodsOf(PipelineObject input) => input switch
    {
        PipelineObject.Pod pod => FindPods(pod.Value.Namespace, [pod.Value.Name]),
        PipelineObject.App app => AppPods(app.Value.Name, app.Value.Namespace, app.Value.Selector),
        PipelineObject.AppName app => AppPods(app.Name, app.Namespace ?? TargetNamespace, app.Selector),
        PipelineObject.PodName pod => FindPods(pod.Namespace ?? TargetNamespace, [pod.Name]),
        PipelineObject.Unknown unknown => Refuse(unknown),
        _ => [],
    };

    private IEnumerable<MediaPod> AppPods(string name, string @namespace, string? selector)
    {
        if (selector is null)
        {
            // A bare pod is its own app.
            return FindPods(@namespace, [name]);
        }
        var pods = FindPods(@namespace, null, selector).ToList();
        if (pods.Count == 0)
        {
            WriteMediaStackError(new MediaStackException(ErrorIds.NoPodsMatched, ErrorCategory.ObjectNotFound,
                $"App '{name}' has no pods in namespace {@namespace} (selector {selector}).", name,
                "A workload scaled to 0 or refused at admission has none: Invoke-MountDiagnosis says why."));
        }
        return pods;
    }

    private IEnumerable<MediaPod> Refuse(PipelineObject.Unknown unknown)
    {
        WriteMediaStackError(new MediaStackException(ErrorIds.InvalidInputObject, ErrorCategory.InvalidArgument,
            $"Cannot tell which pod '{unknown.Value}' stands for: it is not a MediaApp, a MediaPod, a pod name or an object with a Name property.", unknown.Value,
            "Pipe Get-MediaApp or Get-MediaPod output, or pod names."));
        return [];
    }
}
