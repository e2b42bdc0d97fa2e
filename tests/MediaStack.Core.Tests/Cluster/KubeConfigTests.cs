using MediaStack.Core.Cluster;
using MediaStack.Core.Errors;

namespace MediaStack.Core.Tests.Cluster;

// One class: these tests set $KUBECONFIG, which is process-wide, so they must not run in
// parallel with each other.
public sealed class KubeConfigTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("mediastack-kubeconfig-").FullName;
    private readonly string? _saved = Environment.GetEnvironmentVariable(KubeConfigSource.EnvironmentVariable);

    public void Dispose()
    {
        Environment.SetEnvironmentVariable(KubeConfigSource.EnvironmentVariable, _saved);
        Directory.Delete(_folder, recursive: true);
    }

    private string Write(string name, string context, string? @namespace = null, string server = "https://127.0.0.1:6443", string? current = null)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllText(path, $"""
            apiVersion: v1
            kind: Config
            {(current is null ? "" : $"current-context: {current}")}
            contexts:
            - name: {context}
              context:
                cluster: {context}-cluster
                user: {context}-user
                {(@namespace is null ? "" : $"namespace: {@namespace}")}
            clusters:
            - name: {context}-cluster
              cluster:
                server: {server}
                insecure-skip-tls-verify: true
            users:
            - name: {context}-user
              user:
                token: t-{context}
            """);
        return path;
    }

    [Fact]
    public void The_context_namespace_is_the_default_and_an_explicit_one_wins()
    {
        var path = Write("config", "dev", "apps", current: "dev");

        using var byContext = ClusterConnection.Open(new ClusterOptions(path));
        Assert.Equal(("apps", "dev", "https://127.0.0.1:6443/"), (byContext.Namespace, byContext.Context, byContext.Server.TrimEnd('/') + "/"));

        using var explicitNamespace = ClusterConnection.Open(new ClusterOptions(path, Namespace: "media"));
        Assert.Equal("media", explicitNamespace.Namespace);
    }

    [Fact]
    public void Without_a_context_namespace_the_stack_namespace_is_used()
    {
        var path = Write("config", "dev", current: "dev");

        using var connection = ClusterConnection.Open(new ClusterOptions(path));
        Assert.Equal("media-stack", connection.Namespace);
    }

    [Fact]
    public void Kubeconfig_paths_from_the_environment_are_merged_first_one_wins()
    {
        var first = Write("a", "alpha", "ns-a", current: "alpha");
        var second = Write("b", "beta", "ns-b", current: "beta");
        Environment.SetEnvironmentVariable(KubeConfigSource.EnvironmentVariable, string.Join(Path.PathSeparator, first, Path.Combine(_folder, "missing"), second));

        using var current = ClusterConnection.Open(new ClusterOptions());
        Assert.Equal(("alpha", "ns-a"), (current.Context, current.Namespace));
        using var other = ClusterConnection.Open(new ClusterOptions(Context: "beta"));
        Assert.Equal("ns-b", other.Namespace);
    }

    [Fact]
    public void A_missing_explicit_file_is_KubeConfigNotFound()
    {
        var error = Assert.Throws<MediaStackException>(() => ClusterConnection.Open(new ClusterOptions(Path.Combine(_folder, "absent"))));

        Assert.Equal(ErrorIds.KubeConfigNotFound, error.ErrorId);
        Assert.Equal(ErrorCategory.ObjectNotFound, error.Category);
        Assert.NotNull(error.RecommendedAction);
    }

    [Fact]
    public void A_malformed_file_is_KubeConfigInvalid()
    {
        var path = Path.Combine(_folder, "bad");
        File.WriteAllText(path, "contexts: [ {name: x\n  : :");

        var error = Assert.Throws<MediaStackException>(() => ClusterConnection.Open(new ClusterOptions(path)));
        Assert.Equal(ErrorIds.KubeConfigInvalid, error.ErrorId);
        Assert.Contains(path, error.Message);
    }

    [Fact]
    public void An_unknown_context_is_KubeContextNotFound_naming_the_known_ones()
    {
        var path = Write("config", "dev", current: "dev");

        var error = Assert.Throws<MediaStackException>(() => ClusterConnection.Open(new ClusterOptions(path, Context: "prod")));
        Assert.Equal(ErrorIds.KubeContextNotFound, error.ErrorId);
        Assert.Contains("known: dev", error.Message);
    }

    [Fact]
    public void No_current_context_and_none_given_is_KubeContextNotFound()
    {
        var path = Write("config", "dev");

        var error = Assert.Throws<MediaStackException>(() => ClusterConnection.Open(new ClusterOptions(path)));
        Assert.Equal(ErrorIds.KubeContextNotFound, error.ErrorId);
    }
}
