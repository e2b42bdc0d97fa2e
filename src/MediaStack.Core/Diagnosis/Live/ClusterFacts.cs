using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using MediaStack.Core.Reconcile;

namespace MediaStack.Core.Diagnosis.Live;

// Namespace-wide facts, read once per diagnosis run and shared by every pod (collected in
// parallel): the events, which secrets exist, which service accounts may run privileged pods.
internal sealed class ClusterFacts(IKubernetes client, string @namespace)
{
    private readonly ConcurrentDictionary<string, Lazy<Task<bool?>>> _secrets = new();
    private readonly ConcurrentDictionary<string, Lazy<Task<Runtime.PrivilegeCheck?>>> _privilege = new();
    private Lazy<Task<IReadOnlyList<JsonObject>>>? _events;

    public Task<IReadOnlyList<JsonObject>> EventsAsync(CancellationToken ct) =>
        LazyInitializer.EnsureInitialized(ref _events, () => new Lazy<Task<IReadOnlyList<JsonObject>>>(async () =>
        {
            var list = await client.CoreV1.ListNamespacedEventAsync(@namespace, cancellationToken: ct).ConfigureAwait(false);
            return list.Items.Select(Json.From).ToList();
        })).Value;

    // true/false when known; null when the answer was not 200 or 404 (403, say).
    public Task<bool?> SecretExistsAsync(string name, CancellationToken ct) =>
        _secrets.GetOrAdd(name, _ => new Lazy<Task<bool?>>(() => Cluster.Secrets.ExistsAsync(client, @namespace, name, ct))).Value;

    public Task<Runtime.PrivilegeCheck?> PrivilegeAsync(string serviceAccount, CancellationToken ct) =>
        _privilege.GetOrAdd(serviceAccount, account => new Lazy<Task<Runtime.PrivilegeCheck?>>(async () =>
        {
            // The same decision Add-RcloneSidecar's preflight makes (SubjectAccessReview or the
            // SCC's lists on OpenShift, the Pod Security label on Kubernetes).
            var check = await new ClusterWriter(client).CheckPrivilegeAsync(@namespace, account, ct).ConfigureAwait(false);
            var subject = check.OpenShift ? $"system:serviceaccount:{@namespace}:{account}" : $"namespace/{@namespace}";
            return new Runtime.PrivilegeCheck(check.OpenShift, check.Allowed, subject, $"{subject}: {check.Evidence}");
        })).Value;
}
