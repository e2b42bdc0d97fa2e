using System.Text.Json.Nodes;
using MediaStack.Core.Cluster;
using MediaStack.Core.Pods;
using MediaStack.Core.Sidecars;
using MediaStack.Core.Workloads;

namespace MediaStack.Core.Probes;

// Turns what the probe saw (or why it could not look) into one MountStatus per mount the
// pod's app expects (the workload model says which, and what serves each).
public static class MountGrader
{
    public const string NotConnected = "Transport endpoint is not connected";

    // Waiting reasons that do not go away by waiting: NOTREADY at once, grace period or not.
    private static readonly HashSet<string> Stuck = new(StringComparer.Ordinal)
    {
        "CrashLoopBackOff", "ImagePullBackOff", "ErrImagePull", "ErrImageNeverPull", "InvalidImageName",
        "CreateContainerConfigError", "CreateContainerError", "RunContainerError",
    };

    // Exit codes of a command ended by `timeout`: 124 (TERM), 137 (KILL = 128 + 9).
    private static bool IsTimeoutExit(int? code) => code is 124 or 137;

    // The mounts to check in this pod: what its app expects, narrowed to -Mount names.
    public static IReadOnlyList<ExpectedMount> Targets(MediaPod pod, IReadOnlyCollection<string>? names) =>
        pod.ExpectedMounts.Where(mount => names is null || names.Contains(mount.Name, StringComparer.OrdinalIgnoreCase)).ToList();

    // An exec is needed when a served mount can be looked at: the app container is running.
    public static bool NeedsExec(MediaPod pod, IReadOnlyList<ExpectedMount> mounts, MountCheckOptions options, DateTime now) =>
        !pod.IsTerminating && !pod.IsCompleted && mounts.Any(mount => mount.IsServed) && Readiness(pod, options, now).Verdict is null;

