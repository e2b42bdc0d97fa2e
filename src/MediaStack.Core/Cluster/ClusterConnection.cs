using k8s;
using k8s.KubeConfigModels;
using MediaStack.Core.Errors;

namespace MediaStack.Core.Cluster;

// One API client for one cmdlet invocation, shared by every request and exec it makes,
// plus the namespace and context it resolved to.
public sealed class ClusterConnection : IDisposable
{
    private ClusterConnection(IKubernetes client, string @namespace, string? context, string server, bool inCluster)
    {
        Client = client;
        Namespace = @namespace;
        Context = context;
        Server = server;
        InCluster = inCluster;
    }

    public IKubernetes Client { get; }

    // The namespace to use when the caller names none.
    public string Namespace { get; }

    public string? Context { get; }

    public string Server { get; }

    public bool InCluster { get; }

    // Builds the client from the options; throws a terminating MediaStackException when the
    // kubeconfig is missing or malformed or the context unknown. Does not contact the server.
    public static ClusterConnection Open(ClusterOptions options)
    {
        var kubeConfig = KubeConfigSource.Load(options.KubeConfig);
        if (kubeConfig is null)
        {
            return OpenInCluster(options);
        }
        var contextName = string.IsNullOrEmpty(options.Context) ? kubeConfig.CurrentContext : options.Context;
        if (string.IsNullOrEmpty(contextName))
        {
            throw new MediaStackException(
                ErrorIds.KubeContextNotFound,
                ErrorCategory.InvalidArgument,
                "The kubeconfig sets no current context and -Context was not given.",
                null,
                "Pass -Context, or run 'kubectl config use-context <name>'.");
        }
        var context = kubeConfig.Contexts?.FirstOrDefault(candidate => candidate.Name == contextName);
        if (context is null)
        {
            var known = string.Join(", ", (kubeConfig.Contexts ?? []).Select(candidate => candidate.Name));
            throw new MediaStackException(
                ErrorIds.KubeContextNotFound,
                ErrorCategory.ObjectNotFound,
                $"The context '{contextName}' is not in the kubeconfig (known: {(known.Length == 0 ? "none" : known)}).",
                contextName,
                "Pass one of the known contexts to -Context.");
        }
        KubernetesClientConfiguration configuration;
        try
        {
            configuration = KubernetesClientConfiguration.BuildConfigFromConfigObject(kubeConfig, contextName);
        }
        catch (Exception exception)
        {
            throw new MediaStackException(
                ErrorIds.KubeConfigInvalid,
                ErrorCategory.InvalidData,
                $"The kubeconfig context '{contextName}' cannot be used: {KubeConfigSource.FirstLine(exception.Message)}",
                contextName,
                "Check the context's cluster and user entries with 'kubectl config view'.",
                exception);
        }
        var @namespace = Pick(options.Namespace, context.ContextDetails?.Namespace, options.DefaultNamespace);
        return Create(configuration, @namespace, contextName, inCluster: false);
    }

    private static ClusterConnection OpenInCluster(ClusterOptions options)
    {
        if (!KubernetesClientConfiguration.IsInCluster())
        {
            var tried = string.Join(", ", KubeConfigSource.CandidatePaths(null));
            throw new MediaStackException(
                ErrorIds.KubeConfigNotFound,
                ErrorCategory.ObjectNotFound,
                $"No kubeconfig found ({tried}) and not running inside a pod with a service account.",
                null,
                "Pass -KubeConfig, set $env:KUBECONFIG, or log in with 'oc login' / 'kubectl config'.");
        }
        KubernetesClientConfiguration configuration;
        try
        {
            configuration = KubernetesClientConfiguration.InClusterConfig();
        }
        catch (Exception exception)
        {
            throw new MediaStackException(
                ErrorIds.KubeConfigInvalid,
                ErrorCategory.InvalidData,
                $"The in-cluster service account configuration cannot be used: {KubeConfigSource.FirstLine(exception.Message)}",
                null,
                "Check that the pod mounts its service account token (automountServiceAccountToken).",
                exception);
        }
        var @namespace = Pick(options.Namespace, configuration.Namespace, options.DefaultNamespace);
        return Create(configuration, @namespace, null, inCluster: true);
    }

    private static ClusterConnection Create(KubernetesClientConfiguration configuration, string @namespace, string? context, bool inCluster)
    {
        // Exec-plugin and token-file credentials are refreshed by the client itself; throttled
        // and failed reads are retried as kubectl retries them (RetryHandler).
        var client = new Kubernetes(configuration, new RetryHandler());
        return new ClusterConnection(client, @namespace, context, configuration.Host, inCluster);
    }

    private static string Pick(params string?[] values) => values.First(value => !string.IsNullOrEmpty(value))!;

    public void Dispose() => Client.Dispose();
}
