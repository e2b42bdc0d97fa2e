using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;

namespace MediaStack.Core.Cluster;

// Lists with limit/continue, so 2,000 pods never sit in one response; callers stream the
// items and keep only what they need.
public static class PagedList
{
    public const int DefaultPageSize = 250;

    // Namespace null = all namespaces.
    public static IAsyncEnumerable<V1Pod> PodsAsync(IKubernetes client, string? @namespace, string? labelSelector = null, string? fieldSelector = null, int pageSize = DefaultPageSize, CancellationToken ct = default) =>
        PagesAsync(
            (next, token) => @namespace is null
                ? client.CoreV1.ListPodForAllNamespacesAsync(continueParameter: next, fieldSelector: fieldSelector, labelSelector: labelSelector, limit: pageSize, cancellationToken: token)
                : client.CoreV1.ListNamespacedPodAsync(@namespace, continueParameter: next, fieldSelector: fieldSelector, labelSelector: labelSelector, limit: pageSize, cancellationToken: token),
            list => (list.Items, list.Metadata?.ContinueProperty),
            ct);

    public static IAsyncEnumerable<V1Deployment> DeploymentsAsync(IKubernetes client, string? @namespace, string? labelSelector = null, int pageSize = DefaultPageSize, CancellationToken ct = default) =>
        PagesAsync(
            (next, token) => @namespace is null
                ? client.AppsV1.ListDeploymentForAllNamespacesAsync(continueParameter: next, labelSelector: labelSelector, limit: pageSize, cancellationToken: token)
                : client.AppsV1.ListNamespacedDeploymentAsync(@namespace, continueParameter: next, labelSelector: labelSelector, limit: pageSize, cancellationToken: token),
            list => (list.Items, list.Metadata?.ContinueProperty),
            ct);

    // The apps/v1 workload kinds (whose pod templates MediaStack reads and edits), by plural.
    public static readonly IReadOnlyList<(string Plural, string Kind)> WorkloadKinds =
        [("deployments", "Deployment"), ("statefulsets", "StatefulSet"), ("daemonsets", "DaemonSet")];

    // Every workload of those kinds (or of the kinds named), kind by kind.
    public static async IAsyncEnumerable<JsonObject> AllAppsAsync(IKubernetes client, string? @namespace, IReadOnlyCollection<string>? kinds = null,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct = default)
    {
        foreach (var (plural, kind) in WorkloadKinds.Where(entry => kinds is null || kinds.Contains(entry.Kind, StringComparer.OrdinalIgnoreCase)))
        {
            await foreach (var item in AppsAsync(client, @namespace, plural, kind, ct: ct).ConfigureAwait(false))
            {
                yield return item;
            }
        }
    }

    // apps/v1 workloads (deployments, statefulsets, daemonsets) as the API serves them, raw:
    // no typed model in between that could drop fields. Each item gets its apiVersion and kind.
    public static IAsyncEnumerable<JsonObject> AppsAsync(IKubernetes client, string? @namespace, string plural, string kind, string? labelSelector = null, int pageSize = DefaultPageSize, CancellationToken ct = default) =>
        PagesAsync(
            async (next, token) =>
            {
                try
                {
                    return (JsonElement)(@namespace is null
                        ? await client.CustomObjects.ListClusterCustomObjectAsync("apps", "v1", plural, continueParameter: next, labelSelector: labelSelector, limit: pageSize, cancellationToken: token).ConfigureAwait(false)
                        : await client.CustomObjects.ListNamespacedCustomObjectAsync("apps", "v1", @namespace, plural, continueParameter: next, labelSelector: labelSelector, limit: pageSize, cancellationToken: token).ConfigureAwait(false));
                }
                catch (k8s.Autorest.HttpOperationException exception) when (exception.Response?.StatusCode == System.Net.HttpStatusCode.NotFound)
                {
                    // The API server does not serve this kind: there are none.
                    return JsonDocument.Parse("{\"items\":[]}").RootElement;
                }
            },
            page =>
            {
                var list = JsonNode.Parse(page.GetRawText())!.AsObject();
                var array = list["items"] as JsonArray ?? [];
                var items = array.OfType<JsonObject>().ToList();
                // Detached from the list, so each item can live on as a document of its own.
                array.Clear();
                foreach (var item in items)
                {
                    item["apiVersion"] ??= "apps/v1";
                    item["kind"] ??= kind;
                }
                return ((IList<JsonObject>)items, list["metadata"]?["continue"]?.GetValue<string>());
            },
            ct);

    public static async IAsyncEnumerable<TItem> PagesAsync<TList, TItem>(
        Func<string?, CancellationToken, Task<TList>> fetch,
        Func<TList, (IList<TItem>? Items, string? Continue)> split,
        [EnumeratorCancellation] CancellationToken ct)
    {
        string? next = null;
        do
        {
            var page = await fetch(next, ct).ConfigureAwait(false);
            var (items, token) = split(page);
            foreach (var item in items ?? [])
            {
                yield return item;
            }
            next = string.IsNullOrEmpty(token) ? null : token;
        }
        while (next is not null);
    }
}
