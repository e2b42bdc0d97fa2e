using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;
using MediaStack.Core.Cluster;
using MediaStack.Core.Errors;
using MediaStack.Core.Workloads;

namespace MediaStack.Core.Reconcile;

// Whether a service account may run privileged containers, and how that was decided.
// Not Verified: the caller may not read what decides it (403); Allowed is then assumed.
public sealed record PrivilegeCheck(bool Allowed, bool OpenShift, string ServiceAccount, string Namespace, string Evidence, bool Verified = true)
{
    public string Fix => OpenShift
        ? $"oc adm policy add-scc-to-user privileged -z {ServiceAccount} -n {Namespace}"
        : $"kubectl label namespace {Namespace} pod-security.kubernetes.io/enforce=privileged --overwrite";
}

// What must be fixed before writing (all of it at once), what could not be checked, and
// the privilege check for -GrantPrivilege.
public sealed record Preflight(IReadOnlyList<MediaStackException> Problems, IReadOnlyList<string> Warnings, PrivilegeCheck? Privilege);

// Writes a ChangePlan to a live workload: reads it raw (no typed round trip that would drop
// fields), checks everything before writing, sends the plan as ONE JSON patch guarded by a
// test on resourceVersion, and re-plans and retries on a concurrent edit.
public sealed class ClusterWriter(IKubernetes client)
{
    public const int MaxAttempts = 5;
    public const string ArgoInstanceLabel = "app.kubernetes.io/instance";
    public const string ArgoTrackingAnnotation = "argocd.argoproj.io/tracking-id";
    public const string PrivilegedSccRole = "system:openshift:scc:privileged";
    public const string PodSecurityLabel = "pod-security.kubernetes.io/enforce";

    // The apps/v1 kinds whose pod template can be changed in place.
    public static readonly IReadOnlyDictionary<string, string> Plurals =
        PagedList.WorkloadKinds.ToDictionary(entry => entry.Kind, entry => entry.Plural, StringComparer.Ordinal);

    public async Task<JsonObject> ReadAsync(string @namespace, string kind, string name, CancellationToken ct)
    {
        if (!Plurals.TryGetValue(kind, out var plural))
        {
            throw new MediaStackException(ErrorIds.NotADeployment, ErrorCategory.InvalidArgument,
                $"A {kind}'s pod spec cannot be changed in place; change the Deployment, StatefulSet or DaemonSet that creates '{name}'.", name,
                "Pass the owning workload's name (Get-MediaPod shows it as App).");
        }
        try
        {
            var raw = await client.CustomObjects.GetNamespacedCustomObjectAsync("apps", "v1", @namespace, plural, name, ct).ConfigureAwait(false);
            var resource = JsonNode.Parse(JsonSerializer.Serialize(raw))!.AsObject();
            resource["apiVersion"] ??= "apps/v1";
            resource["kind"] ??= kind;
            return resource;
        }
        catch (HttpOperationException exception) when (exception.Response?.StatusCode == HttpStatusCode.NotFound)
        {
            throw new MediaStackException(ErrorIds.DeploymentNotFound, ErrorCategory.ObjectNotFound,
                $"{kind} '{name}' does not exist in namespace '{@namespace}'.", name,
                "Check the name with Get-MediaApp, or pass -Namespace (and -Kind for a StatefulSet or DaemonSet).", exception);
        }
    }

    // The ArgoCD Application that syncs this object, if any (instance label or tracking id).
    public static string? ArgoApplication(JsonObject deployment)
    {
        var tracking = (string?)deployment["metadata"]?["annotations"]?[ArgoTrackingAnnotation];
        if (!string.IsNullOrEmpty(tracking))
        {
            var colon = tracking.IndexOf(':');
            return colon > 0 ? tracking[..colon] : tracking;
        }
        var instance = (string?)deployment["metadata"]?["labels"]?[ArgoInstanceLabel];
        return string.IsNullOrEmpty(instance) ? null : instance;
    }

    // Every reason not to write, all at once: ArgoCD ownership (unless force), missing
    // secrets and, when adding, a service account that may not run privileged containers
    // (unless it is about to be granted). The privilege check is returned for -GrantPrivilege.
    // A live edit of an object ArgoCD syncs is reverted by self-heal: refused unless forced.
    public static MediaStackException? ArgoProblem(Workload workload, bool force) =>
        !force && ArgoApplication(workload.Resource) is { } argo
            ? new MediaStackException(ErrorIds.ManagedByArgoCD, ErrorCategory.InvalidOperation,
                $"{workload.ResourceKind} '{workload.Name}' is managed by the ArgoCD application '{argo}'; with self-heal ArgoCD reverts a live edit within minutes.",
                workload.Name, $"Change the manifest in git instead (the same cmdlet with -Path <repo>/apps/{workload.Name}/base, or Invoke-MountDiagnosis -Path ... | Repair-MediaMount), then commit and sync '{argo}'. Use -Force to patch the live object anyway.")
            : null;

