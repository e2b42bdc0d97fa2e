using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;
using MediaStack.Core.Errors;

namespace MediaStack.Core.Checks.Access;

// One API permission the unattended check uses, and why. Required ones are asked of the API
// server before the round (SelfSubjectAccessReview), so that a missing one is one clear
// error naming verb and resource. Optional ones only make the diagnosis more precise: the
// cluster-wide reads of the privilege check (granted in the ClusterRole only), and reading
// secrets, which is never granted for the read-only check (see Why).
public sealed record CheckPermission(string Verb, string Group, string Resource, string? Subresource, string Why, bool Required = true, bool ClusterScoped = false, string? ResourceName = null, bool Granted = true)
{
    public string ResourceText => Subresource is null ? Resource : $"{Resource}/{Subresource}";

    public override string ToString() => $"{Verb} {ResourceText}{(Group.Length > 0 ? $".{Group}" : "")}";
}

// The one list of what the check needs: New-MediaStackCheckAccount builds its Role from it,
// Invoke-MediaStackCheck checks it before the round. Change what the round reads, change it here.
public static class CheckPermissions
{
    public static IReadOnlyList<CheckPermission> For(bool repair, bool allNamespaces)
    {
        var list = new List<CheckPermission>
        {
            new("list", "", "pods", null, "find the pods to check"),
            new("create", "", "pods", "exec", "run the mount probe in each pod's app container (and the diagnosis' /dev/fuse and symlink checks)"),
            new("get", "", "pods", "log", "read the sidecar logs of a failing pod"),
            new("list", "apps", "deployments", null, "find Deployments whose pods are missing"),
            new("list", "apps", "statefulsets", null, "find StatefulSets whose pods are missing"),
            new("list", "apps", "daemonsets", null, "find DaemonSets whose pods are missing (and node-level mount providers)"),
            new("get", "apps", "deployments", null, "read a failing pod's Deployment"),
            new("get", "apps", "statefulsets", null, "read a failing pod's StatefulSet"),
            new("get", "apps", "daemonsets", null, "read a failing pod's DaemonSet"),
            new("get", "apps", "replicasets", null, "find a pod's Deployment through its ReplicaSet"),
            new("list", "", "events", null, "read FailedMount, FailedCreate and BackOff events"),
            new("get", "", "secrets", null, "see whether a secret a pod mounts exists; not granted, since it would let the account read the rclone configs (Real-Debrid and TorBox credentials), and the FailedMount event names a missing secret anyway", Required: false, Granted: false),
        };
        if (repair)
        {
            list.Add(new("patch", "apps", "deployments", null, "apply a repair as one guarded JSON patch"));
            list.Add(new("patch", "apps", "statefulsets", null, "apply a repair to a StatefulSet"));
            list.Add(new("patch", "apps", "daemonsets", null, "apply a repair to a DaemonSet"));
            list.Add(new("list", "apps", "replicasets", null, "follow the rollout of a repair"));
            list.Add(new("get", "", "pods", null, "see a restarted pod go"));
            list.Add(new("delete", "", "pods", null, "restart a pod whose mount is stale"));
            list.Add(new("list", "", "secrets", null, "check that the rclone secrets exist before a repair adds sidecars"));
        }
        if (allNamespaces)
        {
            // Cluster-scoped: only a ClusterRole can grant them. Without them the privilege
            // check says "not verified" and the FailedCreate events still show refused pods.
            list.Add(new("get", "security.openshift.io", "securitycontextconstraints", null, "read who may use the privileged SCC (OpenShift)", Required: false, ClusterScoped: true, ResourceName: "privileged"));
            list.Add(new("create", "authorization.k8s.io", "subjectaccessreviews", null, "ask whether a pod's service account may use the privileged SCC", Required: false, ClusterScoped: true));
            list.Add(new("get", "", "namespaces", null, "read a namespace's Pod Security level (Kubernetes)", Required: false, ClusterScoped: true));
        }
        return list;
    }

    // The required permissions the caller lacks in `namespace` (null: in every namespace).
    // Empty when all are there, and when the API server refuses or does not serve access
    // reviews (the calls themselves then say what is missing).
    public static async Task<IReadOnlyList<CheckPermission>> MissingAsync(IKubernetes client, string? @namespace, bool repair, CancellationToken ct)
    {
        var required = For(repair, @namespace is null).Where(permission => permission.Required).ToList();
        bool[] allowed;
        try
        {
            allowed = await Task.WhenAll(required.Select(permission => AllowedAsync(client, permission, @namespace, ct))).ConfigureAwait(false);
        }
        catch (HttpOperationException exception) when (exception.Response?.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.NotFound)
        {
            return [];
        }
        return required.Where((_, index) => !allowed[index]).ToList();
    }

    private static async Task<bool> AllowedAsync(IKubernetes client, CheckPermission permission, string? @namespace, CancellationToken ct)
    {
        var review = await client.AuthorizationV1.CreateSelfSubjectAccessReviewAsync(new V1SelfSubjectAccessReview
        {
            Spec = new V1SelfSubjectAccessReviewSpec
            {
                ResourceAttributes = new V1ResourceAttributes
                {
                    NamespaceProperty = @namespace ?? "",
                    Verb = permission.Verb,
                    Group = permission.Group,
                    Resource = permission.Resource,
                    Subresource = permission.Subresource,
                },
            },
        }, cancellationToken: ct).ConfigureAwait(false);
        return review.Status?.Allowed == true;
    }
    public static MediaStackException Error(CheckPermission permission, string? @namespace) => new(
        ErrorIds.CheckPermissionMissing, ErrorCategory.PermissionDenied,
        $"The check may not {permission.Verb} {permission.ResourceText} (API group \"{permission.Group}\") {(@namespace is null ? "in all namespaces" : $"in namespace {@namespace}")}: it needs that to {permission.Why}.",
        permission.ToString(),
        $"Add verb \"{permission.Verb}\" on resource \"{permission.ResourceText}\" to the check's Role, or create the account with New-MediaStackCheckAccount{(For(false, @namespace is null).Contains(permission) ? "" : " -Repair")}.");
}
