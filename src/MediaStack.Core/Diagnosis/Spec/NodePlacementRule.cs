using MediaStack.Core.Workloads;
using System.Text.Json.Nodes;
using MediaStack.Core.Diagnosis.Model;

namespace MediaStack.Core.Diagnosis.Spec;

// Parity check 9: a hard nodeSelector (or required node affinity) makes one node a single
// point of failure; the stack prefers nodes softly.
public sealed class NodePlacementRule : IMountRule
{
    private static readonly HashSet<string> PlatformLabels = new(StringComparer.Ordinal)
    {
        "kubernetes.io/os", "kubernetes.io/arch", "beta.kubernetes.io/os", "beta.kubernetes.io/arch",
    };

    public bool AppliesTo(WorkloadKind kind) => kind is WorkloadKind.MediaApp or WorkloadKind.Gateway;

    public IEnumerable<MountFinding> Check(DiagnosisContext context)
    {
        var spec = context.Workload.PodSpec;
        var path = context.Workload.SpecPath;
        // Selecting an OS or CPU architecture is not pinning to a node.
        if (spec["nodeSelector"] is JsonObject selector && selector.Any(label => !PlatformLabels.Contains(label.Key)))
        {
            yield return context.Problem(Rules.HardNodeSelector, Severity.Warning,
                "The pod is pinned with a nodeSelector: when that node is down the app cannot start anywhere else.",
                $"{path}.nodeSelector = {selector.ToJsonString()}",
                "Replace the nodeSelector with a preferredDuringSchedulingIgnoredDuringExecution node affinity.");
            yield break;
        }
        var required = spec["affinity"]?["nodeAffinity"]?["requiredDuringSchedulingIgnoredDuringExecution"];
        if (required is not null)
        {
            yield return context.Problem(Rules.HardNodeSelector, Severity.Warning,
                "The pod requires specific nodes (required node affinity) instead of preferring them.",
                $"{path}.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution = {required.ToJsonString()}",
                "Use preferredDuringSchedulingIgnoredDuringExecution with a weight instead.");
            yield break;
        }
        var preferred = spec["affinity"]?["nodeAffinity"]?["preferredDuringSchedulingIgnoredDuringExecution"];
        yield return context.Pass(Rules.HardNodeSelector,
            preferred is null ? "No node pinning." : "Nodes are preferred, not required.",
            preferred is null ? "" : $"{path}.affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution = {preferred.ToJsonString()}");
    }
}
