using MediaStack.Core.Config;

namespace MediaStack.Core.Probes;

// One mount to check: where it is, which directory under it to count, and the grading
// thresholds (OK above OkAbove entries, WARN above WarnAbove, else FAIL).
public sealed record MountProbeTarget(string Name, string MountPath, string ProbePath, long OkAbove, long WarnAbove)
{
    public string ProbeFullPath => string.IsNullOrEmpty(ProbePath) ? MountPath : MountPath.TrimEnd('/') + "/" + ProbePath;

    public static MountProbeTarget From(RcloneMount mount) =>
        new(mount.Name, mount.MountPath, mount.ProbePath, mount.OkAbove, mount.WarnAbove);

    public static IReadOnlyList<MountProbeTarget> From(MediaStackConfig config) =>
        config.Mounts.Select(From).ToList();
}
