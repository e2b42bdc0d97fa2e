using System.Text.Json.Nodes;
using MediaStack.Core.Config;
using MediaStack.Core.Diagnosis.Model;
using MediaStack.Core.Diagnosis.Runtime;
using MediaStack.Core.Diagnosis.Static;
using MediaStack.Core.Workloads;
using MediaStack.Core.Yaml;

namespace MediaStack.Core.Diagnosis;

// Everything one rule may look at for one target: the workload model, the workloads around
// it (the same files, or the same namespace), and in live mode the runtime evidence
// collected from the cluster (null in static mode). In static mode also the document the
// workload was read from (findings point at their line in it) and the other objects of the
// files (LimitRanges, quotas, claims, RBAC).
public sealed class DiagnosisContext
{
    public DiagnosisContext(DiagnosisTarget target, Workload workload, JsonObject? workloadMetadata, RuntimeEvidence? evidence,
        IReadOnlyList<Workload>? neighbours = null, ManifestDocument? document = null, ManifestFacts? facts = null)
    {
        Target = target;
        Workload = workload;
        WorkloadMetadata = workloadMetadata;
        Evidence = evidence;
        Neighbours = neighbours ?? [];
        Document = document;
        Facts = facts;
    }

    public DiagnosisTarget Target { get; }

    public Workload Workload { get; }

    public MediaStackConfig Config => Workload.Config;

    // The owning workload's own metadata (labels, annotations), not the pod template's.
    public JsonObject? WorkloadMetadata { get; }

    public RuntimeEvidence? Evidence { get; }

    // The other workloads read with this one (node-level providers are found among them).
    public IReadOnlyList<Workload> Neighbours { get; }

    // Static mode: a manifest file, no cluster behind it.
    public bool IsStatic => Evidence is null;

    public ManifestDocument? Document { get; }

    // The objects of the files read (static mode only; null on a cluster).
    public ManifestFacts? Facts { get; }

    // at: the JSON pointer of the field the finding is about; else the container's; else the
    // workload's name. Findings from a file carry that position.
    public MountFinding Problem(RuleInfo rule, Severity severity, string message, string evidence, string remedy,
        WorkloadContainer? container = null, string? mount = null, string? at = null) =>
        new(rule, severity, Target, message)
        {
            Container = container?.Name,
            Mount = mount,
            Evidence = evidence,
            Remedy = remedy,
            Position = PositionOf(at, container),
        };

    public MountFinding Pass(RuleInfo rule, string message, string evidence = "", WorkloadContainer? container = null, string? mount = null, string? at = null) =>
        new(rule, Severity.Pass, Target, message)
        {
            Container = container?.Name,
            Mount = mount,
            Evidence = evidence,
            Position = PositionOf(at, container),
        };

    private SourcePosition? PositionOf(string? at, WorkloadContainer? container) =>
        Target.File is null ? null : Document?.PositionOf(at ?? container?.Pointer ?? "/metadata/name");
}
