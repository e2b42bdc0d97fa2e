namespace MediaStack.Core.Workloads;

// Which container of a pod is the app, among the containers that are neither rclone, a
// server nor a known helper. In order: the kubectl.kubernetes.io/default-container
// annotation; the container named after the workload or its app labels; the first one that
// sees the media root; else the first one, which is only a guess when there were others.
// containers[0] is never taken just for being first: in sidecar deployments the sidecars
// come first.
public static class AppContainerRule
{
    public const string DefaultContainerAnnotation = "kubectl.kubernetes.io/default-container";

    public sealed record Candidate(string Name, bool SeesMediaRoot);

    // IsGuess: several candidates and nothing to tell them apart. Checks may look through
    // the guess (a guessed app does not see the media root, so it fails honestly); edits
    // must not act on it.
    public sealed record Choice(string? Name, string Reason, bool IsGuess = false);

    public static Choice Find(
        IReadOnlyList<Candidate> candidates,
        string? annotation,
        IEnumerable<(string? Name, string Source)> namedAfter)
    {
        if (annotation is not null && candidates.Any(candidate => candidate.Name == annotation))
        {
            return new(annotation, $"annotation {DefaultContainerAnnotation}");
        }
        foreach (var (name, source) in namedAfter)
        {
            if (!string.IsNullOrEmpty(name) && candidates.Any(candidate => candidate.Name == name))
            {
                return new(name, $"named after the {source}");
            }
        }
        if (candidates.FirstOrDefault(candidate => candidate.SeesMediaRoot) is { } seeing)
        {
            return new(seeing.Name, "first container that is not rclone, a server or a known helper and sees the media root");
        }
        return candidates.Count switch
        {
            0 => new(null, "no container other than rclone, servers and known helpers"),
            1 => new(candidates[0].Name, "the only container that is not rclone, a server or a known helper"),
            _ => new(candidates[0].Name,
                $"a guess: none of {string.Join(", ", candidates.Select(candidate => candidate.Name))} is named after the workload, carries the {DefaultContainerAnnotation} annotation or sees the media root",
                IsGuess: true),
        };
    }
}
