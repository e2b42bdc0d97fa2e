using MediaStack.Core.Diagnosis.Model;
using MediaStack.Core.Workloads;

namespace MediaStack.Core.Diagnosis.Runtime;

// Parity check 7, but read instead of dumped: the sidecars' current and previous logs
// searched for the known failure lines.
public sealed class LogSignatureRule : IRuntimeRule
{
    public IEnumerable<MountFinding> Check(DiagnosisContext context)
    {
        if (context.Evidence is not { } evidence)
        {
            yield break;
        }
        foreach (var sidecar in context.Workload.AllContainers.Where(c => c.Role == ContainerRole.RcloneMount))
        {
            var logs = evidence.Logs.Where(log => log.Container == sidecar.Name).ToList();
            if (logs.Count == 0)
            {
                continue;
            }
            var recovered = IsReadyNow(evidence, sidecar.Name);
            var reported = new HashSet<RuleInfo>();
            // The current instance first: its lines describe the present state.
            foreach (var log in logs.OrderBy(log => log.Previous))
            {
                foreach (var match in LogSignatures.Find(log.Text, sidecar.Rclone?.MountPoint))
                {
                    if (!reported.Add(match.Signature.Rule))
                    {
                        continue;
                    }
                    var which = log.Previous ? "previous instance's log" : "log";
                    // A failure of an earlier instance of a sidecar that is ready now is history:
                    // worth knowing, nothing to repair.
                    var history = log.Previous && recovered;
                    yield return context.Problem(match.Signature.Rule, history ? Severity.Info : Severity.Error,
                        history ? $"{sidecar.Name} (earlier instance, ready now): {match.Signature.Cause}." : $"{sidecar.Name}: {match.Signature.Cause}.",
                        $"{which} ({match.Count} line(s)): {match.Line}",
                        match.Signature.Remedy,
                        sidecar);
                }
            }
            if (reported.Count == 0)
            {
                yield return context.Pass(Rules.LogFuseNotPermitted, $"{sidecar.Name}'s logs hold no known failure line.", "", sidecar);
            }
        }
    }

    private static bool IsReadyNow(RuntimeEvidence evidence, string container) =>
        new[] { "containerStatuses", "initContainerStatuses" }
            .SelectMany(key => evidence.Pod?["status"]?[key] as System.Text.Json.Nodes.JsonArray ?? [])
            .Any(status => status?["name"]?.ToString() == container
                && status["ready"]?.GetValue<bool>() == true
                && status["state"]?["running"] is not null);
}
