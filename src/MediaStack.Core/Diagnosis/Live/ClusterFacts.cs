using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace MediaStack.Core.Diagnosis.Live;

// Namespace- and cluster-wide facts, read once per diagnosis run and shared by every pod:
// events, secrets, whether this is OpenShift, who may run privileged pods.
internal sealed class ClusterFacts(IKubernetes client, string @namespace)
{
    private readonly ConcurrentDictionary<string, Lazy<Task<bool?>>> _secrets = new();
    private readonly ConcurrentDictionary<string, Lazy<Task<Runtime.PrivilegeCheck?>>> _privilege = new();
    private Lazy<Task<IReadOnlyList<JsonObject>>>? _events;
    private Lazy<Task<bool>>? _openShift;

    public string Namespace => @namespace;

    public Task<IReadOnlyList<JsonObject>> EventsAsync(CancellationToken ct) =>
        (_events ??= new Lazy<Task<IReadOnlyList<JsonObject>>>(async () =>
        {
            var list = await client.CoreV1.ListNamespacedEventAsync(@namespace, cancellationToken: ct).ConfigureAwait(false);
            return list.Items.Select(Json.From).ToList();
        })).Value;

    // true/false when known; null when the answer was not 200 or 404 (403, say).
    public Task<bool?> SecretExistsAsync(string name, CancellationToken ct) =>
        _secrets.GetOrAdd(name, _ => new Lazy<Task<bool?>>(async () =>
        {
            try
            {
                // Only the metadata matters; the data is never printed or kept.
                await client.CoreV1.ReadNamespacedSecretAsync(name, @namespace, cancellationToken: ct).ConfigureAwait(false);
                return true;
            }
            catch (HttpOperationException error) when (error.Response.StatusCode == HttpStatusCode.NotFound)
            {
                return false;
            }
            catch (HttpOperationException)
            {
                return null;
            }
        })).Value;

    public Task<bool> IsOpenShiftAsync(CancellationToken ct) =>
        (_openShift ??= new Lazy<Task<bool>>(async () =>
        {
            try
            {
                var groups = await client.Apis.GetAPIVersionsAsync(ct).ConfigureAwait(false);
                return groups.Groups.Any(group => group.Name == "security.openshift.io");
            }
            catch (HttpOperationException)
            {
                return false;
            }
        })).Value;

    public Task<Runtime.PrivilegeCheck?> PrivilegeAsync(string serviceAccount, CancellationToken ct) =>
        _privilege.GetOrAdd(serviceAccount, account => new Lazy<Task<Runtime.PrivilegeCheck?>>(() => CheckPrivilegeAsync(account, ct))).Value;

    private async Task<Runtime.PrivilegeCheck?> CheckPrivilegeAsync(string account, CancellationToken ct)
    {
        var user = $"system:serviceaccount:{@namespace}:{account}";
        if (!await IsOpenShiftAsync(ct).ConfigureAwait(false))
        {
            var ns = await client.CoreV1.ReadNamespaceAsync(@namespace, cancellationToken: ct).ConfigureAwait(false);
            var level = ns.Metadata?.Labels?.TryGetValue("pod-security.kubernetes.io/enforce", out var value) == true ? value : null;
            return new Runtime.PrivilegeCheck(false, level is null or "privileged", $"namespace/{@namespace}",
                $"namespace {@namespace} label pod-security.kubernetes.io/enforce = {level ?? "(unset: the cluster default applies)"}");
        }
        // The API server's own answer covers RBAC grants (what `oc adm policy
        // add-scc-to-user` creates); the SCC's users/groups lists are the older way.
        var review = await client.AuthorizationV1.CreateSubjectAccessReviewAsync(new V1SubjectAccessReview
        {
            Spec = new V1SubjectAccessReviewSpec
            {
                User = user,
                Groups = ["system:serviceaccounts", $"system:serviceaccounts:{@namespace}", "system:authenticated"],
                ResourceAttributes = new V1ResourceAttributes
                {
                    Verb = "use",
                    Group = "security.openshift.io",
                    Resource = "securitycontextconstraints",
                    Name = "privileged",
                },
            },
        }, cancellationToken: ct).ConfigureAwait(false);
        var sar = $"SubjectAccessReview use securitycontextconstraints/privileged for {user}: {(review.Status?.Allowed == true ? "allowed" : "denied")}";
        if (review.Status?.Allowed == true)
        {
            return new Runtime.PrivilegeCheck(true, true, user, sar);
        }
        var listed = await SccListsAsync(user, ct).ConfigureAwait(false);
        return new Runtime.PrivilegeCheck(true, listed, user, listed ? $"{sar}; listed in the SCC's users/groups" : sar);
    }

    private async Task<bool> SccListsAsync(string user, CancellationToken ct)
    {
        try
        {
            var scc = Json.From(await client.CustomObjects.GetClusterCustomObjectAsync("security.openshift.io", "v1", "securitycontextconstraints", "privileged", ct).ConfigureAwait(false));
            var users = (scc["users"] as JsonArray ?? []).Select(node => node?.ToString());
            var groups = (scc["groups"] as JsonArray ?? []).Select(node => node?.ToString());
            return users.Contains(user) || groups.Any(group => group is "system:serviceaccounts" or "system:authenticated" || group == $"system:serviceaccounts:{@namespace}");
        }
        catch (HttpOperationException)
        {
            return false;
        }
    }
}