    public static PodMountReport Grade(MediaPod pod, IReadOnlyList<ExpectedMount> mounts, ExecResult? exec, string? failure, ProbeTimeouts timeouts, MountCheckOptions options, int durationMs, DateTime now)
    {
        var note = pod.IsTerminating ? "the pod is terminating"
            : pod.IsCompleted ? $"the pod has completed ({pod.Phase})"
            : mounts.Count == 0 ? NoMountsNote(pod)
            : null;
        var statuses = new List<MountStatus>(mounts.Count);
        if (note is null)
        {
            var (verdict, why) = Readiness(pod, options, now);
            // A cut-off exec still reports the mounts it finished (each ends with its latency);
            // the script numbers the served mounts in the order they were sent.
            var report = exec is null ? null : ProbeReport.Parse(exec.Stdout);
            var index = 0;
            foreach (var mount in mounts)
            {
                MountStatus Make(MountHealth health, string reason, MountObservation? seen = null, long? entries = null, bool capped = false) => new()
                {
                    Name = pod.Name,
                    Namespace = pod.Namespace,
                    Node = pod.Node,
                    Container = pod.AppContainer,
                    Mount = mount.Name,
                    Path = mount.ProbeFullPath,
                    ServedBy = mount.ServedBy,
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

                if (!mount.IsServed)
                {
                    statuses.Add(Make(MountHealth.NOSIDECAR, $"{pod.AppContainer} expects {mount.MountPath}, but no rclone sidecar of the pod mounts it and the media volume is not a node-level host path: it stays an empty folder (Add-RcloneSidecar adds the sidecar)"));
                    continue;
                }
                if (verdict is { } state)
                {
                    statuses.Add(Make(state, why));
                    continue;
                }
                var at = index++;
                if (failure is not null)
                {
                    statuses.Add(Make(MountHealth.FAIL, $"the check could not run in container {pod.AppContainer}: {failure}"));
                    continue;
                }
                if (exec is null || exec.TimedOut && report?.Mounts.GetValueOrDefault(at) is not { LatencyMs: not null })
                {
                    statuses.Add(Make(MountHealth.TIMEOUT, $"the check did not finish within {timeouts.Total.TotalSeconds:0} s (a hung mount, or the exec itself hung); it was cancelled"));
                    continue;
                }
                if (report is null || !report.Mounts.TryGetValue(at, out var seen))
                {
                    statuses.Add(Make(MountHealth.FAIL, ExecFailureReason(exec)));
                    continue;
                }
                var graded = GradeObservation(mount, seen, Sidecar(pod, mount), timeouts, options.MaxEntries, Make);
                if (timeouts.Deep && graded.Status is MountHealth.OK or MountHealth.WARN)
                {
                    graded = GradeRead(mount, seen, graded, timeouts, exec.TimedOut, Make);
                }
                statuses.Add(graded.Status == MountHealth.OK && PrivateCopy(pod) is { } copy
                    ? Make(MountHealth.WARN, $"{graded.Reason}, {copy}", seen, graded.Entries, graded.EntriesCapped)
                    : graded);
            }
        }
        return new PodMountReport
        {
            Name = pod.Name,
            Namespace = pod.Namespace,
            Node = pod.Node,
            Container = pod.AppContainer,
            Mounts = statuses,
            Note = note,
            DurationMs = durationMs,
            MediaPod = pod,
        };
    }

    // A media app whose workload wants pods and has none (refused at admission, over quota,
    // no node fits): nothing of it can see the cloud, so every mount it expects is NOTREADY,
    // STARTING while the workload is younger than the grace period and no failure is known.
    // Null when the workload wants no pod, expects no mount (of those named), or is no app.
    public static PodMountReport? WithoutPods(Workload workload, IReadOnlyCollection<string>? names, MountCheckOptions options, DateTime now)
    {
        var mounts = workload.ExpectedMounts.Where(mount => names is null || names.Contains(mount.Name, StringComparer.OrdinalIgnoreCase)).ToList();
        if (workload.Kind != WorkloadKind.MediaApp || mounts.Count == 0 || WantedPods(workload) is not { } wanted || wanted <= 0)
        {
            return null;
        }
        var failure = WorkloadCondition(workload.Resource, "ReplicaFailure", "True");
        var created = WorkloadContainer.Text(WorkloadContainer.At(workload.Resource, "metadata", "creationTimestamp")) is { } stamp
            && DateTime.TryParse(stamp, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AdjustToUniversal, out var at) ? at : (DateTime?)null;
        var young = failure is null && created is { } since && now - since < TimeSpan.FromSeconds(options.StartupGraceSec);
        var name = $"{workload.ResourceKind.ToLowerInvariant()}/{workload.Name}";
        var reason = $"{name} wants {wanted} pod(s) and has none"
            + (failure is not null ? $": {failure}" : young ? " yet" : $" after {options.StartupGraceSec} s")
            + ": the app cannot see its mounts";
        return new PodMountReport
        {
            Name = name,
            Namespace = workload.Namespace ?? "",
            Container = workload.App?.Name,
            Mounts = mounts.Select(mount => new MountStatus
            {
                Name = name,
                Namespace = workload.Namespace ?? "",
                Container = workload.App?.Name,
                Mount = mount.Name,
                Path = mount.ProbeFullPath,
                ServedBy = mount.ServedBy,
                Status = young ? MountHealth.STARTING : MountHealth.NOTREADY,
                Reason = reason,
            }).ToList(),
        };
    }

    // spec.replicas (1 when unset) of a Deployment or StatefulSet; the nodes a DaemonSet is
    // scheduled to; null for a bare pod.
    private static long? WantedPods(Workload workload) => workload.ResourceKind switch
    {
        "Deployment" or "StatefulSet" => WorkloadContainer.At(workload.Resource, "spec", "replicas") is JsonValue replicas && replicas.TryGetValue<long>(out var count) ? count : 1,
        "DaemonSet" => WorkloadContainer.At(workload.Resource, "status", "desiredNumberScheduled") is JsonValue desired && desired.TryGetValue<long>(out var nodes) ? nodes : null,
        _ => null,
    };

    private static string? WorkloadCondition(JsonObject resource, string type, string status) =>
        (WorkloadContainer.At(resource, "status", "conditions") as JsonArray ?? []).OfType<JsonObject>()
            .Where(condition => WorkloadContainer.Text(condition["type"]) == type && WorkloadContainer.Text(condition["status"]) == status)
            .Select(condition => WorkloadContainer.Text(condition["message"]) ?? WorkloadContainer.Text(condition["reason"]) ?? type)
            .FirstOrDefault();

    // The probe targets of the mounts that get looked at, in the order Grade reads them back.
    public static IReadOnlyList<MountProbeTarget> ProbeTargets(IReadOnlyList<ExpectedMount> mounts) =>
        mounts.Where(mount => mount.IsServed).Select(MountProbeTarget.From).ToList();

    private static string NoMountsNote(MediaPod pod) => pod.Kind switch
    {
        WorkloadKind.MediaApp => $"the app expects no mounts ({pod.Workload.MountsNarrowedBy ?? "none configured"})",
        WorkloadKind.Gateway => $"gateway: {pod.Workload.KindReason}",
        WorkloadKind.NodeMountProvider => $"node-level mount provider: its mounts are checked in the apps that read them",
        WorkloadKind.StandaloneRclone => $"legacy standalone rclone ({pod.Workload.KindReason}; MS304)",
        _ => $"not a media workload: {pod.Workload.KindReason}",
    };

    // Null when the app container runs (look at the mounts); else NOTREADY or STARTING and why.
    public static (MountHealth? Verdict, string Reason) Readiness(MediaPod pod, MountCheckOptions options, DateTime now)
    {
        var status = pod.Pod?.Status;
        var app = status?.ContainerStatuses?.FirstOrDefault(container => container.Name == pod.AppContainer);
        if (pod.IsRunning && app?.State?.Running is not null)
        {
            return (null, "");
        }
        var reasons = new List<string>();
        var stuck = false;
        foreach (var container in (status?.InitContainerStatuses ?? []).Concat(status?.ContainerStatuses ?? []))
        {
            if (container.State?.Waiting?.Reason is { } waiting)
            {
                stuck |= Stuck.Contains(waiting);
                reasons.Add($"{container.Name}: {waiting}{(string.IsNullOrEmpty(container.State.Waiting.Message) ? "" : $" ({First(container.State.Waiting.Message)})")}");
            }
            else if (container.State?.Terminated is { } terminated && container.Name == pod.AppContainer)
            {
                stuck = true;
                reasons.Add($"{container.Name}: terminated {terminated.Reason} (exit {terminated.ExitCode})");
            }
        }
        if (status?.Conditions?.FirstOrDefault(condition => condition.Type == "PodScheduled" && condition.Status == "False") is { } unscheduled)
        {
            reasons.Add($"not scheduled: {unscheduled.Reason} {First(unscheduled.Message ?? "")}".TrimEnd());
        }
        if (reasons.Count == 0)
        {
            reasons.Add(app is null ? $"{pod.AppContainer} has not started" : $"{pod.AppContainer} is not running");
        }
        var since = status?.StartTime ?? pod.CreationTimestamp;
        var age = since is { } start ? now - start.ToUniversalTime() : TimeSpan.MaxValue;
        var grace = TimeSpan.FromSeconds(options.StartupGraceSec);
        var why = $"the pod is {pod.Phase} ({string.Join("; ", reasons)})";
        return stuck || age >= grace
            ? (MountHealth.NOTREADY, $"{why}{(stuck ? "" : $" for more than {options.StartupGraceSec} s")}: the app cannot see its mounts")
            : (MountHealth.STARTING, $"{why}, {Math.Max(0, (int)age.TotalSeconds)} s after start: NOTREADY if it lasts {options.StartupGraceSec} s");
    }

    private static RcloneSidecar? Sidecar(MediaPod pod, ExpectedMount mount) =>
        mount.Sidecar is { } sidecar ? pod.RcloneSidecars.FirstOrDefault(candidate => candidate.Container == sidecar.Name) : null;

    private static MountStatus GradeObservation(
        ExpectedMount mount,
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
            // A node-level mount point is made on the node by its provider, not by the pod.
            var missing = mount.ServedByNode
                ? "no node-level provider has made it on this node (none runs here, or it has not started), or the host path is not mounted there"
                : "init-dirs missing, or the volume is not mounted there";
            return Contains(seen.StatError, "No such file or directory")
                ? make(MountHealth.FAIL, $"{mount.MountPath} does not exist in the app container ({missing})", seen, null, false)
                : make(MountHealth.FAIL, $"stat {mount.MountPath} failed: {seen.StatError ?? $"exit code {seen.StatExitCode}"}", seen, null, false);
        }
        if (!seen.IsMounted || !seen.FsType!.StartsWith("fuse", StringComparison.Ordinal))
        {
            var what = seen.IsMounted ? $"a {seen.FsType} mount" : "no mount";
            var why = mount.ServedByNode
                ? "the node-level provider is not mounting on this node, or the app's host-path mount lacks mountPropagation HostToContainer"
                : sidecar is { Ready: false }
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

    // An app that sees the mount without HostToContainer (or Bidirectional) on its media
    // volume got a copy of it when it started after the mount was made: it works now, and
    // goes dead (or stays empty) the next time rclone mounts again. Not healthy.
    private static string? PrivateCopy(MediaPod pod) =>
        pod.Workload.AppMediaMount is { } media && WorkloadContainer.Propagation(media.Mount) is not (DesiredSidecars.HostToContainer or "Bidirectional")
            ? $"but only as a copy made when {pod.AppContainer} started: its mount of {pod.Workload.MediaVolume?.Name} lacks mountPropagation HostToContainer, so a remount (rclone restarting) never reaches it (MS103)"
            : null;

    // A listing can come from rclone's directory cache while the backend is down or hangs; the
    // deep read is what reaches the backend, so its failure overrides a good count.
    private static MountStatus GradeRead(
        ExpectedMount mount,
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
            return $"the check could not run: {exec.Failure}{(stderr.Length > 0 ? $" ({First(stderr)})" : "")}";
        }
        return stderr.Length > 0
            ? $"the check script failed (exit code {exec.ExitCode}): {First(stderr)}"
            : $"the check script reported nothing for this mount (exit code {exec.ExitCode})";
    }

    private static string First(string text) => text.Split('\n', 2)[0].Trim();

    private static bool Contains(string? text, string value) =>
        text is not null && text.Contains(value, StringComparison.OrdinalIgnoreCase);
}
