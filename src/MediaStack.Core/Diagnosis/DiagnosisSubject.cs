using System.Text.Json.Nodes;
using MediaStack.Core.Diagnosis.Model;
using MediaStack.Core.Diagnosis.Runtime;

namespace MediaStack.Core.Diagnosis;

// One thing to diagnose: a Deployment (from a file or the cluster) and, in live mode, one of
// its pods with the evidence collected from it. Either Deployment or Pod must be set.
public sealed record DiagnosisSubject(DiagnosisTarget Target, JsonObject? Deployment, JsonObject? Pod, RuntimeEvidence? Evidence);
