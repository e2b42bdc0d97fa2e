using System.Management.Automation;
using MediaStack.Core.Apps;
using MediaStack.Core.Errors;
using ErrorCategory = MediaStack.Core.Errors.ErrorCategory;
using MediaStack.Core.Manifests;
using MediaStack.Core.Reconcile;
using MediaStack.PowerShell.Completers;
using MediaStack.PowerShell.Infrastructure;

namespace MediaStack.PowerShell.Commands;

// Add-RcloneSidecar and Remove-RcloneSidecar: the targets they take (a live workload by name,
// a MediaApp from the pipeline, or manifest files) and the change they ask the reconciler
// for; the workflow itself is ReconcileCmdlet's.
public abstract class RcloneSidecarCommandBase : ReconcileCmdlet
{
    protected const string ClusterSet = "Cluster";
    protected const string InputObjectSet = "InputObject";
    protected const string PathSet = "Path";

    // Not bound from the pipeline by property name: a file piped from Get-ChildItem has a
    // Name too, and must bind to -Path. Live apps come through the pipeline as MediaApp.
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = ClusterSet)]
    [Parameter(ParameterSetName = PathSet)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(DeploymentNameCompleter))]
    public string? Name { get; set; }

    // The kind of the workload named by -Name.
    [Parameter(ParameterSetName = ClusterSet)]
    [Parameter(ParameterSetName = PathSet)]
    [ValidateSet("Deployment", "StatefulSet", "DaemonSet")]
    public string Kind { get; set; } = "Deployment";

    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = InputObjectSet)]
    public MediaApp? InputObject { get; set; }

    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = PathSet)]
    [Alias("FullName")]
    [ValidateNotNullOrEmpty]
    public string[]? Path { get; set; }

    // Names of configured mounts (zurg, torbox ...); default: every mount the app expects.
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(MountNameCompleter))]
    public string[]? Mount { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? AppContainer { get; set; }

    protected abstract ChangeRequest Request { get; }

    protected override void ProcessRecord()
    {
        switch (ParameterSetName)
        {
            case PathSet:
                foreach (var path in Path!)
                {
                    var resolved = "";
                    if (!TryRun(() => resolved = FileSystemPath(path)))
                    {
                        continue;
                    }
                    foreach (var target in FileTargets(resolved, Name, MyInvocation.BoundParameters.ContainsKey(nameof(Kind)) ? Kind : null))
                    {
                        Reconcile(target, Request);
                    }
                }
                break;
            case InputObjectSet:
                var app = InputObject!;
                if (app.Deployment is null)
                {
                    // A hashtable or another object PowerShell turned into a MediaApp.
                    WriteMediaStackError(new MediaStackException(ErrorIds.InvalidInputObject, ErrorCategory.InvalidArgument,
                        $"The MediaApp '{app.Name}' holds no Deployment.", app.Name, "Pipe a MediaApp from New-MediaApp or Get-MediaApp."));
                    break;
                }
                if (app.Source == MediaAppReader.ClusterSource)
                {
                    Reconcile(new ClusterTarget(app.Namespace, app.ResourceKind, app.Name), Request);
                }
                else if (app.Source == MediaAppReader.FileSource && app.Path is not null)
                {
                    foreach (var target in FileTargets(app.Path, app.Name, app.ResourceKind))
                    {
                        Reconcile(target, Request);
                    }
                }
                else
                {
                    Reconcile(new ObjectTarget(app), Request);
                }
                break;
            default:
                Reconcile(new ClusterTarget(TargetNamespace, Kind, Name!), Request);
                break;
        }
    }
}
