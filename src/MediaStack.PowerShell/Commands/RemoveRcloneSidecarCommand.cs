using System.Management.Automation;
using MediaStack.Core.Manifests;
using MediaStack.Core.Sidecars.Reconcile;

namespace MediaStack.PowerShell.Commands;

// Undoes Add-RcloneSidecar: the sidecars of the chosen mounts go, with their secret volumes
// when nothing else uses them; with the last sidecar, init-dirs goes and the app's mount
// returns to the default propagation.
[Cmdlet(VerbsCommon.Remove, "RcloneSidecar", DefaultParameterSetName = ClusterSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(SidecarChangeResult), typeof(MediaApp))]
public sealed class RemoveRcloneSidecarCommand : RcloneSidecarCommandBase
{
    protected override bool Removing => true;
}
