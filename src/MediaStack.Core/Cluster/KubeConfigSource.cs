using System.Text;
using System.Text.Json.Nodes;
using k8s;
using k8s.KubeConfigModels;
using MediaStack.Core.Errors;
using MediaStack.Core.Files;
using MediaStack.Core.Yaml;

namespace MediaStack.Core.Cluster;

// What kubectl's lookup depends on: the operating system's rules and the environment. The
// real one by default; tests pass Windows rules and variables to run them on Linux.
public sealed record KubeConfigEnvironment(bool IsWindows, Func<string, string?> Variable)
{
    public static KubeConfigEnvironment Current { get; } = new(OperatingSystem.IsWindows(), Environment.GetEnvironmentVariable);

    // $KUBECONFIG is a path list: ';' on Windows, ':' elsewhere.
    public char ListSeparator => IsWindows ? ';' : ':';

    // An exec plugin command is a path relative to its kubeconfig only when it holds the
    // system's own separator (otherwise it is looked up on PATH).
    public char DirectorySeparator => IsWindows ? '\\' : '/';
}

// Finds and reads the kubeconfig exactly as kubectl (client-go) does: an explicit file, else
// the files in $KUBECONFIG merged (first occurrence of a name wins), else <home>/.kube/config.
// Relative file references in each file (certificate-authority, client-certificate,
// client-key, tokenFile, an exec command with a separator) are made absolute against that
// file's own folder before the merge. Returns null when no file exists and none was named,
// so the caller can fall back to the in-cluster service account.
public static class KubeConfigSource
{
    public const string EnvironmentVariable = "KUBECONFIG";

    public static string DefaultPath => DefaultPathIn(KubeConfigEnvironment.Current);

    // The files that would be read, in priority order (they may not exist).
    public static IReadOnlyList<string> CandidatePaths(string? explicitPath) =>
        CandidatePaths(explicitPath, KubeConfigEnvironment.Current);

    // The candidates that exist: the files a command reads (for -Verbose).
    public static IReadOnlyList<string> ExistingPaths(string? explicitPath) =>
        CandidatePaths(explicitPath).Where(File.Exists).ToList();

    public static K8SConfiguration? Load(string? explicitPath) =>
        Load(explicitPath, KubeConfigEnvironment.Current);

    internal static IReadOnlyList<string> CandidatePaths(string? explicitPath, KubeConfigEnvironment environment)
    {
        if (!string.IsNullOrWhiteSpace(explicitPath))
        {
            return [Path.GetFullPath(explicitPath)];
        }
        var list = environment.Variable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(list))
        {
            // client-go: split on the list separator, drop empty entries and repeats.
            return list
                .Split(environment.ListSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(path => path.Trim('"'))
                .Where(path => path.Length > 0)
                .Distinct(StringComparer.Ordinal)
                .Select(Path.GetFullPath)
                .ToList();
        }
        return [DefaultPathIn(environment)];
    }

    internal static K8SConfiguration? Load(string? explicitPath, KubeConfigEnvironment environment)
    {
        var candidates = CandidatePaths(explicitPath, environment);
        var folder = candidates.FirstOrDefault(Directory.Exists);
        if (folder is not null)
        {
            throw new MediaStackException(
                ErrorIds.KubeConfigNotFound,
                ErrorCategory.InvalidArgument,
                $"The kubeconfig path '{folder}' is a folder, not a kubeconfig file.",
                folder,
                $"Pass the file itself, e.g. '{Path.Combine(folder, "config")}'.");
        }
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
        // kubectl skips an empty file in a list; a list of nothing but empty files, or an
        // empty file named on its own, is an error worth saying plainly.
        var configs = existing.Select(path => Read(path, environment)).OfType<K8SConfiguration>().ToList();
        if (configs.Count == 0)
        {
            throw new MediaStackException(
                ErrorIds.KubeConfigInvalid,
                ErrorCategory.InvalidData,
                $"The kubeconfig {(existing.Count == 1 ? "file" : "files")} '{string.Join("', '", existing)}' {(existing.Count == 1 ? "is" : "are")} empty: no cluster, context or user is defined.",
                existing[0],
                "Point -KubeConfig or $env:KUBECONFIG at your kubeconfig, or log in again with 'oc login' / 'kubectl config set-cluster'.");
        }
        return configs.Skip(1).Aggregate(configs[0], Merge);
    }