    public async Task<Preflight> PreflightAsync(ChangePlan plan, bool force, bool grantPrivilege, CancellationToken ct)
    {
        var problems = new List<MediaStackException>();
        var warnings = new List<string>();
        var workload = plan.Workload;
        var name = workload.Name;
        var @namespace = workload.Namespace ?? "";
        if (ArgoProblem(workload, force) is { } argo)
        {
            problems.Add(argo);
        }
        var after = Workload.From(plan.After(), workload.Config);
        if (!after.AllContainers.Any(container => container.Privileged))
        {
            return new Preflight(problems, warnings, null);
        }
        var secrets = after.ExpectedMounts.Where(mount => mount is { Sidecar: not null, Configured: not null }).Select(mount => mount.Configured!.Secret)
            .Where(secret => !workload.Volumes.Any(volume => WorkloadContainer.Text(volume["secret"]?["secretName"]) == secret));
        foreach (var secret in secrets.Distinct())
        {
            var exists = await Cluster.Secrets.ExistsAsync(client, @namespace, secret, ct).ConfigureAwait(false);
            if (exists is null)
            {
                warnings.Add($"Could not check whether secret '{secret}' exists in '{@namespace}'; without it the new pods stay in ContainerCreating.");
            }
            else if (exists == false)
            {
                problems.Add(new MediaStackException(ErrorIds.RcloneSecretMissing, ErrorCategory.ObjectNotFound,
                    $"Secret '{secret}' (the rclone.conf of the sidecar) does not exist in namespace '{@namespace}'; the pod would stay in ContainerCreating.",
                    secret, $"kubectl create secret generic {secret} -n {@namespace} --from-file=rclone.conf=<path to rclone.conf>"));
            }
        }
        var privilege = await CheckPrivilegeAsync(@namespace, workload.ServiceAccount, ct).ConfigureAwait(false);
        if (!privilege.Verified)
        {
            warnings.Add($"Could not check whether service account '{privilege.ServiceAccount}' may run privileged containers ({privilege.Evidence}); if it may not, the new pods will be refused. To be sure: {privilege.Fix}");
        }
        if (!privilege.Allowed && !grantPrivilege)
        {
            problems.Add(new MediaStackException(ErrorIds.PrivilegeMissing, ErrorCategory.PermissionDenied,
                $"Service account '{privilege.ServiceAccount}' in '{@namespace}' may not run privileged containers ({privilege.Evidence}); the rclone sidecars need privileged for /dev/fuse and Bidirectional propagation, so the new pods would be refused.",
                privilege.ServiceAccount, $"Run again with -GrantPrivilege, or: {privilege.Fix}"));
        }
        return new Preflight(problems, warnings, privilege);
    }

