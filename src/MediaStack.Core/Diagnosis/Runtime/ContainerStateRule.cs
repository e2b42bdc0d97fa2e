using System.Text.Json.Nodes;
using MediaStack.Core.Diagnosis.Model;
using MediaStack.Core.Workloads;

namespace MediaStack.Core.Diagnosis.Runtime;

// Container states: CrashLoopBackOff, restart counts, last termination (OOMKilled), readiness.
public sealed class ContainerStateRule : IRuntimeRule
{
    public const int RestartWarningThreshold = 3;

    public IEnumerable<MountFinding> Check(DiagnosisContext context)
    {
        if (context.Evidence?.Pod is not { } pod)
        {
            yield break;
        }
        var running = pod["status"]?["phase"]?.ToString() == "Running";
        foreach (var (status, path) in Statuses(pod))
        {
            var name = status["name"]?.ToString() ?? "";
            var container = context.Workload.AllContainers.FirstOrDefault(c => c.Name == name);
            var restarts = status["restartCount"]?.GetValue<int>() ?? 0;
            var waiting = status["state"]?["waiting"];
            var lastTerminated = status["lastState"]?["terminated"];
            var terminated = status["state"]?["terminated"];
            var problems = 0;
            if (waiting?["reason"]?.ToString() == "CrashLoopBackOff")
            {
                problems++;
                var last = lastTerminated is null ? "" : $", last exit {lastTerminated["exitCode"]} ({lastTerminated["reason"]})";
                yield return context.Problem(Rules.CrashLoop, Severity.Error,
                    $"{name} is in CrashLoopBackOff after {restarts} restart(s){last}.",
                    $"{path}.state.waiting = CrashLoopBackOff: {waiting["message"]}",
                    container?.Role == ContainerRole.RcloneMount
                        ? "Its log findings (MS22x) say why rclone exits."
                        : $"Read its logs: kubectl logs {context.Target.Pod} -c {name} --previous.",
                    container);
            }
            else if (restarts >= RestartWarningThreshold)
            {
                problems++;
                yield return context.Problem(Rules.FrequentRestarts, Severity.Warning,
                    $"{name} has restarted {restarts} times.",
                    $"{path}.restartCount = {restarts}",
                    $"Read the previous instance's log: kubectl logs {context.Target.Pod} -c {name} --previous.",
                    container);
            }
            var oom = new[] { lastTerminated, terminated }.FirstOrDefault(t => t?["reason"]?.ToString() == "OOMKilled");
            if (oom is not null)
            {
                problems++;
                yield return context.Problem(Rules.OomKilled, Severity.Error,
                    $"{name} was OOMKilled{(container?.Role == ContainerRole.RcloneMount ? ": rclone died without unmounting, which leaves a stale mount" : "")}.",
                    $"{path}.lastState.terminated.reason = OOMKilled (exit {oom["exitCode"]}, finished {oom["finishedAt"]})",
                    container?.Role == ContainerRole.RcloneMount
                        ? "Raise the memory limit, set GOMEMLIMIT below it, lower --buffer-size / VFS cache; then restart the pod to clear the stale mount."
                        : "Raise the container's memory limit.",
                    container);
            }
            if (running && waiting is null && terminated is null && status["ready"]?.GetValue<bool>() == false && problems == 0
                && !(path.Contains("initContainerStatuses", StringComparison.Ordinal) && container?.IsNativeSidecar != true))
            {
                problems++;
                yield return context.Problem(Rules.ContainerNotReady, Severity.Warning,
                    $"{name} is running but not ready.",
                    $"{path}.ready = false",
                    "Its probe (see Unhealthy events) fails; for a sidecar that means the mount check fails.",
                    container);
            }
            if (problems == 0 && waiting is null)
            {
                yield return context.Pass(Rules.CrashLoop, $"{name}: {restarts} restart(s), {(status["ready"]?.GetValue<bool>() == true ? "ready" : "not ready")}.", path, container);
            }
        }
    }

    private static IEnumerable<(JsonObject Status, string Path)> Statuses(JsonObject pod)
    {
        foreach (var key in new[] { "initContainerStatuses", "containerStatuses" })
        {
            var array = pod["status"]?[key] as JsonArray ?? [];
            for (var i = 0; i < array.Count; i++)
            {
                if (array[i] is JsonObject status)
                {
                    yield return (status, $"status.{key}[{i}]");
                }
            }
        }
    }
}
