using System.Text.Json.Nodes;
using MediaStack.Core.Diagnosis.Model;
using MediaStack.Core.Diagnosis.Static;
using MediaStack.Core.Workloads;

namespace MediaStack.Core.Diagnosis.Spec;

// MS301 without a cluster: the question the live SubjectAccessReview asks ("may
// system:serviceaccount:NS:SA use securitycontextconstraints/privileged?") answered from the
// RBAC and SCCs of the files. Only when the files hold some (else one MS306 notice says it
// cannot be known). An SCC of the files that allows privileged containers counts like the
// built-in privileged one.
public sealed class OfflinePrivilegeRule : IMountRule
{
    // OpenShift's built-in ClusterRoles that grant `use` on the privileged SCC.
    private static readonly HashSet<string> GrantingClusterRoles = new(StringComparer.Ordinal) { "system:openshift:scc:privileged", "cluster-admin" };

    public bool AppliesTo(WorkloadKind kind) => kind is not WorkloadKind.Unrelated;

    public IEnumerable<MountFinding> Check(DiagnosisContext context)
    {
        if (context.Facts is not { HasRbac: true } facts || !context.Workload.NeedsPrivilege)
        {
            yield break;
        }
        var workload = context.Workload;
        var account = workload.ServiceAccount;
        var at = WorkloadContainer.At(workload.PodSpec, "serviceAccountName") is not null ? $"{workload.SpecPointer}/serviceAccountName"
            : WorkloadContainer.At(workload.PodSpec, "serviceAccount") is not null ? $"{workload.SpecPointer}/serviceAccount"
            : workload.SpecPointer;
        if (Grant(facts, workload.Namespace, account) is { } grant)
        {
            yield return context.Pass(Rules.SccNotGranted, $"Service account '{account}' may use a privileged SCC.", grant, at: at);
            yield break;
        }
        var privileged = string.Join(", ", workload.AllContainers.Where(c => c.Privileged || c.Role == ContainerRole.RcloneMount).Select(c => c.Name));
        yield return context.Problem(Rules.SccNotGranted, Severity.Error,
            $"Service account '{account}' has no binding to the privileged SCC in these files: its privileged containers ({privileged}) are refused at admission unless it is granted outside them.",
            $"{facts.OfKind("RoleBinding").Count() + facts.OfKind("ClusterRoleBinding").Count()} binding(s) and {facts.OfKind("SecurityContextConstraints").Count()} SCC(s) in the files; none names system:serviceaccount:{workload.Namespace ?? "<namespace>"}:{account} with use of a privileged SCC",
            $"Add a RoleBinding to the repository: subjects [{{kind: ServiceAccount, name: {account}{(workload.Namespace is null ? "" : $", namespace: {workload.Namespace}")}}}], roleRef {{kind: ClusterRole, name: system:openshift:scc:privileged}} (what oc adm policy add-scc-to-user privileged -z {account}{(workload.Namespace is null ? "" : $" -n {workload.Namespace}")} creates).",
            at: at);
    }

    // The binding or SCC that lets the account run privileged pods, as evidence; null if none.
    private static string? Grant(ManifestFacts facts, string? @namespace, string account)
    {
        var sccs = PrivilegedSccs(facts);
        foreach (var scc in facts.OfKind("SecurityContextConstraints").Where(scc => sccs.Contains(scc.Name)))
        {
            var users = WorkloadContainer.Strings(scc.Json["users"]);
            var groups = WorkloadContainer.Strings(scc.Json["groups"]);
            if (users.Any(user => IsAccount(user, @namespace, account)) || groups.Any(group => IsGroupOf(group, @namespace)))
            {
                return $"{scc.Display} lists the account or its group in users/groups";
            }
        }
        foreach (var binding in facts.InNamespace("RoleBinding", @namespace).Concat(facts.OfKind("ClusterRoleBinding")))
        {
            var roleKind = WorkloadContainer.Text(WorkloadContainer.At(binding.Json, "roleRef", "kind"));
            var roleName = WorkloadContainer.Text(WorkloadContainer.At(binding.Json, "roleRef", "name")) ?? "";
            if (!Names(binding, @namespace, account) || !Grants(facts, roleKind, roleName, binding.Namespace ?? @namespace, sccs))
            {
                continue;
            }
            return $"{binding.Display} binds it to {roleKind}/{roleName}";
        }
        return null;
    }

    // "privileged", and every SCC of the files that allows privileged containers.
    private static HashSet<string> PrivilegedSccs(ManifestFacts facts)
    {
        var names = new HashSet<string>(StringComparer.Ordinal) { "privileged" };
        foreach (var scc in facts.OfKind("SecurityContextConstraints"))
        {
            if (scc.Json["allowPrivilegedContainer"] is JsonValue allowed && allowed.TryGetValue<bool>(out var yes) && yes)
            {
                names.Add(scc.Name);
            }
        }
        return names;
    }

    // Does a subject of the binding stand for the service account?
    private static bool Names(ManifestObject binding, string? @namespace, string account)
    {
        foreach (var subject in (binding.Json["subjects"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var kind = WorkloadContainer.Text(subject["kind"]);
            var name = WorkloadContainer.Text(subject["name"]) ?? "";
            var subjectNamespace = WorkloadContainer.Text(subject["namespace"]) ?? binding.Namespace;
            if ((kind == "ServiceAccount" && name == account && ManifestFacts.SameNamespace(subjectNamespace, @namespace))
                || (kind == "User" && IsAccount(name, @namespace, account))
                || (kind == "Group" && IsGroupOf(name, @namespace)))
            {
                return true;
            }
        }
        return false;
    }

    // A role that allows `use` of a privileged SCC: OpenShift's built-in ones by name, and
    // Roles and ClusterRoles of the files by their rules.
    private static bool Grants(ManifestFacts facts, string? kind, string name, string? @namespace, HashSet<string> sccs)
    {
        if (kind == "ClusterRole" && (GrantingClusterRoles.Contains(name) || sccs.Any(scc => name == $"system:openshift:scc:{scc}")))
        {
            return true;
        }
        var roles = kind == "ClusterRole" ? facts.OfKind("ClusterRole") : facts.InNamespace("Role", @namespace);
        return roles.Where(role => role.Name == name)
            .SelectMany(role => (role.Json["rules"] as JsonArray ?? []).OfType<JsonObject>())
            .Any(rule => Has(rule, "verbs", "use") && Has(rule, "resources", "securitycontextconstraints") && Has(rule, "apiGroups", "security.openshift.io")
                && (WorkloadContainer.Strings(rule["resourceNames"]) is not { Count: > 0 } names || names.Any(sccs.Contains)));
    }

    private static bool Has(JsonObject rule, string key, string value) =>
        WorkloadContainer.Strings(rule[key]).Any(entry => entry == value || entry == "*");

    private static bool IsAccount(string user, string? @namespace, string account) =>
        user.Split(':') is ["system", "serviceaccount", var ns, var name] && name == account && ManifestFacts.SameNamespace(ns, @namespace);

    private static bool IsGroupOf(string group, string? @namespace) =>
        group is "system:serviceaccounts" or "system:authenticated"
        || (group.StartsWith("system:serviceaccounts:", StringComparison.Ordinal) && ManifestFacts.SameNamespace(group["system:serviceaccounts:".Length..], @namespace));
}
