using System.Management.Automation;
using MediaStack.Core.Manifests;
using MediaStack.Core.Reconcile;

namespace MediaStack.PowerShell.Commands;

// Undoes Add-RcloneSidecar and nothing else: the sidecars of the chosen mounts go, with the
// volumes only they use and their mount points in init-dirs (init-dirs itself once it
// creates nothing else). The app keeps its HostToContainer unless -ResetPropagation.
[Cmdlet(VerbsCommon.Remove, "RcloneSidecar", DefaultParameterSetName = ClusterSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(ReconcileResult), typeof(MediaApp))]
public sealed class RemoveRcloneSidecarCommand : RcloneSidecarCommandBase
{
    // Once no sidecar is left, set the app's media mount back to the default propagation.
    [Parameter]
    public SwitchParameter ResetPropagation { get; set; }

    protected override ReconcileOptions Options => new() { Force = Force };

    protected override ChangeRequest Request => new()
    {
        Action = ChangeAction.RemoveSidecars,
        Mounts = Mount,
        AppContainer = AppContainer,
        ResetPropagation = ResetPropagation,
    };
}
