using MediaStack.Core.Diagnosis.Model;

namespace MediaStack.Core.Diagnosis.Spec;

// Parity check 2: every mount the app expects is served, by a sidecar of the pod or by a
// node-level provider through a host-path media volume.
public sealed class SidecarPresenceRule : IMountRule
{
    public IEnumerable<MountFinding> Check(DiagnosisContext context)
    {
        var workload = context.Workload;
        var present = string.Join(", ", workload.AllContainers.Where(c => c.IsLongRunning).Select(c => c.Name));
        foreach (var mount in workload.ExpectedMounts)
        {
            if (mount.Sidecar is { } sidecar)
            {
                yield return context.Pass(Rules.SidecarMissing, $"{sidecar.Name} serves mount '{mount.Name}'.", sidecar.Path, sidecar, mount.Name);
            }
            else if (mount.ServedByNode)
            {
                yield return context.Pass(Rules.SidecarMissing, $"Mount '{mount.Name}' comes from the node ({workload.MediaVolume}).", $"{workload.SpecPath}.volumes[{workload.MediaVolume!.Index}]", workload.App, mount.Name);
            }
            else
            {
                yield return context.Problem(Rules.SidecarMissing, Severity.Error,
                    $"No rclone sidecar for mount '{mount.Name}': {mount.MountPath} stays an empty directory in the app.",
                    $"{workload.SpecPath}.containers[*].name = {present}",
                    $"Add-RcloneSidecar (or Repair-MediaMount) adds {mount.Configured?.ContainerName ?? "the sidecar"} with init-dirs, Bidirectional mount and its secret volume; or, if the app does not need it, annotate the workload {Workloads.Workload.MountsAnnotation}: <the mounts it needs>.",
                    mount: mount.Name);
            }
        }
    }
}
