namespace MediaStack.Core.Workloads;

// Which container of a pod is the app, among the containers that are neither rclone, a
// server nor a known helper. In order: the kubectl.kubernetes.io/default-container
// annotation; the container named after the workload or its app labels; the first one that
// sees the media root; unless the media root is required, the first one. containers[0] is
// never taken just for being first: in sidecar deployments the sidecars come first.
public static class AppContainerRule
{
    public const string DefaultContainerAnnotation = "kubectl.kubernetes.io/default-container";

    public sealed record Candidate(string Name, bool SeesMediaRoot);

    public static (string? Name, string Reason) Find(
        IReadOnlyList<Candidate> candidates,
        string? annotation,
        IEnumerable<(string? Name, string Source)> namedAfter,
        bool requireMediaRoot)
    {
        if (annotation is not null && candidates.Any(candidate => candidate.Name == annotation))
        {
            return (annotation, $"annotation {DefaultContainerAnnotation}");
        }
        foreach (var (name, source) in namedAfter)
        {
            if (!string.IsNullOrEmpty(name) && candidates.Any(candidate => candidate.Name == name))
            {
                return (name, $"named after the {source}");
            }
        }
        if (candidates.FirstOrDefault(candidate => candidate.SeesMediaRoot) is { } seeing)
        {
            return (seeing.Name, "first container that is not rclone, a server or a known helper and sees the media root");
        }
        if (!requireMediaRoot && candidates.Count > 0)
        {
            return (candidates[0].Name, "first container that is not rclone, a server or a known helper");
        }
        return (null, "no container is named after the workload, carries the default-container annotation or sees the media root");
    }
}
