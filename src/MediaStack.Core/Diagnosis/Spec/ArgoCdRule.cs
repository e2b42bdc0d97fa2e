using MediaStack.Core.Workloads;
using System.Text.Json.Nodes;
using MediaStack.Core.Diagnosis.Model;
using MediaStack.Core.Reconcile;

namespace MediaStack.Core.Diagnosis.Spec;

// ArgoCD with self-heal reverts live edits: say so before anyone patches the live object.
// Ownership is decided the same way as Add-RcloneSidecar's preflight decides it.
public sealed class ArgoCdRule : IMountRule
{
    public bool AppliesTo(WorkloadKind kind) => true;

    public IEnumerable<MountFinding> Check(DiagnosisContext context)
    {
        if (context.WorkloadMetadata is not { } metadata
            || ClusterWriter.ArgoApplication(new JsonObject { ["metadata"] = metadata.DeepClone() }) is not { } application)
        {
            yield break;
        }
        var tracking = metadata["annotations"]?[ClusterWriter.ArgoTrackingAnnotation]?.ToString();
        yield return context.Problem(Rules.ArgoCdManaged, Severity.Info,
            $"ArgoCD application '{application}' manages this Deployment: a live repair is reverted by self-heal.",
            tracking is not null
                ? $"metadata.annotations[{ClusterWriter.ArgoTrackingAnnotation}] = {tracking}"
                : $"metadata.labels[{ClusterWriter.ArgoInstanceLabel}] = {metadata["labels"]?[ClusterWriter.ArgoInstanceLabel]}",
            "Repair the manifest in git (Repair-MediaMount on findings from Invoke-MountDiagnosis -Path), commit and let ArgoCD sync.");
    }
}
