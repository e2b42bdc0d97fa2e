using MediaStack.Core.Workloads;

namespace MediaStack.Core.Probes;

// One mount to check: where the app container sees it, which directory under it to count,
// and the grading thresholds (OK above OkAbove entries, WARN above WarnAbove, else FAIL).
public sealed record MountProbeTarget(string Name, string MountPath, string ProbePath, long OkAbove, long WarnAbove)
{
    public string ProbeFullPath => string.IsNullOrEmpty(ProbePath) ? MountPath : MountPath.TrimEnd('/') + "/" + ProbePath;

    public static MountProbeTarget From(ExpectedMount mount) =>
        new(mount.Name, mount.MountPath, mount.ProbePath, mount.OkAbove, mount.WarnAbove);
}
