using System.Text.Json.Serialization;

namespace MediaStack.Core.Config;

// One rclone remote mounted by its own sidecar: zurg (Real-Debrid) and torbox by default.
// Grading of an entry count in ProbePath: OK above OkAbove, WARN above WarnAbove, else FAIL.
public sealed record RcloneMount(
    string Name,
    string Remote,
    string MountPath,
    string ProbePath,
    string Secret,
    string SecretVolume,
    int RcPort,
    int OkAbove,
    int WarnAbove)
{
    public const string ContainerPrefix = "rclone-";

    [JsonIgnore]
    public string ContainerName => ContainerPrefix + Name;

    // The emptyDir that holds this sidecar's VFS cache.
    [JsonIgnore]
    public string CacheVolume => ContainerName + "-cache";

    // The directory whose entries are counted: the mount itself when ProbePath is empty.
    [JsonIgnore]
    public string ProbeFullPath => string.IsNullOrEmpty(ProbePath) ? MountPath : MountPath.TrimEnd('/') + "/" + ProbePath;

    public override string ToString() => $"{Name} ({Remote} at {MountPath}, rc {RcPort})";

    public MountGrade Grade(long entries) =>
        entries > OkAbove ? MountGrade.OK
        : entries > WarnAbove ? MountGrade.WARN
        : MountGrade.FAIL;
}

public enum MountGrade
{
    OK,
    WARN,
    FAIL,
}