    // client-go's homedir.HomeDir. Windows: the first of %HOME%, %HOMEDRIVE%%HOMEPATH%,
    // %USERPROFILE% that holds .kube\config; else the first of %HOME%, %USERPROFILE%,
    // %HOMEDRIVE%%HOMEPATH% that is a writable folder, else the first that exists, else the
    // first that is set. Elsewhere: $HOME. Null when nothing is set.
    internal static string? HomeDirectory(KubeConfigEnvironment environment)
    {
        static string? Set(string? value) => string.IsNullOrEmpty(value) ? null : value;
        var home = Set(environment.Variable("HOME"));
        if (!environment.IsWindows)
        {
            return home;
        }
        var drive = Set(environment.Variable("HOMEDRIVE"));
        var path = Set(environment.Variable("HOMEPATH"));
        var drivePath = drive is not null && path is not null ? drive + path : null;
        var profile = Set(environment.Variable("USERPROFILE"));

        var withConfig = new[] { home, drivePath, profile }.OfType<string>().FirstOrDefault(folder => Path.Exists(Path.Combine(folder, ".kube", "config")));
        if (withConfig is not null)
        {
            return withConfig;
        }
        var ordered = new[] { home, profile, drivePath }.OfType<string>().ToList();
        var existing = ordered.Where(Directory.Exists).ToList();
        return existing.FirstOrDefault(folder => (File.GetAttributes(folder) & FileAttributes.ReadOnly) == 0)
            ?? existing.FirstOrDefault()
            ?? ordered.FirstOrDefault();
    }

    // Without any home variable (a service with a bare environment) the account's profile
    // folder, where kubectl would look relative to the working folder.
    private static string DefaultPathIn(KubeConfigEnvironment environment) =>
        Path.Combine(HomeDirectory(environment) ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".kube", "config");

    // Null for a file that defines nothing (empty, or only comments).
    private static K8SConfiguration? Read(string path, KubeConfigEnvironment environment)
    {
        try
        {
            var text = TextFile.ReadText(path);
            var document = YamlReader.ReadDocuments(text, path).FirstOrDefault();
            if (document is null)
            {
                return null;
            }
            using var stream = new MemoryStream(Encoding.UTF8.GetBytes(text));
            var config = KubernetesClientConfiguration.LoadKubeConfig(stream);
            config.FileName = path;
            MakePathsAbsolute(config, document, Path.GetDirectoryName(path)!, environment);
            return config;
        }
        catch (MediaStackException exception) when (exception.ErrorId is not ErrorIds.KubeConfigInvalid)
        {
            throw Invalid(path, exception.Message, exception);
        }
        catch (Exception exception) when (exception is not MediaStackException)
        {
            throw Invalid(path, FirstLine(exception.Message), exception);
        }
    }

    private static MediaStackException Invalid(string path, string reason, Exception inner) =>
        new(
            ErrorIds.KubeConfigInvalid,
            ErrorCategory.InvalidData,
            $"The kubeconfig file '{path}' cannot be read: {reason}",
            path,
            "Check the file with 'kubectl config view --kubeconfig <path>'.",
            inner);

    // client-go resolves these against the folder of the file that holds them, so that one
    // file's ca.crt is never looked for next to another file after the merge.
    private static void MakePathsAbsolute(K8SConfiguration config, JsonObject document, string folder, KubeConfigEnvironment environment)
    {
        string? Absolute(string? path) =>
            string.IsNullOrEmpty(path) || Path.IsPathFullyQualified(path) ? path : Path.GetFullPath(Path.Combine(folder, path));

        foreach (var cluster in config.Clusters ?? [])
        {
            if (cluster.ClusterEndpoint is { } endpoint)
            {
                endpoint.CertificateAuthority = Absolute(endpoint.CertificateAuthority);
            }
        }
        var tokenFiles = (document["users"] as JsonArray ?? [])
            .OfType<JsonObject>()
            .Where(user => user["name"] is not null && user["user"]?["tokenFile"] is not null)
            .ToDictionary(user => user["name"]!.ToString(), user => user["user"]!["tokenFile"]!.ToString(), StringComparer.Ordinal);
        foreach (var user in config.Users ?? [])
        {
            if (user.UserCredentials is not { } credentials)
            {
                continue;
            }
            credentials.ClientCertificate = Absolute(credentials.ClientCertificate);
            credentials.ClientKey = Absolute(credentials.ClientKey);
            if (credentials.ExternalExecution is { Command: { } command } exec && command.Contains(environment.DirectorySeparator))
            {
                exec.Command = Absolute(command);
            }
            // The client library ignores tokenFile; a token given inline wins, as in kubectl.
            if (string.IsNullOrEmpty(credentials.Token) && tokenFiles.TryGetValue(user.Name, out var tokenFile))
            {
                credentials.Token = ReadToken(Absolute(tokenFile)!, user.Name);
            }
        }
    }

    private static string ReadToken(string path, string user)
    {
        try
        {
            return TextFile.ReadText(path).Trim();
        }
        catch (MediaStackException exception)
        {
            throw new MediaStackException(ErrorIds.KubeConfigInvalid, ErrorCategory.InvalidData,
                $"The tokenFile of user '{user}' cannot be read: {exception.Message}", path,
                "Check the tokenFile path of that user (relative paths start at the kubeconfig's folder).", exception);
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
