using MediaStack.Core.Diagnosis.Model;
using MediaStack.Core.Workloads;

namespace MediaStack.Core.Diagnosis.Spec;

// Says once what a workload that is not a media app is, so a gateway or an unrelated
// Deployment is accounted for instead of being judged as an app without sidecars.
public sealed class WorkloadKindRule : IMountRule
{
    public bool AppliesTo(WorkloadKind kind) => kind is WorkloadKind.Gateway or WorkloadKind.Unrelated;

    public IEnumerable<MountFinding> Check(DiagnosisContext context)
    {
        var workload = context.Workload;
        yield return context.Problem(Rules.NotMediaWorkload, Severity.Info,
            workload.Kind == WorkloadKind.Gateway
                ? $"Gateway: {workload.KindReason}. It expects no mounts and needs no rclone sidecars."
                : $"Not a media workload: {workload.KindReason}.",
            $"{workload.SpecPath}.containers[*] = {string.Join(", ", workload.AllContainers.Where(c => c.IsLongRunning).Select(c => $"{c.Name} ({c.Role})"))}",
            workload.Kind == WorkloadKind.Gateway
                ? "Nothing to add; it needs privilege or Bidirectional propagation only if it runs a FUSE mount itself."
                : "Nothing to do; Add-RcloneSidecar turns it into a media app if it should read the mounts.");
    }
}
