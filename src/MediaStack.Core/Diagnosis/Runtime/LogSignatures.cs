using System.Text.RegularExpressions;
using MediaStack.Core.Diagnosis.Model;

namespace MediaStack.Core.Diagnosis.Runtime;

// The known rclone / fusermount3 failure lines (domain.md), each mapped to its cause and fix.
// Order matters: a line is claimed by the first signature that matches it.
public static partial class LogSignatures
{
    public sealed record Signature(RuleInfo Rule, Regex Pattern, string Cause, string Remedy, bool NeedsMountPoint = false);

    public sealed record Match(Signature Signature, string Line, int Count);

    public static IReadOnlyList<Signature> All { get; } =
    [
        new(Rules.LogFuseNotPermitted, FuseNotPermitted(),
            "the container is not privileged, so it may not open /dev/fuse",
            "Set privileged: true on the sidecar; its service account needs the privileged SCC."),
        new(Rules.LogFuseDeviceNotFound, FuseDeviceNotFound(),
            "there is no /dev/fuse in the container (not privileged) or on the node",
            "Set privileged: true on the sidecar; if it already is, the node lacks the fuse module."),
        new(Rules.LogMountPermissionDenied, MountDenied(),
            "the mount syscall was denied (no CAP_SYS_ADMIN, or an LSM such as SELinux)",
            "Set privileged: true on the sidecar."),
        new(Rules.LogAlreadyMounted, AlreadyMounted(),
            "a stale FUSE mount from a previous run is still on the mount point, or the remote is mounted onto the volume root",
            "Restart the pod to clear the stale mount (Repair-MediaMount), and mount into a subdirectory."),
        new(Rules.LogMountPointNotEmpty, NotEmpty(),
            "files were left in the mount point directory",
            "Empty the mount point directory on the volume (do not use --allow-non-empty to hide it)."),
        new(Rules.LogMountPointMissing, NoSuchFile(),
            "the mount point directory does not exist",
            "Add init-dirs creating the mount point (Repair-MediaMount does).", NeedsMountPoint: true),
        new(Rules.LogConfigMissing, ConfigMissing(),
            "rclone.conf is missing, has no section for the remote, or --config points elsewhere",
            "Mount the secret at /config/rclone with key rclone.conf holding a section for the remote."),
        new(Rules.LogBackendAuth, BackendAuth(),
            "the backend refuses the credentials in the secret",
            "Fix the token/password in the rclone.conf secret and restart the pod."),
        new(Rules.LogBackendUnreachable, BackendUnreachable(),
            "the backend (Zurg, TorBox) is down or its URL is wrong",
            "Check the backend service and the url in rclone.conf."),
        new(Rules.LogRcPortInUse, AddressInUse(),
            "another container of the pod already listens on this rc port",
            "Give each sidecar its own rc port (5572, 5573 ...)."),
    ];

    // Every signature found in the text, with its first matching line and how often it occurs.
    public static IReadOnlyList<Match> Find(string logText, string? mountPoint = null)
    {
        var found = new Dictionary<Signature, (string Line, int Count)>();
        foreach (var raw in logText.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line.Length == 0)
            {
                continue;
            }
            foreach (var signature in All)
            {
                if (!signature.Pattern.IsMatch(line))
                {
                    continue;
                }
                if (signature.NeedsMountPoint && !MentionsMountPoint(line, mountPoint))
                {
                    continue;
                }
                found[signature] = found.TryGetValue(signature, out var seen) ? (seen.Line, seen.Count + 1) : (line.Trim(), 1);
                break;
            }
        }
        return All.Where(found.ContainsKey).Select(s => new Match(s, found[s].Line, found[s].Count)).ToList();
    }

    private static bool MentionsMountPoint(string line, string? mountPoint) =>
        line.Contains("mountpoint", StringComparison.OrdinalIgnoreCase)
        || line.Contains("mount point", StringComparison.OrdinalIgnoreCase)
        || (mountPoint is { Length: > 0 } && line.Contains(mountPoint.TrimEnd('/'), StringComparison.Ordinal));

    [GeneratedRegex(@"failed to open /dev/fuse: Operation not permitted", RegexOptions.IgnoreCase)]
    private static partial Regex FuseNotPermitted();

    [GeneratedRegex(@"fuse:? device not found", RegexOptions.IgnoreCase)]
    private static partial Regex FuseDeviceNotFound();

    [GeneratedRegex(@"mount(ing)? failed.*(Permission denied|Operation not permitted)|fusermount3?: mount failed: (Permission denied|Operation not permitted)", RegexOptions.IgnoreCase)]
    private static partial Regex MountDenied();

    [GeneratedRegex(@"directory already mounted", RegexOptions.IgnoreCase)]
    private static partial Regex AlreadyMounted();

    [GeneratedRegex(@"is not empty", RegexOptions.IgnoreCase)]
    private static partial Regex NotEmpty();

    [GeneratedRegex(@"no such file or directory|mountpoint does not exist", RegexOptions.IgnoreCase)]
    private static partial Regex NoSuchFile();

    [GeneratedRegex(@"didn't find section in config file|config file .*not found", RegexOptions.IgnoreCase)]
    private static partial Regex ConfigMissing();

    [GeneratedRegex(@"\b401 Unauthorized\b|\b403 Forbidden\b|status code:? 40[13]\b|HTTP error 40[13]\b", RegexOptions.IgnoreCase)]
    private static partial Regex BackendAuth();

    [GeneratedRegex(@"connection refused|no such host", RegexOptions.IgnoreCase)]
    private static partial Regex BackendUnreachable();

    [GeneratedRegex(@"address already in use", RegexOptions.IgnoreCase)]
    private static partial Regex AddressInUse();
}
