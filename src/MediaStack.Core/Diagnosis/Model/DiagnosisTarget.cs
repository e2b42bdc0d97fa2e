namespace MediaStack.Core.Diagnosis.Model;

// What a finding concerns: a live pod and its workload, a workload without pods, or a
// workload read from a manifest file (static mode). Deployment holds the workload's name
// whatever its kind (ResourceKind: Deployment, StatefulSet, DaemonSet, ReplicaSet, Pod).
public sealed record DiagnosisTarget(string? Namespace, string? Deployment, string? Pod, string? File)
{
    public string? ServiceAccount { get; init; }

    public string ResourceKind { get; init; } = "Deployment";

    // The document of the file that holds the workload (0 for the first).
    public int DocumentIndex { get; init; }

    // Read from rendered text (helm template, kubectl kustomize): no file and no cluster
    // object to repair.
    public bool Rendered { get; init; }

    public string Display =>
        Pod is not null ? $"pod/{Pod}"
        : Deployment is null && File is not null ? File
        : Deployment is null ? "(the files read)"
        : File is not null ? $"{ResourceKind.ToLowerInvariant()}/{Deployment} ({Path.GetFileName(File)})"
        : Rendered ? $"{ResourceKind.ToLowerInvariant()}/{Deployment} (rendered)"
        : $"{ResourceKind.ToLowerInvariant()}/{Deployment}";
}
