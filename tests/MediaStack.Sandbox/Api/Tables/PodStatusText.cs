using System.Text.Json.Nodes;
using MediaStack.Sandbox.Json;

namespace MediaStack.Sandbox.Api.Tables;

// The STATUS, READY and RESTARTS columns of `kubectl get pods`, computed the way the
// server-side printer does (Init:x/y, CrashLoopBackOff, Completed, Terminating ...).
public static class PodStatusText
{
    public sealed record Row(string Ready, string Status, string Restarts);

    public static Row Compute(JsonObject pod, DateTimeOffset now)
    {
        var status = pod.Obj("status");
        var reason = status.Str("reason") is { Length: > 0 } r ? r : status.Str("phase") ?? "Pending";
        var containers = pod.Objects("spec", "containers").ToList();
        var total = containers.Count;
        var ready = 0;
        var restarts = 0L;
        DateTimeOffset? lastRestart = null;

        void CountRestarts(JsonObject cs)
        {
            restarts += cs.Long("restartCount") ?? 0;
            if (cs.Time("lastState", "terminated", "finishedAt") is { } t && (lastRestart is null || t > lastRestart)) lastRestart = t;
        }

        var sidecars = pod.Objects("spec", "initContainers").Where(c => c.Str("restartPolicy") == "Always").Select(c => c.Str("name")).ToHashSet();
        total += sidecars.Count;
        var initializing = false;
        var initStatuses = status.Objects("initContainerStatuses").ToList();
        var initCount = pod.Objects("spec", "initContainers").Count();
        for (int i = 0; i < initStatuses.Count; i++)
        {
            var cs = initStatuses[i];
            CountRestarts(cs);
            var isSidecar = sidecars.Contains(cs.Str("name"));
            if (cs.Obj("state", "terminated") is { } term && term.Long("exitCode") == 0) continue;
            if (isSidecar && cs.Bool("started") == true)
            {
                if (cs.Bool("ready") == true) ready++;
                continue;
            }
            if (cs.Obj("state", "terminated") is { } failed)
            {
                reason = failed.Str("reason") is { Length: > 0 } fr ? $"Init:{fr}"
                    : failed.Long("signal") is { } sig && sig != 0 ? $"Init:Signal:{sig}" : $"Init:ExitCode:{failed.Long("exitCode")}";
            }
            else if (cs.Str("state", "waiting", "reason") is { Length: > 0 } wr && wr != "PodInitializing")
                reason = $"Init:{wr}";
            else
                reason = $"Init:{i}/{initCount}";
            initializing = true;
            break;
        }

        if (!initializing)
        {
            var hasRunning = false;
            var statuses = status.Objects("containerStatuses").ToList();
            for (int i = statuses.Count - 1; i >= 0; i--)
            {
                var cs = statuses[i];
                CountRestarts(cs);
                if (cs.Str("state", "waiting", "reason") is { Length: > 0 } waiting) reason = waiting;
                else if (cs.Obj("state", "terminated") is { } term)
                {
                    reason = term.Str("reason") is { Length: > 0 } tr ? tr
                        : term.Long("signal") is { } sig && sig != 0 ? $"Signal:{sig}" : $"ExitCode:{term.Long("exitCode")}";
                }
                else if (cs.Bool("ready") == true && cs.Obj("state", "running") is not null)
                {
                    hasRunning = true;
                    ready++;
                }
            }
            if (reason == "Completed" && hasRunning)
                reason = status.Objects("conditions").Any(c => c.Str("type") == "Ready" && c.Str("status") == "True") ? "Running" : "NotReady";
        }

        if (pod.At("metadata", "deletionTimestamp") is not null)
            reason = status.Str("reason") == "NodeLost" ? "Unknown" : "Terminating";

        var restartText = restarts.ToString();
        if (lastRestart is { } last && restarts > 0)
            restartText = $"{restarts} ({HumanDuration.Format(now - last)} ago)";
        return new Row($"{ready}/{total}", reason, restartText);
    }
}
