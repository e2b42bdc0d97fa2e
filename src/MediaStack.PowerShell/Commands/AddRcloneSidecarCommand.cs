using System.Management.Automation;
using MediaStack.Core.Manifests;
using MediaStack.Core.Sidecars;
using MediaStack.Core.Sidecars.Reconcile;

namespace MediaStack.PowerShell.Commands;

// Adds the configured rclone sidecars to a Deployment, or corrects the ones already there;
// a second run changes nothing.
[Cmdlet(VerbsCommon.Add, "RcloneSidecar", DefaultParameterSetName = ClusterSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(SidecarChangeResult), typeof(MediaApp))]
public sealed class AddRcloneSidecarCommand : RcloneSidecarCommandBase
{
    // Default: the mode of the sidecars already there, else Classic (as New-MediaApp).
    [Parameter]
    public SidecarMode SidecarMode { get; set; }

    // Grant the pod's service account the privileged SCC (OpenShift) or the namespace the
    // privileged Pod Security level (Kubernetes) when it lacks it.
    [Parameter(ParameterSetName = ClusterSet)]
    [Parameter(ParameterSetName = InputObjectSet)]
    public SwitchParameter GrantPrivilege { get; set; }

    protected override bool Removing => false;

    protected override SidecarMode? RequestedMode =>
        MyInvocation.BoundParameters.ContainsKey(nameof(SidecarMode)) ? SidecarMode : null;

    protected override bool GrantPrivilegeRequested => GrantPrivilege;
}
