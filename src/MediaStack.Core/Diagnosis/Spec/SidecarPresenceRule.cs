using MediaStack.Core.Diagnosis.Model;

namespace MediaStack.Core.Diagnosis.Spec;

// Parity check 2 plus "sidecars missing per configured mount".
public sealed class SidecarPresenceRule : IMountRule
{
    public IEnumerable<MountFinding> Check(DiagnosisContext context)
    {
        var view = context.View;
        if (view.IsStandaloneRclone)
        {
            yield break;
        }
        var present = string.Join(", ", view.Containers.Where(c => !c.IsInit || c.IsNativeSidecar).Select(c => c.Name));
        foreach (var mount in context.Config.Mounts)
        {
            var sidecar = view.SidecarFor(mount);
            if (sidecar is null)
            {
                yield return context.Problem(Rules.SidecarMissing, Severity.Error,
                    $"No rclone sidecar for mount '{mount.Name}': {mount.MountPath} stays an empty directory in the app.",
                    $"{view.SpecPath}.containers[*].name = {present}",
                    $"Add-RcloneSidecar (or Repair-MediaMount) adds {mount.ContainerName} with init-dirs, Bidirectional mount and its secret volume.",
                    mount: mount);
            }
            else
            {
                yield return context.Pass(Rules.SidecarMissing, $"{sidecar.Name} serves mount '{mount.Name}'.", sidecar.Path, sidecar, mount);
            }
        }
    }
}
