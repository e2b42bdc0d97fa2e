using MediaStack.Core.Cluster;
using MediaStack.Core.Pods;

namespace MediaStack.Core.Probes;

// Turns what the probe saw (or why it could not look) into one MountStatus per mount.
public static class MountGrader
{
    public const string NotConnected = "Transport endpoint is not connected";

    // Exit codes of a command ended by `timeout`: 124 (TERM), 137 (KILL = 128 + 9).
    private static bool IsTimeoutExit(int? code) => code is 124 or 137;

    // The mounts of this pod that a sidecar serves; an exec is needed only when there is one.
    public static bool NeedsExec(MediaPod pod, IReadOnlyList<MountProbeTarget> mounts) =>
        pod.IsRunning && pod.AppContainer is not null && mounts.Any(mount => pod.SidecarFor(mount.Name, mount.MountPath) is not null);

    // Grades without an exec: SKIP for pods not running and for mounts no sidecar serves;
    // `failure` (the exec could not run) or `timedOut` for the rest.
    public static PodMountReport Grade(MediaPod pod, IReadOnlyList<MountProbeTarget> mounts, ExecResult? exec, string? failure, ProbeTimeouts timeouts, int maxEntries, int durationMs)
    {
        // A cut-off exec still reports the mounts it finished (each ends with its latency).
        var report = exec is null ? null : ProbeReport.Parse(exec.Stdout);
        var statuses = new List<MountStatus>(mounts.Count);
        for (var index = 0; index < mounts.Count; index++)
        {
            var mount = mounts[index];
            MountStatus Make(MountHealth health, string reason, MountObservation? seen = null, long? entries = null, bool capped = false) => new()
            {
                Name = pod.Name,
                Namespace = pod.Namespace,
                Node = pod.Node,
                Container = pod.AppContainer,
                Mount = mount.Name,
                Path = mount.ProbeFullPath,
                Status = health,
                Entries = entries,
                EntriesCapped = capped,
                FsType = seen?.FsType,
                LatencyMs = seen?.LatencyMs,
                ReadFile = seen?.ReadFile,
                ReadBytes = seen?.ReadBytes,
                ReadLatencyMs = seen?.ReadLatencyMs,
                Reason = reason,
            };

            if (!pod.IsRunning)
            {
                statuses.Add(Make(MountHealth.SKIP, $"pod is {pod.Phase}{(pod.Node is null ? ", not scheduled" : "")}"));
                continue;
            }
            if (pod.SidecarFor(mount.Name, mount.MountPath) is null)
            {
                statuses.Add(Make(MountHealth.SKIP, $"no rclone sidecar in the pod mounts {mount.MountPath}"));
                continue;
            }
            if (failure is not null)
            {
                statuses.Add(Make(MountHealth.FAIL, $"the check could not run in container {pod.AppContainer}: {failure}"));
                continue;
            }
            if (exec is null || exec.TimedOut && report?.Mounts.GetValueOrDefault(index) is not { LatencyMs: not null })
            {
                statuses.Add(Make(MountHealth.TIMEOUT, $"the check did not finish within {timeouts.Total.TotalSeconds:0} s (a hung mount, or the exec itself hung); it was cancelled"));
                continue;
            }
            if (report is null || !report.Mounts.TryGetValue(index, out var seen))
            {
                statuses.Add(Make(MountHealth.FAIL, ExecFailureReason(exec)));
                continue;
            }
            var graded = GradeObservation(mount, seen, pod.SidecarFor(mount.Name, mount.MountPath), timeouts, maxEntries, Make);
            statuses.Add(timeouts.Deep && graded.Status is MountHealth.OK or MountHealth.WARN
                ? GradeRead(mount, seen, graded, timeouts, exec.TimedOut, Make)
                : graded);
        }
        return new PodMountReport
        {
            Name = pod.Name,
            Namespace = pod.Namespace,
            Node = pod.Node,
            Container = pod.AppContainer,
            Mounts = statuses,
            DurationMs = durationMs,
            MediaPod = pod,
        };
    }

