using MediaStack.Core.Diagnosis.Model;
using MediaStack.Core.Workloads;

namespace MediaStack.Core.Diagnosis.Spec;

// Each remote goes into its own subdirectory of the mount root, never onto the root itself
// (that hides the whole volume and gives 'directory already mounted' on restart).
public sealed class MountPointRule : IMountRule
{
    public bool AppliesTo(WorkloadKind kind) => kind is WorkloadKind.MediaApp or WorkloadKind.NodeMountProvider;

    public IEnumerable<MountFinding> Check(DiagnosisContext context)
    {
        var root = context.Workload.MediaRoot ?? context.Config.MountRoot;
        foreach (var sidecar in context.Workload.RcloneMounts)
        {
            var target = sidecar.Rclone!.MountPoint;
            var covering = sidecar.MountCovering(target);
            var volumeRoot = covering?.Mount["mountPath"]?.GetValue<string>();
            if (Workload.SamePath(target, root) || (volumeRoot is not null && Workload.SamePath(target, volumeRoot)))
            {
                yield return context.Problem(Rules.MountOnVolumeRoot, Severity.Error,
                    $"{sidecar.Name} mounts {sidecar.Rclone.Remote} onto the volume root {target}: it hides the volume and fails with 'directory already mounted' after a restart.",
                    $"{sidecar.Path}.args: mount {sidecar.Rclone.Remote} {target}",
                    $"Mount into its own subdirectory, e.g. {root.TrimEnd('/')}/{context.Workload.MountServedBy(sidecar)?.Name ?? sidecar.Rclone.Remote.Split(':')[0]}.",
                    sidecar);
            }
            else
            {
                yield return context.Pass(Rules.MountOnVolumeRoot, $"{sidecar.Name} mounts into {target}.", "", sidecar);
            }
        }
    }
}
