using k8s;
using k8s.KubeConfigModels;
using MediaStack.Core.Errors;

namespace MediaStack.Core.Cluster;

// Finds and reads the kubeconfig the way kubectl does: an explicit file, else the files in
// $KUBECONFIG merged (first occurrence of a name wins), else ~/.kube/config. Returns null
// when none of them exists, so the caller can fall back to the in-cluster service account.
public static class KubeConfigSource
{
    public const string EnvironmentVariable = "KUBECONFIG";

    public static string DefaultPath =>
        Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".kube", "config");

    // The files that would be read, in priority order (they may not exist).
    public static IReadOnlyList<string> CandidatePaths(string? explicitPath)
    {
        if (!string.IsNullOrWhiteSpace(explicitPath))
        {
            return [Path.GetFullPath(explicitPath)];
        }
        var fromEnvironment = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(fromEnvironment))
        {
            return fromEnvironment
                .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(path => Path.GetFullPath(path.Trim('"')))
                .ToList();
        }
        return [DefaultPath];
    }

    // Reads the kubeconfig; null when no candidate exists and none was named explicitly.
    public static K8SConfiguration? Load(string? explicitPath)
    {
        var candidates = CandidatePaths(explicitPath);
        var existing = candidates.Where(File.Exists).ToList();
        if (existing.Count == 0)
        {
            if (!string.IsNullOrWhiteSpace(explicitPath))
            {
                throw new MediaStackException(
                    ErrorIds.KubeConfigNotFound,
                    ErrorCategory.ObjectNotFound,
                    $"The kubeconfig file '{candidates[0]}' does not exist.",
                    candidates[0],
                    "Pass the path of an existing kubeconfig to -KubeConfig, or leave it out to use $env:KUBECONFIG or ~/.kube/config.");
            }
            return null;
        }
        K8SConfiguration? merged = null;
        foreach (var path in existing)
        {
            var config = Read(path);
            merged = merged is null ? config : Merge(merged, config);
        }
        return merged;
    }

    private static K8SConfiguration Read(string path)
    {
        try
        {
            var config = KubernetesClientConfiguration.LoadKubeConfig(new FileInfo(path));
            if (config is null)
            {
                throw new InvalidDataException("the file is empty");
            }
            return config;
        }
        catch (Exception exception) when (exception is not MediaStackException)
        {
            throw new MediaStackException(
                ErrorIds.KubeConfigInvalid,
                ErrorCategory.InvalidData,
                $"The kubeconfig file '{path}' cannot be read: {FirstLine(exception.Message)}",
                path,
                "Check the file with 'kubectl config view --kubeconfig <path>'.",
                exception);
        }
    }

    // kubectl's merge rule: the first file that defines a name wins; current-context comes
    // from the first file that sets it.
    private static K8SConfiguration Merge(K8SConfiguration first, K8SConfiguration second)
    {
        static List<T> Union<T>(IEnumerable<T>? a, IEnumerable<T>? b, Func<T, string> name) =>
            (a ?? []).Concat(b ?? []).GroupBy(name).Select(group => group.First()).ToList();

        first.Clusters = Union(first.Clusters, second.Clusters, cluster => cluster.Name);
        first.Contexts = Union(first.Contexts, second.Contexts, context => context.Name);
        first.Users = Union(first.Users, second.Users, user => user.Name);
        if (string.IsNullOrEmpty(first.CurrentContext))
        {
            first.CurrentContext = second.CurrentContext;
        }
        return first;
    }

    internal static string FirstLine(string text)
    {
        var line = text.Split('\n', 2)[0].Trim();
        return line.Length > 300 ? line[..300] + "..." : line;
    }
}
