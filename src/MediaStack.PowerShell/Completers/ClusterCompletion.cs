using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using k8s;
using MediaStack.Core.Cluster;

namespace MediaStack.PowerShell.Completers;

// Shared by the completers: the bound -KubeConfig/-Context/-Namespace of the command line,
// and turning names into CompletionResults.
internal static class ClusterCompletion
{
    public static string? Bound(IDictionary bound, string name) =>
        bound.Contains(name) ? bound[name]?.ToString() : null;

    // -KubeConfig of the command line, resolved as the cmdlets resolve it (relative to
    // PowerShell's current location, not the process's; ~ is the home folder).
    public static string? KubeConfig(IDictionary bound) =>
        Bound(bound, "KubeConfig") is { Length: > 0 } path ? CurrentSession()?.Path.GetUnresolvedProviderPathFromPSPath(path) ?? path : null;

    // The session state of the runspace the completion runs in (completers get none).
    private static SessionState? CurrentSession()
    {
        try
        {
            using var shell = System.Management.Automation.PowerShell.Create(RunspaceMode.CurrentRunspace);
            return shell.AddCommand("Microsoft.PowerShell.Utility\\Get-Variable")
                .AddParameter("Name", "ExecutionContext")
                .AddParameter("ValueOnly")
                .Invoke<EngineIntrinsics>()
                .FirstOrDefault()?.SessionState;
        }
        catch (Exception)
        {
            return null;
        }
    }

    public static IEnumerable<CompletionResult> Match(IEnumerable<string> names, string wordToComplete)
    {
        var prefix = wordToComplete.Trim('\'', '"');
        return names
            .Where(name => name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .Select(name => new CompletionResult(Quote(name), name, CompletionResultType.ParameterValue, name));
    }

    private static string Quote(string name) =>
        name.Any(c => char.IsWhiteSpace(c) || c is '\'' or '"' or '$' or '`' or ';' or '(' or ')' or '{' or '}')
            ? "'" + name.Replace("'", "''") + "'"
            : name;

    // A live list from the cluster of the command line's -KubeConfig/-Context, cached.
    public static IReadOnlyList<string> Live(IDictionary bound, string what, Func<IKubernetes, string, CancellationToken, Task<IReadOnlyList<string>>> fetch)
    {
        var kubeConfig = KubeConfig(bound);
        var context = Bound(bound, "Context");
        var @namespace = Bound(bound, "Namespace");
        return CompletionCache.Get($"{what}|{kubeConfig}|{context}|{@namespace}", async ct =>
        {
            using var connection = ClusterConnection.Open(new ClusterOptions(kubeConfig, context, @namespace));
            return await fetch(connection.Client, connection.Namespace, ct).ConfigureAwait(false);
        });
    }
}

// -Context: the contexts of the kubeconfig (local, instant).
public sealed class ContextCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        try
        {
            var config = KubeConfigSource.Load(ClusterCompletion.KubeConfig(fakeBoundParameters));
            return ClusterCompletion.Match((config?.Contexts ?? []).Select(context => context.Name), wordToComplete);
        }
        catch (Exception)
        {
            return [];
        }
    }
}

// -Namespace: the kubeconfig's namespaces, plus the cluster's when it answers in time.
public sealed class NamespaceCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var names = new List<string>();
        try
        {
            var config = KubeConfigSource.Load(ClusterCompletion.KubeConfig(fakeBoundParameters));
            names.AddRange((config?.Contexts ?? []).Select(context => context.ContextDetails?.Namespace).OfType<string>());
        }
        catch (Exception)
        {
            // A broken kubeconfig completes nothing from it.
        }
        var live = new Hashtable(fakeBoundParameters) { ["Namespace"] = null };
        names.AddRange(ClusterCompletion.Live(live, "namespaces", async (client, _, ct) =>
            (await client.CoreV1.ListNamespaceAsync(cancellationToken: ct).ConfigureAwait(false)).Items.Select(item => item.Metadata.Name).ToList()));
        return ClusterCompletion.Match(names, wordToComplete);
    }
}

// -Name of Get-MediaPod / Test-MediaMount: pods of the namespace.
public sealed class PodNameCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters) =>
        ClusterCompletion.Match(ClusterCompletion.Live(fakeBoundParameters, "pods", async (client, @namespace, ct) =>
            (await client.CoreV1.ListNamespacedPodAsync(@namespace, limit: 500, cancellationToken: ct).ConfigureAwait(false)).Items.Select(item => item.Metadata.Name).ToList()), wordToComplete);
}

// -Name of Get-MediaApp, -App of Get-MediaPod: deployments of the namespace.
public sealed class DeploymentNameCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters) =>
        ClusterCompletion.Match(ClusterCompletion.Live(fakeBoundParameters, "deployments", async (client, @namespace, ct) =>
            (await client.AppsV1.ListNamespacedDeploymentAsync(@namespace, limit: 500, cancellationToken: ct).ConfigureAwait(false)).Items.Select(item => item.Metadata.Name).ToList()), wordToComplete);
}
