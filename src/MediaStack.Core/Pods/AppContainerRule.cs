namespace MediaStack.Core.Pods;

// Which container of a pod is the app: one rule for Get-MediaPod, the sidecar planner and
// the diagnosis. In order: the kubectl.kubernetes.io/default-container annotation; the
// container named after the owning workload or its app labels; the first container that is
// not a sidecar and mounts the mount root; unless the mount root is required, the first
// container that is not a sidecar. Sidecars never qualify, and containers[0] is never taken
// just for being first: in sidecar deployments the sidecars come first.
public static class AppContainerRule
{
    public const string DefaultContainerAnnotation = "kubectl.kubernetes.io/default-container";

    public sealed record Candidate(string Name, bool IsSidecar, bool MountsRoot);

    public static (string? Name, string Reason) Find(
        IReadOnlyList<Candidate> containers,
        string? annotation,
        IEnumerable<(string? Name, string Source)> namedAfter,
        bool requireMountRoot)
    {
        var apps = containers.Where(container => !container.IsSidecar).ToList();
        if (annotation is not null && apps.Any(container => container.Name == annotation))
        {
            return (annotation, $"annotation {DefaultContainerAnnotation}");
        }
        foreach (var (name, source) in namedAfter)
        {
            if (!string.IsNullOrEmpty(name) && apps.Any(container => container.Name == name))
            {
                return (name, $"named after the {source}");
            }
        }
        if (apps.FirstOrDefault(container => container.MountsRoot) is { } mounting)
        {
            return (mounting.Name, "first container that is not a known sidecar and mounts the mount root");
        }
        if (!requireMountRoot && apps.Count > 0)
        {
            return (apps[0].Name, "first container that is not a known sidecar");
        }
        return (null, "no container is named after the workload, carries the default-container annotation or mounts the mount root");
    }
}