    // OpenShift (the privileged SCC exists): a SubjectAccessReview for `use` on it, or
    // membership in its users/groups lists. Kubernetes: the namespace's Pod Security level.
    public async Task<PrivilegeCheck> CheckPrivilegeAsync(string @namespace, string serviceAccount, CancellationToken ct)
    {
        var user = $"system:serviceaccount:{@namespace}:{serviceAccount}";
        var groups = new List<string> { "system:serviceaccounts", $"system:serviceaccounts:{@namespace}", "system:authenticated" };
        JsonObject? scc;
        var sccReadable = true;
        try
        {
            var raw = await client.CustomObjects.GetClusterCustomObjectAsync("security.openshift.io", "v1", "securitycontextconstraints", "privileged", ct).ConfigureAwait(false);
            scc = JsonNode.Parse(JsonSerializer.Serialize(raw))!.AsObject();
        }
        catch (HttpOperationException exception) when (exception.Response?.StatusCode == HttpStatusCode.NotFound)
        {
            scc = null;
        }
        catch (HttpOperationException exception) when (exception.Response?.StatusCode == HttpStatusCode.Forbidden)
        {
            // Most users may not read SCCs; the SubjectAccessReview below may still answer.
            scc = [];
            sccReadable = false;
        }
        if (scc is null)
        {
            V1Namespace ns;
            try
            {
                ns = await client.CoreV1.ReadNamespaceAsync(@namespace, cancellationToken: ct).ConfigureAwait(false);
            }
            catch (HttpOperationException exception) when (exception.Response?.StatusCode == HttpStatusCode.Forbidden)
            {
                return new PrivilegeCheck(true, false, serviceAccount, @namespace, $"reading namespace {@namespace} is forbidden", Verified: false);
            }
            var level = ns.Metadata?.Labels?.TryGetValue(PodSecurityLabel, out var value) == true ? value : null;
            var allowed = level is null or "privileged";
            return new PrivilegeCheck(allowed, false, serviceAccount, @namespace,
                level is null ? "no Pod Security enforce label: privileged allowed" : $"namespace label {PodSecurityLabel}={level}");
        }
        V1SubjectAccessReview? review = null;
        try
        {
            review = await client.AuthorizationV1.CreateSubjectAccessReviewAsync(new V1SubjectAccessReview
            {
                Spec = new V1SubjectAccessReviewSpec
                {
                    User = user,
                    Groups = groups,
                    ResourceAttributes = new V1ResourceAttributes
                    {
                        NamespaceProperty = @namespace,
                        Verb = "use",
                        Group = "security.openshift.io",
                        Resource = "securitycontextconstraints",
                        Name = "privileged",
                    },
                },
            }, cancellationToken: ct).ConfigureAwait(false);
        }
        catch (HttpOperationException exception) when (exception.Response?.StatusCode == HttpStatusCode.Forbidden && sccReadable)
        {
            // Only the SCC's own lists are left to look at.
        }
        catch (HttpOperationException exception) when (exception.Response?.StatusCode == HttpStatusCode.Forbidden)
        {
            return new PrivilegeCheck(true, true, serviceAccount, @namespace, "creating a SubjectAccessReview and reading SCC privileged are both forbidden", Verified: false);
        }
        if (review?.Status?.Allowed == true)
        {
            return new PrivilegeCheck(true, true, serviceAccount, @namespace, "SubjectAccessReview: use on SCC privileged allowed");
        }
        var users = (scc["users"] as JsonArray ?? []).Select(item => (string?)item).ToList();
        var sccGroups = (scc["groups"] as JsonArray ?? []).Select(item => (string?)item).ToList();
        if (users.Contains(user) || sccGroups.Any(group => group is not null && groups.Contains(group)))
        {
            return new PrivilegeCheck(true, true, serviceAccount, @namespace, "listed in the privileged SCC's users or groups");
        }
        if (review is null)
        {
            return new PrivilegeCheck(true, true, serviceAccount, @namespace, "creating a SubjectAccessReview is forbidden and the SCC's lists do not name it", Verified: false);
        }
        return new PrivilegeCheck(false, true, serviceAccount, @namespace, sccReadable
            ? "no RBAC grant of use on SCC privileged and not in its users/groups"
            : "SubjectAccessReview: use on SCC privileged denied");
    }

