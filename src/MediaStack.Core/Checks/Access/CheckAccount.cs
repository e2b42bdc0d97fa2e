using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.KubeConfigModels;
using k8s.Models;
using MediaStack.Core.Cluster;
using MediaStack.Core.Errors;
using MediaStack.Core.Yaml;

namespace MediaStack.Core.Checks.Access;

// The least-privilege account a scheduled check runs as: a ServiceAccount, a Role (or a
// ClusterRole for all namespaces) with exactly the permissions of CheckPermissions, the
// binding, and a kubeconfig holding a token of that account.
public sealed record CheckAccountSpec(string Name, string Namespace, bool AllNamespaces, bool Repair)
{
    public const string DefaultName = "mediastack-check";

    public string RoleKind => AllNamespaces ? "ClusterRole" : "Role";

    public string BindingKind => AllNamespaces ? "ClusterRoleBinding" : "RoleBinding";
}

public static class CheckAccount
{
    private const string RbacGroup = "rbac.authorization.k8s.io";

    // One rule per API group and resource (and resource name), verbs sorted.
    public static JsonArray Rules(CheckAccountSpec spec)
    {
        var granted = CheckPermissions.For(spec.Repair, spec.AllNamespaces)
            .Where(permission => permission.Granted && (spec.AllNamespaces || !permission.ClusterScoped));
        var rules = new JsonArray();
        foreach (var group in granted.GroupBy(p => (p.Group, p.ResourceText, p.ResourceName)).OrderBy(g => g.Key.Group, StringComparer.Ordinal).ThenBy(g => g.Key.ResourceText, StringComparer.Ordinal))
        {
            var rule = new JsonObject
            {
                ["apiGroups"] = new JsonArray(group.Key.Group),
                ["resources"] = new JsonArray(group.Key.ResourceText),
            };
            if (group.Key.ResourceName is { } name)
            {
                rule["resourceNames"] = new JsonArray(name);
            }
            rule["verbs"] = new JsonArray(group.Select(p => p.Verb).Distinct().Order(StringComparer.Ordinal).Select(verb => (JsonNode)verb).ToArray());
            rules.Add(rule);
        }
        return rules;
    }

    // The rules as one line each: "create pods/exec", "get securitycontextconstraints.security.openshift.io privileged".
    public static IReadOnlyList<string> RuleLines(CheckAccountSpec spec) => Rules(spec).Select(rule =>
    {
        var group = (string?)rule!["apiGroups"]![0];
        var name = (string?)rule["resourceNames"]?[0];
        return $"{string.Join(",", rule["verbs"]!.AsArray().Select(verb => (string?)verb))} {rule["resources"]![0]}{(group is { Length: > 0 } ? "." + group : "")}{(name is null ? "" : " " + name)}";
    }).ToList();

    // ServiceAccount, Role or ClusterRole, binding: in the order they must be created.
    public static IReadOnlyList<JsonObject> Objects(CheckAccountSpec spec)
    {
        JsonObject Meta(bool namespaced) => new()
        {
            ["name"] = spec.Name,
            ["namespace"] = namespaced ? spec.Namespace : null,
            ["labels"] = new JsonObject { ["app.kubernetes.io/name"] = "mediastack-check", ["app.kubernetes.io/managed-by"] = "MediaStack" },
        };
        return
        [
            new JsonObject { ["apiVersion"] = "v1", ["kind"] = "ServiceAccount", ["metadata"] = Meta(true) },
            new JsonObject { ["apiVersion"] = $"{RbacGroup}/v1", ["kind"] = spec.RoleKind, ["metadata"] = Meta(!spec.AllNamespaces), ["rules"] = Rules(spec) },
            new JsonObject
            {
                ["apiVersion"] = $"{RbacGroup}/v1",
                ["kind"] = spec.BindingKind,
                ["metadata"] = Meta(!spec.AllNamespaces),
                ["roleRef"] = new JsonObject { ["apiGroup"] = RbacGroup, ["kind"] = spec.RoleKind, ["name"] = spec.Name },
                ["subjects"] = new JsonArray(new JsonObject { ["kind"] = "ServiceAccount", ["name"] = spec.Name, ["namespace"] = spec.Namespace }),
            },
        ];
    }

