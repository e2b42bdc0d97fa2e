using System.Text.Json.Nodes;
using MediaStack.Core.Diagnosis.Model;

namespace MediaStack.Core.Diagnosis.Runtime;

// Parity check 1: phase and node; and a Deployment that should have a pod but has none.
public sealed class PodStatusRule : IRuntimeRule
{
    public IEnumerable<MountFinding> Check(DiagnosisContext context)
    {
        if (context.Evidence is not { } evidence)
        {
            yield break;
        }
        if (evidence.Pod is not { } pod)
        {
            if (evidence.DesiredReplicas > 0)
            {
                yield return context.Problem(Rules.PodNotRunning, Severity.Error,
                    $"Deployment {context.Target.Deployment} wants {evidence.DesiredReplicas} pod(s) but none exists: pod creation is being refused.",
                    $"deployment/{context.Target.Deployment}: spec.replicas = {evidence.DesiredReplicas}, pods = 0",
                    "See the FailedCreate event finding (MS212) for why; usually SCC or Pod Security admission.");
            }
            yield break;
        }
        var phase = pod["status"]?["phase"]?.ToString() ?? "Unknown";
        var node = pod["spec"]?["nodeName"]?.ToString();
        if (pod["metadata"]?["deletionTimestamp"] is { } deleting)
        {
            yield return context.Problem(Rules.PodNotRunning, Severity.Warning,
                $"The pod is terminating (since {deleting}); a FUSE mount that was not unmounted can keep it there.",
                $"metadata.deletionTimestamp = {deleting}",
                "If it stays Terminating, a stale mount blocks volume teardown on the node: clear it there (fusermount3 -uz) or force-delete the pod.");
            yield break;
        }
        if (phase == "Running")
        {
            yield return context.Pass(Rules.PodNotRunning, $"Running on {node}.", $"status.phase = Running, spec.nodeName = {node}");
            yield break;
        }
        var waiting = Waiting(pod).ToList();
        var why = waiting.Count > 0 ? string.Join("; ", waiting) : pod["status"]?["reason"]?.ToString() ?? "no reason given";
        yield return context.Problem(Rules.PodNotRunning, Severity.Error,
            $"The pod is {phase} ({why}){(node is null ? ", not scheduled" : $" on {node}")}.",
            $"status.phase = {phase}{(waiting.Count > 0 ? "; " + string.Join("; ", waiting) : "")}",
            "The event and container-state findings of this pod name the cause.");
    }

    private static IEnumerable<string> Waiting(JsonObject pod)
    {
        foreach (var key in new[] { "initContainerStatuses", "containerStatuses" })
        {
            foreach (var status in (pod["status"]?[key] as JsonArray ?? []).OfType<JsonObject>())
            {
                if (status["state"]?["waiting"]?["reason"] is { } reason)
                {
                    yield return $"{status["name"]}: {reason}";
                }
            }
        }
    }
}