    // What `oc adm policy add-scc-to-user privileged -z SA -n NS` does: ClusterRole
    // system:openshift:scc:privileged and a RoleBinding of that name in NS holding the SA.
    // On Kubernetes: the namespace's Pod Security enforce level becomes privileged.
    public async Task<string> GrantPrivilegeAsync(PrivilegeCheck check, CancellationToken ct)
    {
        var @namespace = check.Namespace;
        if (!check.OpenShift)
        {
            var label = new V1Patch($"{{\"metadata\":{{\"labels\":{{\"{PodSecurityLabel}\":\"privileged\"}}}}}}", V1Patch.PatchType.MergePatch);
            await client.CoreV1.PatchNamespaceAsync(label, @namespace, cancellationToken: ct).ConfigureAwait(false);
            return $"labelled namespace {@namespace} {PodSecurityLabel}=privileged";
        }
        try
        {
            await client.RbacAuthorizationV1.ReadClusterRoleAsync(PrivilegedSccRole, cancellationToken: ct).ConfigureAwait(false);
        }
        catch (HttpOperationException exception) when (exception.Response?.StatusCode == HttpStatusCode.NotFound)
        {
            await client.RbacAuthorizationV1.CreateClusterRoleAsync(new V1ClusterRole
            {
                Metadata = new V1ObjectMeta { Name = PrivilegedSccRole },
                Rules =
                [
                    new V1PolicyRule
                    {
                        ApiGroups = ["security.openshift.io"],
                        Resources = ["securitycontextconstraints"],
                        ResourceNames = ["privileged"],
                        Verbs = ["use"],
                    },
                ],
            }, cancellationToken: ct).ConfigureAwait(false);
        }
        var subject = new Rbacv1Subject { Kind = "ServiceAccount", Name = check.ServiceAccount, NamespaceProperty = @namespace };
        try
        {
            var binding = await client.RbacAuthorizationV1.ReadNamespacedRoleBindingAsync(PrivilegedSccRole, @namespace, cancellationToken: ct).ConfigureAwait(false);
            if (binding.Subjects?.Any(existing => existing.Kind == "ServiceAccount" && existing.Name == check.ServiceAccount && (existing.NamespaceProperty ?? @namespace) == @namespace) == true)
            {
                return $"RoleBinding {PrivilegedSccRole} in {@namespace} already holds {check.ServiceAccount}";
            }
            var operations = new JsonArray
            {
                new JsonObject { ["op"] = "test", ["path"] = "/metadata/resourceVersion", ["value"] = binding.Metadata.ResourceVersion },
                binding.Subjects is null
                    ? new JsonObject { ["op"] = "add", ["path"] = "/subjects", ["value"] = new JsonArray(SubjectJson(subject)) }
                    : new JsonObject { ["op"] = "add", ["path"] = "/subjects/-", ["value"] = SubjectJson(subject) },
            };
            await client.RbacAuthorizationV1.PatchNamespacedRoleBindingAsync(new V1Patch(operations.ToJsonString(), V1Patch.PatchType.JsonPatch), PrivilegedSccRole, @namespace, cancellationToken: ct).ConfigureAwait(false);
        }
        catch (HttpOperationException exception) when (exception.Response?.StatusCode == HttpStatusCode.NotFound)
        {
            await client.RbacAuthorizationV1.CreateNamespacedRoleBindingAsync(new V1RoleBinding
            {
                Metadata = new V1ObjectMeta { Name = PrivilegedSccRole, NamespaceProperty = @namespace },
                RoleRef = new V1RoleRef { ApiGroup = "rbac.authorization.k8s.io", Kind = "ClusterRole", Name = PrivilegedSccRole },
                Subjects = [subject],
            }, @namespace, cancellationToken: ct).ConfigureAwait(false);
        }
        return $"bound {check.ServiceAccount} to ClusterRole {PrivilegedSccRole} (RoleBinding {PrivilegedSccRole} in {@namespace})";
    }

    private static JsonObject SubjectJson(Rbacv1Subject subject) => new()
    {
        ["kind"] = subject.Kind,
        ["name"] = subject.Name,
        ["namespace"] = subject.NamespaceProperty,
    };

    // One request per attempt. A concurrent edit shows as 409, or as 422 from the failed
    // test on resourceVersion (the API server gives that 422 no detail, so a 422 counts as
    // a concurrent edit only when the object's resourceVersion has indeed moved): then read
    // again, plan again, try again, a bounded number of times.
    public async Task<(JsonObject Resource, ChangePlan Plan)> ApplyAsync(ChangePlan plan, Func<JsonObject, ChangePlan> replan, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            if (plan.IsEmpty)
            {
                return (plan.Before, plan);
            }
            var workload = plan.Workload;
            var plural = Plurals[workload.ResourceKind];
            try
            {
                var patch = new V1Patch(plan.ToJsonPatch().ToJsonString(), V1Patch.PatchType.JsonPatch);
                var raw = await client.CustomObjects.PatchNamespacedCustomObjectAsync(patch, "apps", "v1", workload.Namespace, plural, workload.Name, cancellationToken: ct).ConfigureAwait(false);
                var resource = JsonNode.Parse(JsonSerializer.Serialize(raw))!.AsObject();
                resource["apiVersion"] ??= "apps/v1";
                resource["kind"] ??= workload.ResourceKind;
                return (resource, plan);
            }
            catch (HttpOperationException exception) when (attempt < MaxAttempts && IsConcurrentEdit(exception))
            {
                var fresh = await ReadAsync(workload.Namespace!, workload.ResourceKind, workload.Name, ct).ConfigureAwait(false);
                if (exception.Response?.StatusCode != HttpStatusCode.Conflict && ResourceVersion(fresh) == ResourceVersion(plan.Before))
                {
                    throw;
                }
                plan = replan(fresh);
            }
        }
    }

    private static string? ResourceVersion(JsonObject resource) => WorkloadContainer.Text(resource["metadata"]?["resourceVersion"]);

    private static bool IsConcurrentEdit(HttpOperationException exception) =>
        exception.Response?.StatusCode is HttpStatusCode.Conflict or HttpStatusCode.UnprocessableEntity;
}
