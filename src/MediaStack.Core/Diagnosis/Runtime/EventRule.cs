using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using MediaStack.Core.Diagnosis.Model;

namespace MediaStack.Core.Diagnosis.Runtime;

// Events of the pod, its ReplicaSet and Deployment, each known reason mapped to a rule and,
// where the message says it, to its cause (missing secret, SCC, Pod Security ...).
public sealed partial class EventRule : IRuntimeRule
{
    [GeneratedRegex(@"secret ""(?<name>[^""]+)"" not found")]
    private static partial Regex SecretNotFound();

    public IEnumerable<MountFinding> Check(DiagnosisContext context)
    {
        if (context.Evidence is not { } evidence)
        {
            yield break;
        }
        var groups = evidence.Events
            .Where(e => e["type"]?.ToString() != "Normal")
            .GroupBy(e => (Reason: e["reason"]?.ToString() ?? "", Message: e["message"]?.ToString() ?? ""));
        foreach (var group in groups)
        {
            var first = group.First();
            var count = group.Sum(e => e["count"]?.GetValue<int>() ?? 1);
            var involved = $"{first["involvedObject"]?["kind"]}/{first["involvedObject"]?["name"]}";
            var evidenceText = $"event {group.Key.Reason} on {involved} (x{count}): {group.Key.Message}";
            var message = group.Key.Message;
            switch (group.Key.Reason)
            {
                case "FailedMount":
                    var secret = SecretNotFound().Match(message);
                    yield return context.Problem(Rules.FailedMountEvent, Severity.Error,
                        secret.Success
                            ? $"A volume cannot be mounted: secret '{secret.Groups["name"].Value}' does not exist, so the pod stays in ContainerCreating."
                            : "A volume of the pod cannot be mounted, so the pod cannot start.",
                        evidenceText,
                        secret.Success
                            ? $"Create the secret: kubectl create secret generic {secret.Groups["name"].Value} -n {context.Target.Namespace} --from-file=rclone.conf=<path to rclone.conf>."
                            : "Fix the volume named in the event (claim bound? secret/configmap present?).");
                    break;
                case "FailedCreate":
                    var scc = message.Contains("security context constraint", StringComparison.OrdinalIgnoreCase);
                    var psa = message.Contains("violates PodSecurity", StringComparison.Ordinal);
                    yield return context.Problem(Rules.FailedCreateEvent, Severity.Error,
                        scc ? $"Pods are refused by SCC admission: service account '{context.Workload.ServiceAccount ?? "default"}' may not use the privileged SCC."
                        : psa ? "Pods are refused by Pod Security admission: the namespace does not allow privileged pods."
                        : "The ReplicaSet cannot create pods.",
                        evidenceText,
                        scc ? $"Repair-MediaMount -GrantPrivilege, or: oc adm policy add-scc-to-user privileged -z {context.Workload.ServiceAccount ?? "default"} -n {context.Target.Namespace}."
                        : psa ? $"kubectl label namespace {context.Target.Namespace} pod-security.kubernetes.io/enforce=privileged --overwrite."
                        : "Fix what the event message names.");
                    break;
                case "FailedScheduling":
                    yield return context.Problem(Rules.FailedSchedulingEvent, Severity.Error,
                        "The scheduler cannot place the pod.", evidenceText,
                        "Check nodeSelector/affinity (MS115), resource requests and taints against the nodes.");
                    break;
                case "Unhealthy":
                    yield return context.Problem(Rules.ProbeFailedEvent, Severity.Warning,
                        $"A probe failed {count} time(s): {Shorten(message)}", evidenceText,
                        "A failing sidecar probe means its mount path is missing; see the mount and log findings.");
                    break;
                case "BackOff":
                    yield return context.Problem(Rules.BackOffEvent, Severity.Warning,
                        $"The kubelet backs off restarting a container ({count} time(s)).", evidenceText,
                        "See the CrashLoop and log findings of that container.");
                    break;
            }
        }
    }

    private static string Shorten(string text) => text.Length <= 120 ? text : text[..117] + "...";
}