    public static string Yaml(CheckAccountSpec spec) => YamlWriter.WriteDocuments(Objects(spec));

    // Creates what is missing and brings rules and subjects in line with one guarded JSON
    // patch each; returns what it did, one line per object.
    public static async Task<IReadOnlyList<string>> ApplyAsync(IKubernetes client, CheckAccountSpec spec, CancellationToken ct)
    {
        var done = new List<string>();
        var objects = Objects(spec);
        try
        {
            await client.CoreV1.CreateNamespacedServiceAccountAsync(KubernetesJson.Deserialize<V1ServiceAccount>(objects[0].ToJsonString()), spec.Namespace, cancellationToken: ct).ConfigureAwait(false);
            done.Add($"created serviceaccount/{spec.Name} in {spec.Namespace}");
        }
        catch (HttpOperationException exception) when (exception.Response?.StatusCode == HttpStatusCode.Conflict)
        {
            done.Add($"serviceaccount/{spec.Name} in {spec.Namespace} exists");
        }
        var ns = spec.AllNamespaces ? null : spec.Namespace;
        done.Add(await EnsureAsync(client, objects[1], spec.AllNamespaces ? "clusterroles" : "roles", ns, "/rules", ct).ConfigureAwait(false));
        done.Add(await EnsureAsync(client, objects[2], spec.AllNamespaces ? "clusterrolebindings" : "rolebindings", ns, "/subjects", ct).ConfigureAwait(false));
        return done;
    }

    private static async Task<string> EnsureAsync(IKubernetes client, JsonObject wanted, string plural, string? ns, string field, CancellationToken ct)
    {
        var name = (string)wanted["metadata"]!["name"]!;
        var what = $"{plural[..^1]}/{name}{(ns is null ? "" : $" in {ns}")}";
        try
        {
            await (ns is null
                ? client.CustomObjects.CreateClusterCustomObjectAsync(wanted, RbacGroup, "v1", plural, cancellationToken: ct)
                : client.CustomObjects.CreateNamespacedCustomObjectAsync(wanted, RbacGroup, "v1", ns, plural, cancellationToken: ct)).ConfigureAwait(false);
            return $"created {what}";
        }
        catch (HttpOperationException exception) when (exception.Response?.StatusCode == HttpStatusCode.Conflict)
        {
            // It exists: below.
        }
        var raw = await (ns is null
            ? client.CustomObjects.GetClusterCustomObjectAsync(RbacGroup, "v1", plural, name, ct)
            : client.CustomObjects.GetNamespacedCustomObjectAsync(RbacGroup, "v1", ns, plural, name, ct)).ConfigureAwait(false);
        var live = JsonNode.Parse(JsonSerializer.Serialize(raw))!.AsObject();
        if (field == "/subjects" && !JsonNode.DeepEquals(live["roleRef"], wanted["roleRef"]))
        {
            throw new MediaStackException(ErrorIds.ClusterConflict, ErrorCategory.ResourceExists,
                $"{what} exists and binds {live["roleRef"]?["kind"]} {live["roleRef"]?["name"]}; a binding's roleRef cannot change.", name,
                $"Delete {what} (kubectl delete {plural[..^1]} {name}{(ns is null ? "" : $" -n {ns}")}) or choose another -Name.");
        }
        var key = field.TrimStart('/');
        if (JsonNode.DeepEquals(live[key], wanted[key]))
        {
            return $"{what} is up to date";
        }
        var patch = new JsonArray(
            new JsonObject { ["op"] = "test", ["path"] = "/metadata/resourceVersion", ["value"] = live["metadata"]?["resourceVersion"]?.DeepClone() },
            new JsonObject { ["op"] = live.ContainsKey(key) ? "replace" : "add", ["path"] = field, ["value"] = wanted[key]!.DeepClone() });
        var body = new V1Patch(patch.ToJsonString(), V1Patch.PatchType.JsonPatch);
        await (ns is null
            ? client.CustomObjects.PatchClusterCustomObjectAsync(body, RbacGroup, "v1", plural, name, cancellationToken: ct)
            : client.CustomObjects.PatchNamespacedCustomObjectAsync(body, RbacGroup, "v1", ns, plural, name, cancellationToken: ct)).ConfigureAwait(false);
        return $"updated the {key} of {what}";
    }

