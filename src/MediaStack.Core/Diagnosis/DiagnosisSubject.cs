using System.Text.Json.Nodes;
using MediaStack.Core.Diagnosis.Model;
using MediaStack.Core.Diagnosis.Runtime;
using MediaStack.Core.Workloads;

namespace MediaStack.Core.Diagnosis;

// One thing to diagnose: the model of what runs (a workload from a file or the cluster, or a
// live pod's own spec) with, in live mode, the evidence collected from the pod. Owner is the
// owning workload as the API or the file holds it (its metadata tells ArgoCD ownership).
// Document is the manifest document it was read from (static mode), for positions.
public sealed record DiagnosisSubject(DiagnosisTarget Target, Workload Workload, JsonObject? Owner, RuntimeEvidence? Evidence)
{
    public ManifestDocument? Document { get; init; }
}
