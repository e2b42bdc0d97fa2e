using MediaStack.Core.Diagnosis.Model;

namespace MediaStack.Core.Diagnosis.Runtime;

// Parity check 5: /dev/fuse inside each running rclone sidecar.
public sealed class FuseDeviceRule : IRuntimeRule
{
    public IEnumerable<MountFinding> Check(DiagnosisContext context)
    {
        if (context.Evidence is not { } evidence)
        {
            yield break;
        }
        foreach (var sidecar in context.Workload.RcloneMounts)
        {
            if (!evidence.FuseDevices.TryGetValue(sidecar.Name, out var present) || present is null)
            {
                continue;
            }
            if (present.Value)
            {
                yield return context.Pass(Rules.FuseDeviceMissing, $"{sidecar.Name} has /dev/fuse.", "exec: test -c /dev/fuse -> yes", sidecar);
            }
            else
            {
                yield return context.Problem(Rules.FuseDeviceMissing, Severity.Error,
                    $"{sidecar.Name} has no /dev/fuse: rclone cannot mount.",
                    "exec: test -c /dev/fuse -> no",
                    sidecar.Privileged
                        ? "The container is privileged, so the node lacks FUSE: load the fuse module on the node."
                        : "Set privileged: true on the sidecar (devices are only passed to privileged containers).",
                    sidecar);
            }
        }
    }
}