    private static MountStatus GradeObservation(
        MountProbeTarget mount,
        MountObservation seen,
        RcloneSidecar? sidecar,
        ProbeTimeouts timeouts,
        int maxEntries,
        Func<MountHealth, string, MountObservation?, long?, bool, MountStatus> make)
    {
        if (IsTimeoutExit(seen.StatExitCode))
        {
            return make(MountHealth.TIMEOUT, $"stat {mount.MountPath} did not return within {timeouts.StatSeconds} s: the mount hangs", seen, null, false);
        }
        if (Contains(seen.StatError, NotConnected) || Contains(seen.ListError, NotConnected))
        {
            return make(MountHealth.STALE, $"{mount.MountPath}: {NotConnected} (the rclone process died without unmounting)", seen, null, false);
        }
        if (seen.StatExitCode is not 0)
        {
            return Contains(seen.StatError, "No such file or directory")
                ? make(MountHealth.FAIL, $"{mount.MountPath} does not exist in the app container (init-dirs missing, or the volume is not mounted there)", seen, null, false)
                : make(MountHealth.FAIL, $"stat {mount.MountPath} failed: {seen.StatError ?? $"exit code {seen.StatExitCode}"}", seen, null, false);
        }
        if (!seen.IsMounted || !seen.FsType!.StartsWith("fuse", StringComparison.Ordinal))
        {
            var what = seen.IsMounted ? $"a {seen.FsType} mount" : "no mount";
            var why = sidecar is { Ready: false }
                ? $"its sidecar {sidecar.Container} is not ready ({sidecar.State ?? "not started"}, {sidecar.Restarts} restarts)"
                : sidecar is { Ready: true }
                    ? $"its sidecar {sidecar.Container} is running, so the mount does not reach the app: mountPropagation HostToContainer missing on the app container"
                    : "mountPropagation HostToContainer missing on the app, or the sidecar is not mounting";
            return make(MountHealth.NOTMOUNTED, $"{mount.MountPath} exists but the app container has {what} there, not the rclone FUSE mount: {why}", seen, null, false);
        }
        if (IsTimeoutExit(seen.ListExitCode))
        {
            return make(MountHealth.TIMEOUT, $"listing {mount.ProbeFullPath} did not finish within {timeouts.ListSeconds} s: the backend or the mount hangs", seen, seen.Count, false);
        }
        var capped = seen.Count > maxEntries;
        var entries = capped ? maxEntries : seen.Count ?? 0;
        if (seen.ListExitCode is not 0 && !capped)
        {
            var why = seen.ListError ?? $"ls exit code {seen.ListExitCode}";
            return make(MountHealth.FAIL, Contains(why, "No such file or directory")
                ? $"{mount.ProbeFullPath} is missing inside the mount ({seen.FsType} from {seen.Source ?? "?"}): the remote is empty or unreachable"
                : $"listing {mount.ProbeFullPath} failed: {why}", seen, null, false);
        }
        var health = entries > mount.OkAbove ? MountHealth.OK : entries > mount.WarnAbove ? MountHealth.WARN : MountHealth.FAIL;
        var count = capped ? $"more than {maxEntries}" : entries.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var reason = health switch
        {
            MountHealth.OK => $"{count} entries (OK above {mount.OkAbove})",
            MountHealth.WARN => $"{count} entries (OK needs more than {mount.OkAbove}, WARN above {mount.WarnAbove})",
            _ => $"{count} entries in {mount.ProbeFullPath} (needs more than {mount.WarnAbove}): the remote looks empty or the backend is not answering",
        };
        return make(health, reason, seen, entries, capped);
    }

    // A listing can come from rclone's directory cache while the backend is down or hangs; the
    // deep read is what reaches the backend, so its failure overrides a good count.
    private static MountStatus GradeRead(
        MountProbeTarget mount,
        MountObservation seen,
        MountStatus listed,
        ProbeTimeouts timeouts,
        bool cutOff,
        Func<MountHealth, string, MountObservation?, long?, bool, MountStatus> make)
    {
        var file = seen.ReadFile ?? $"a file under {mount.ProbeFullPath}";
        const string cached = "the listing came from rclone's directory cache";
        if (seen.NothingToRead)
        {
            return make(listed.Status, $"{listed.Reason}; no file within 3 levels of {mount.ProbeFullPath} to read", seen, listed.Entries, listed.EntriesCapped);
        }
        if (IsTimeoutExit(seen.ReadExitCode) || (seen.ReadExitCode is null && cutOff))
        {
            return make(MountHealth.TIMEOUT, $"reading the first bytes of {file} did not finish within {timeouts.ReadSeconds} s: the backend hangs ({cached})", seen, listed.Entries, listed.EntriesCapped);
        }
        if (seen.ReadExitCode is null)
        {
            return make(MountHealth.FAIL, $"the deep read of {mount.ProbeFullPath} reported nothing", seen, listed.Entries, listed.EntriesCapped);
        }
        if (Contains(seen.ReadError, NotConnected))
        {
            return make(MountHealth.STALE, $"{file}: {NotConnected} (the rclone process died without unmounting)", seen, null, false);
        }
        if (seen.ReadExitCode is not 0)
        {
            var why = seen.ReadError ?? $"head exit code {seen.ReadExitCode}";
            return make(MountHealth.FAIL, $"reading {file} failed: {why}: the backend is down or refuses ({cached})", seen, listed.Entries, listed.EntriesCapped);
        }
        var bytes = seen.ReadBytes is { } count ? $"{count} bytes" : "the first bytes";
        return make(listed.Status, $"{listed.Reason}; read {bytes} of {file} in {seen.ReadLatencyMs ?? 0} ms", seen, listed.Entries, listed.EntriesCapped);
    }

    private static string ExecFailureReason(ExecResult exec)
    {
        var stderr = exec.Stderr.Trim();
        if (exec.Failure is not null)
        {
            return $"the check could not run: {exec.Failure}{(stderr.Length > 0 ? $" ({FirstLine(stderr)})" : "")}";
        }
        return stderr.Length > 0
            ? $"the check script failed (exit code {exec.ExitCode}): {FirstLine(stderr)}"
            : $"the check script reported nothing for this mount (exit code {exec.ExitCode})";
    }

    private static string FirstLine(string text) => text.Split('\n', 2)[0].Trim();

    private static bool Contains(string? text, string value) =>
        text is not null && text.Contains(value, StringComparison.OrdinalIgnoreCase);
}
