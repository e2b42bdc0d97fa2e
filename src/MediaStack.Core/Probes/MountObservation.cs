using System.Globalization;

namespace MediaStack.Core.Probes;

// What the probe script saw for one mount, before any grading.
public sealed class MountObservation
{
    // fstype in the container's mount table at the mount path; null when not mounted.
    public string? FsType { get; set; }

    public string? Source { get; set; }

    public int? StatExitCode { get; set; }

    public string? StatError { get; set; }

    public int? ListExitCode { get; set; }

    public string? ListError { get; set; }

    public long? Count { get; set; }

    public int? LatencyMs { get; set; }

    // The deep read: its exit code (null when none ran), whether there was no file to read,
    // the file, the bytes read, the first error line and how long it took.
    public int? ReadExitCode { get; set; }

    public bool NothingToRead { get; set; }

    public string? ReadFile { get; set; }

    public long? ReadBytes { get; set; }

    public string? ReadError { get; set; }

    public int? ReadLatencyMs { get; set; }

    public bool IsMounted => FsType is not null;
}

// The parsed report of one probe run: observations by mount index, and whether the script
// ran to its end (false when it was cut off).
public sealed record ProbeReport(IReadOnlyDictionary<int, MountObservation> Mounts, bool Completed, string? TimeoutMode)
{
    public static ProbeReport Parse(string stdout)
    {
        var mounts = new Dictionary<int, MountObservation>();
        var completed = false;
        string? timeoutMode = null;
        foreach (var raw in stdout.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line == "end")
            {
                completed = true;
                continue;
            }
            var fields = line.Split('\t', 4);
            if (fields is ["probe", _, "timeout", var mode])
            {
                timeoutMode = mode;
                continue;
            }
            if (fields.Length < 3 || fields[0] != "m" || !int.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out var index))
            {
                continue;
            }
            var value = fields.Length == 4 ? fields[3] : "";
            if (!mounts.TryGetValue(index, out var mount))
            {
                mounts[index] = mount = new MountObservation();
            }
            switch (fields[2])
            {
                case "fstype":
                    mount.FsType = value is "-" or "" ? null : value;
                    break;
                case "source":
                    mount.Source = value is "-" or "" ? null : value;
                    break;
                case "stat_rc":
                    mount.StatExitCode = Int(value);
                    break;
                case "stat_err":
                    mount.StatError = value.Length == 0 ? null : value;
                    break;
                case "list_rc":
                    mount.ListExitCode = Int(value);
                    break;
                case "list_err":
                    // The first message is the one that explains; later ones repeat it.
                    mount.ListError ??= value;
                    break;
                case "count":
                    mount.Count = long.TryParse(value.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var count) ? count : null;
                    break;
                case "ms":
                    mount.LatencyMs = Int(value);
                    break;
                case "read_rc":
                    mount.NothingToRead = value == "none";
                    mount.ReadExitCode = Int(value);
                    break;
                case "read_file":
                    mount.ReadFile = value.Length == 0 ? null : value;
                    break;
                case "read_bytes":
                    mount.ReadBytes = long.TryParse(value.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var bytes) ? bytes : null;
                    break;
                case "read_err":
                    mount.ReadError = value.Length == 0 ? null : value;
                    break;
                case "read_ms":
                    mount.ReadLatencyMs = Int(value);
                    break;
            }
        }
        return new ProbeReport(mounts, completed, timeoutMode);
    }

    private static int? Int(string value) =>
        int.TryParse(value.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number) ? number : null;
}
