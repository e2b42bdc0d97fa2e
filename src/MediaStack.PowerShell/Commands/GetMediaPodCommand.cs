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
    [ValidateNotNullOrEmpty]
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
        foreach (var item in InputObject ?? [])
        {
            var piped = PipelineObject.Of(item);
            if (Resolve(piped) is not { } target)
            {
                continue;
            }
            // A pod piped in is listed again: Get-MediaPod shows its state now.
            var pods = piped is PipelineObject.Pod pod ? FindPods(pod.Value.Namespace, [pod.Value.Name]).ToList() : target.Pods;
            if (target.App is { } app && pods.Count == 0)
            {
                WriteMediaStackError(new MediaStackException(ErrorIds.NoPodsMatched, ErrorCategory.ObjectNotFound,
                    $"App '{app.Name}' has no pods in namespace {app.Namespace} (selector {app.Selector}).", app.Name,
                    "A workload scaled to 0 or refused at admission has none: Test-MediaMount and Invoke-MountDiagnosis say why."));
            }
            WriteObject(pods, enumerateCollection: true);
        }
    }
}
