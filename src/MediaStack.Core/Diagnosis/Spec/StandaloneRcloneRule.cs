using MediaStack.Core.Diagnosis.Model;
using MediaStack.Core.Workloads;

namespace MediaStack.Core.Diagnosis.Spec;

// A Deployment (or Pod) that runs only rclone: the legacy pattern whose FUSE mounts stay in
// its own pod (mount namespaces do not cross pods). A DaemonSet into a host path is the
// node-level pattern instead, and is not reported here.
public sealed class StandaloneRcloneRule : IMountRule
{
    public bool AppliesTo(WorkloadKind kind) => kind == WorkloadKind.StandaloneRclone;

    public IEnumerable<MountFinding> Check(DiagnosisContext context)
    {
        var sidecar = context.Workload.RcloneMounts.First();
        yield return context.Problem(Rules.LegacyStandaloneRclone, Severity.Warning,
            $"Standalone rclone {context.Workload.ResourceKind} ({sidecar.Name} mounting {sidecar.Rclone!.Remote}): its mount is invisible to every other pod.",
            $"{sidecar.Path}: {sidecar.Image} mount {sidecar.Rclone.Remote} {sidecar.Rclone.MountPoint}, no app container",
            "Give each app its own sidecars (Add-RcloneSidecar), check them with Test-MediaMount, then delete this workload; or run rclone as a DaemonSet into a host path with Bidirectional propagation.",
            sidecar);
    }
}