    // A token of the account (TokenRequest, what `kubectl create token` does). The API server
    // may shorten the duration: the expiry it answers is the one that counts.
    public static async Task<(string Token, DateTimeOffset Expires)> RequestTokenAsync(IKubernetes client, CheckAccountSpec spec, TimeSpan duration, CancellationToken ct)
    {
        var answer = await client.CoreV1.CreateNamespacedServiceAccountTokenAsync(new Authenticationv1TokenRequest
        {
            Spec = new V1TokenRequestSpec { ExpirationSeconds = (long)duration.TotalSeconds, Audiences = [] },
        }, spec.Name, spec.Namespace, cancellationToken: ct).ConfigureAwait(false);
        var token = answer.Status?.Token;
        if (string.IsNullOrEmpty(token))
        {
            throw new MediaStackException(ErrorIds.TokenRequestFailed, ErrorCategory.InvalidData,
                $"The API server issued no token for serviceaccount/{spec.Name} in {spec.Namespace}.", spec.Name);
        }
        return (token, answer.Status!.ExpirationTimestamp is { } expires ? new DateTimeOffset(expires.ToUniversalTime(), TimeSpan.Zero) : DateTimeOffset.UtcNow + duration);
    }

    // A kubeconfig for the account: the cluster entry of the caller's context (server and CA,
    // the CA inlined), a user with the token, one context with the namespace.
    public static string KubeConfig(K8SConfiguration source, string contextName, CheckAccountSpec spec, string token)
    {
        var context = source.Contexts?.FirstOrDefault(c => c.Name == contextName)
            ?? throw new MediaStackException(ErrorIds.KubeContextNotFound, ErrorCategory.ObjectNotFound, $"The context '{contextName}' is not in the kubeconfig.", contextName);
        var cluster = source.Clusters?.FirstOrDefault(c => c.Name == context.ContextDetails?.Cluster)?.ClusterEndpoint
            ?? throw new MediaStackException(ErrorIds.KubeConfigInvalid, ErrorCategory.InvalidData, $"The context '{contextName}' names no cluster entry of the kubeconfig.", contextName);
        var caData = cluster.CertificateAuthorityData;
        if (string.IsNullOrEmpty(caData) && !string.IsNullOrEmpty(cluster.CertificateAuthority) && File.Exists(cluster.CertificateAuthority))
        {
            caData = Convert.ToBase64String(File.ReadAllBytes(cluster.CertificateAuthority));
        }
        var name = $"{spec.Name}@{contextName}";
        var endpoint = new JsonObject { ["server"] = cluster.Server, ["certificate-authority-data"] = caData };
        if (cluster.SkipTlsVerify)
        {
            endpoint["insecure-skip-tls-verify"] = true;
        }
        if (!string.IsNullOrEmpty(cluster.TlsServerName))
        {
            endpoint["tls-server-name"] = cluster.TlsServerName;
        }
        return YamlWriter.Write(new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Config",
            ["clusters"] = new JsonArray(new JsonObject { ["name"] = context.ContextDetails!.Cluster, ["cluster"] = endpoint }),
            ["users"] = new JsonArray(new JsonObject { ["name"] = name, ["user"] = new JsonObject { ["token"] = token } }),
            ["contexts"] = new JsonArray(new JsonObject
            {
                ["name"] = name,
                ["context"] = new JsonObject { ["cluster"] = context.ContextDetails.Cluster, ["user"] = name, ["namespace"] = spec.Namespace },
            }),
            ["current-context"] = name,
        });
    }
}

// What New-MediaStackCheckAccount made: the account, its role, the kubeconfig written (the
// token itself is only in that file).
public sealed class CheckAccountResult
{
    public required string Name { get; init; }

    public required string Namespace { get; init; }

    public required string Role { get; init; }

    public bool Repair { get; init; }

    public IReadOnlyList<string> Rules { get; init; } = [];

    public string RuleText => string.Join("; ", Rules);

    public required string KubeConfigPath { get; init; }

    public DateTimeOffset TokenExpires { get; init; }

    public IReadOnlyList<string> Changes { get; init; } = [];

    public required string Manifest { get; init; }
}
