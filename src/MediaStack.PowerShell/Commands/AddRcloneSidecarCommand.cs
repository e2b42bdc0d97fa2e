using System.Management.Automation;
using MediaStack.Core.Manifests;
using MediaStack.Core.Reconcile;
using MediaStack.Core.Sidecars;

namespace MediaStack.PowerShell.Commands;

// Adds the rclone sidecars an app lacks (the full generated shape, on the app's own media
// volume) and fixes only the defects of the ones already there; -Update names the parts of
// existing sidecars to bring to the generated shape as well. A second run changes nothing.
[Cmdlet(VerbsCommon.Add, "RcloneSidecar", DefaultParameterSetName = ClusterSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(ReconcileResult), typeof(MediaApp))]
public sealed class AddRcloneSidecarCommand : RcloneSidecarCommandBase
{
    // Default: the mode of the sidecars already there, else Classic (as New-MediaApp).
    [Parameter]
    public SidecarMode SidecarMode { get; set; }

    // Parts of existing sidecars to replace with the generated ones (never changed otherwise).
    [Parameter]
    public SidecarRefresh[]? Update { get; set; }

    // Grant the pod's service account the privileged SCC (OpenShift) or the namespace the
    // privileged Pod Security level (Kubernetes) when it lacks it.
    [Parameter(ParameterSetName = ClusterSet)]
    [Parameter(ParameterSetName = InputObjectSet)]
    public SwitchParameter GrantPrivilege { get; set; }

    protected override ReconcileOptions Options => new() { Force = Force, GrantPrivilege = GrantPrivilege };

    protected override ChangeRequest Request => new()
    {
        Action = ChangeAction.AddSidecars,
        Mounts = Mount,
        Mode = MyInvocation.BoundParameters.ContainsKey(nameof(SidecarMode)) ? SidecarMode : null,
        AppContainer = AppContainer,
        Refresh = (Update ?? []).Aggregate(SidecarRefresh.None, (all, part) => all | part),
    };
}
