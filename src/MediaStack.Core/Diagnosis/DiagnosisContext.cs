using System.Text.Json.Nodes;
using MediaStack.Core.Config;
using MediaStack.Core.Diagnosis.Model;
using MediaStack.Core.Diagnosis.Runtime;
using MediaStack.Core.Diagnosis.Workload;

namespace MediaStack.Core.Diagnosis;

// Everything one rule may look at for one target: the spec view, and in live mode the
// runtime evidence collected from the cluster (null in static mode).
public sealed class DiagnosisContext
{
    public DiagnosisContext(DiagnosisTarget target, PodSpecView view, JsonObject? workloadMetadata, RuntimeEvidence? evidence)
    {
        Target = target;
        View = view;
        WorkloadMetadata = workloadMetadata;
        Evidence = evidence;
    }

    public DiagnosisTarget Target { get; }

    public PodSpecView View { get; }

    public MediaStackConfig Config => View.Config;

    // The Deployment's own metadata (labels, annotations), not the pod template's.
    public JsonObject? WorkloadMetadata { get; }

    public RuntimeEvidence? Evidence { get; }

    // Static mode: a manifest file, no cluster behind it.
    public bool IsStatic => Evidence is null;

    public MountFinding Problem(RuleInfo rule, Severity severity, string message, string evidence, string remedy,
        ContainerView? container = null, RcloneMount? mount = null) =>
        new(rule, severity, Target, message)
        {
            Container = container?.Name,
            Mount = mount?.Name,
            Evidence = evidence,
            Remedy = remedy,
        };

    public MountFinding Pass(RuleInfo rule, string message, string evidence = "", ContainerView? container = null, RcloneMount? mount = null) =>
        new(rule, Severity.Pass, Target, message)
        {
            Container = container?.Name,
            Mount = mount?.Name,
            Evidence = evidence,
        };
}
