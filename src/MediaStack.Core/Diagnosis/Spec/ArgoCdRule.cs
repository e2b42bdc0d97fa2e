using MediaStack.Core.Diagnosis.Model;

namespace MediaStack.Core.Diagnosis.Spec;

// ArgoCD with self-heal reverts live edits: say so before anyone patches the live object.
public sealed class ArgoCdRule : IMountRule
{
    public const string InstanceLabel = "app.kubernetes.io/instance";
    public const string TrackingAnnotation = "argocd.argoproj.io/tracking-id";

    public IEnumerable<MountFinding> Check(DiagnosisContext context)
    {
        var metadata = context.WorkloadMetadata;
        var tracking = metadata?["annotations"]?[TrackingAnnotation]?.ToString();
        var instance = metadata?["labels"]?[InstanceLabel]?.ToString();
        if (tracking is null && instance is null)
        {
            yield break;
        }
        var application = instance ?? tracking!.Split(':')[0];
        yield return context.Problem(Rules.ArgoCdManaged, Severity.Info,
            $"ArgoCD application '{application}' manages this Deployment: a live repair is reverted by self-heal.",
            tracking is not null ? $"metadata.annotations[{TrackingAnnotation}] = {tracking}" : $"metadata.labels[{InstanceLabel}] = {instance}",
            "Repair the manifest in git (Repair-MediaMount on findings from Invoke-MountDiagnosis -Path), commit and let ArgoCD sync.");
    }
}
