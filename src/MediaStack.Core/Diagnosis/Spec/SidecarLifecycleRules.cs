using MediaStack.Core.Diagnosis.Model;
using MediaStack.Core.Workloads;

namespace MediaStack.Core.Diagnosis.Spec;

// An rclone killed at the end of its grace period leaves its FUSE mount behind ("Transport
// endpoint is not connected" for whoever still sees it); a preStop unmount ends it cleanly.
public sealed class PreStopUnmountRule : IMountRule
{
    private static readonly string[] Unmounts = ["fusermount", "umount"];

    public bool AppliesTo(WorkloadKind kind) => kind is WorkloadKind.MediaApp or WorkloadKind.NodeMountProvider or WorkloadKind.StandaloneRclone;

    public IEnumerable<MountFinding> Check(DiagnosisContext context)
    {
        foreach (var rclone in context.Workload.RcloneMounts)
        {
            var hook = rclone.Scripts().Where(script => script.Path.Contains(".lifecycle.preStop.", StringComparison.Ordinal)).ToList();
            var mount = context.Workload.MountServedBy(rclone)?.Name;
            if (hook.Any(script => Unmounts.Any(word => script.Text.Contains(word, StringComparison.Ordinal))))
            {
                yield return context.Pass(Rules.PreStopUnmountMissing, $"{rclone.Name} unmounts in its preStop hook.", hook[0].Path, rclone, mount, at: $"{rclone.Pointer}/lifecycle/preStop");
                continue;
            }
            yield return context.Problem(Rules.PreStopUnmountMissing, Severity.Warning,
                $"{rclone.Name} has no preStop hook that unmounts {rclone.Rclone!.MountPoint}: if it is killed, a stale mount stays behind.",
                $"{rclone.Path}.lifecycle.preStop = {(hook.Count == 0 ? "(unset)" : string.Join(" ", hook.Select(script => script.Text)))}",
                $"Add lifecycle.preStop.exec.command: [\"fusermount3\", \"-uz\", \"{rclone.Rclone.MountPoint}\"] (Add-RcloneSidecar -Path ... -Update PreStop does it).",
                rclone, mount, at: $"{rclone.Pointer}/lifecycle");
        }
    }
}

// Classic sidecars start together with the app: nothing makes the app wait for its mounts,
// so it starts (and Plex scans, the *arrs check their root folders) on empty folders unless a
// probe holds it back. Native sidecars (init containers with restartPolicy: Always, Kubernetes
// 1.29+) with a startup probe start before the app does.
public sealed class MountNotAwaitedRule : IMountRule
{
    public IEnumerable<MountFinding> Check(DiagnosisContext context)
    {
        var workload = context.Workload;
        if (workload.SidecarMode != Sidecars.SidecarMode.Classic || workload.App is not { } app)
        {
            yield break;
        }
        var paths = workload.ExpectedMounts.Where(mount => mount.Sidecar is { IsNativeSidecar: false }).Select(mount => mount.MountPath.TrimEnd('/')).ToList();
        var gate = Gate(app, paths);
        if (gate is not null)
        {
            yield return context.Pass(Rules.MountNotAwaited, $"{app.Name} waits for its mounts ({gate}).", "", app);
            yield break;
        }
        var probes = new[] { "startupProbe", "readinessProbe" }
            .Select(name => app.Json[name] is System.Text.Json.Nodes.JsonObject probe ? $"{name}: {Kind(probe)}" : null)
            .OfType<string>().ToList();
        yield return context.Problem(Rules.MountNotAwaited, Severity.Info,
            $"{app.Name} starts with its classic sidecars and no probe checks {string.Join(", ", paths)}: it can start, and be ready, before its mounts exist.",
            $"{app.Path}: {(probes.Count == 0 ? "no startupProbe or readinessProbe" : string.Join("; ", probes))}",
            $"Run the sidecars as native sidecars (Add-RcloneSidecar -SidecarMode Native: init containers with restartPolicy: Always and a startupProbe on the mount), or give {app.Name} a startupProbe that runs: test -d {paths.FirstOrDefault() ?? workload.MediaRoot}/<a folder of the remote>.",
            app, at: $"{app.Pointer}/{(app.Json["readinessProbe"] is not null ? "readinessProbe" : app.Json["startupProbe"] is not null ? "startupProbe" : "name")}");
    }

    // An exec startup or readiness probe, or a wrapper script, that looks at a mount path.
    private static string? Gate(WorkloadContainer app, IReadOnlyList<string> paths)
    {
        foreach (var name in new[] { "startupProbe", "readinessProbe" })
        {
            var command = string.Join(" ", WorkloadContainer.Strings(WorkloadContainer.At(app.Json, name, "exec", "command")));
            if (LooksAtMounts(command, paths))
            {
                return $"{name} runs '{command}'";
            }
        }
        var script = string.Join(" ", app.Command.Concat(app.Args));
        return (script.Contains("until ", StringComparison.Ordinal) || script.Contains("while ", StringComparison.Ordinal)) && LooksAtMounts(script, paths)
            ? "its command waits for the mount"
            : null;
    }

    private static bool LooksAtMounts(string text, IReadOnlyList<string> paths) =>
        text.Length > 0 && (text.Contains("mountpoint", StringComparison.Ordinal) || paths.Any(path => text.Contains(path, StringComparison.Ordinal)));

    private static string Kind(System.Text.Json.Nodes.JsonObject probe) =>
        probe["exec"] is not null ? "exec" : probe["tcpSocket"] is not null ? "tcpSocket" : probe["httpGet"] is not null ? "httpGet" : probe["grpc"] is not null ? "grpc" : "no handler";
}
