namespace MediaStack.Core.Diagnosis.Model;

// What a finding concerns: a live pod and its Deployment, a Deployment without pods, or a
// Deployment read from a manifest file (static mode).
public sealed record DiagnosisTarget(string? Namespace, string? Deployment, string? Pod, string? File)
{
    public string? ServiceAccount { get; init; }

    public string Display =>
        Pod is not null ? $"pod/{Pod}"
        : File is not null ? $"deployment/{Deployment} ({Path.GetFileName(File)})"
        : $"deployment/{Deployment}";
}
