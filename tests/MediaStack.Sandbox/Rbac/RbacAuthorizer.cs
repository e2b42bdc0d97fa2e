using System.Text.Json.Nodes;
using MediaStack.Sandbox.Json;
using MediaStack.Sandbox.Store;

namespace MediaStack.Sandbox.Rbac;

// RBAC over the stored Roles, ClusterRoles and bindings, as kube-apiserver evaluates it:
// ClusterRoleBindings everywhere, RoleBindings in their namespace; aggregated ClusterRoles
// collect the rules of the roles their selectors match.
public sealed class RbacAuthorizer(ObjectStore store)
{
    public sealed record Decision(bool Allowed, string Reason);

    public Decision Authorize(Identity who, AccessRequest request)
    {
        lock (store.Gate)
        {
            foreach (var binding in store.List(ResourceCatalog.ClusterRoleBindings, null).Items)
            {
                if (!Binds(binding, who, "")) continue;
                if (RulesOf(binding, "").Any(r => Covers(r, request)))
                    return new(true, Because("ClusterRoleBinding", binding, who, ""));
            }
            if (request.Namespace.Length > 0)
            {
                foreach (var binding in store.List(ResourceCatalog.RoleBindings, request.Namespace).Items)
                {
                    if (!Binds(binding, who, request.Namespace)) continue;
                    if (RulesOf(binding, request.Namespace).Any(r => Covers(r, request)))
                        return new(true, Because("RoleBinding", binding, who, request.Namespace));
                }
            }
            return new(false, "");
        }
    }

    // Every rule that applies to the identity in a namespace (cluster-wide bindings included),
    // what a SelfSubjectRulesReview lists.
    public List<JsonObject> RulesFor(Identity who, string ns)
    {
        lock (store.Gate)
        {
            var rules = new List<JsonObject>();
            foreach (var binding in store.List(ResourceCatalog.ClusterRoleBindings, null).Items.Where(b => Binds(b, who, "")))
                rules.AddRange(RulesOf(binding, ""));
            if (ns.Length > 0)
                foreach (var binding in store.List(ResourceCatalog.RoleBindings, ns).Items.Where(b => Binds(b, who, ns)))
                    rules.AddRange(RulesOf(binding, ns));
            return rules;
        }
    }

    static string Because(string kind, JsonObject binding, Identity who, string ns)
    {
        var subject = binding.Objects("subjects").First(s => Matches(s, who, ns));
        var where = ns.Length > 0 ? $"RoleBinding \"{binding.Name()}/{ns}\"" : $"{kind} \"{binding.Name()}\"";
        return $"RBAC: allowed by {where} of {binding.Str("roleRef", "kind")} \"{binding.Str("roleRef", "name")}\" to {subject.Str("kind")} \"{subject.Str("name")}\"";
    }

    static bool Binds(JsonObject binding, Identity who, string ns) => binding.Objects("subjects").Any(s => Matches(s, who, ns));

    static bool Matches(JsonObject subject, Identity who, string bindingNamespace) => subject.Str("kind") switch
    {
        "User" => subject.Str("name") == who.User,
        "Group" => who.Groups.Contains(subject.Str("name") ?? ""),
        "ServiceAccount" => who.User == $"system:serviceaccount:{(subject.Str("namespace") is { Length: > 0 } n ? n : bindingNamespace)}:{subject.Str("name")}",
        _ => false,
    };

    IEnumerable<JsonObject> RulesOf(JsonObject binding, string ns)
    {
        var kind = binding.Str("roleRef", "kind");
        var name = binding.Str("roleRef", "name") ?? "";
        JsonObject? role = kind switch
        {
            "ClusterRole" => store.Get(ResourceCatalog.ClusterRoles, null, name),
            "Role" when ns.Length > 0 => store.Get(ResourceCatalog.Roles, ns, name),
            _ => null,
        };
        if (role is null) return [];
        return kind == "ClusterRole" ? ClusterRoleRules(role, depth: 0) : role.Objects("rules");
    }

    IEnumerable<JsonObject> ClusterRoleRules(JsonObject role, int depth)
    {
        var rules = role.Objects("rules").ToList();
        if (depth < 3 && role.Obj("aggregationRule") is { } aggregation)
        {
            var selectors = aggregation.Objects("clusterRoleSelectors").Select(s => LabelSelector.FromObject(s)).ToList();
            foreach (var other in store.List(ResourceCatalog.ClusterRoles, null).Items)
                if (other.Name() != role.Name() && selectors.Any(s => s is not null && s.Matches(other)))
                    rules.AddRange(ClusterRoleRules(other, depth + 1));
        }
        return rules;
    }

    static bool Covers(JsonObject rule, AccessRequest r)
    {
        var verbs = Strings(rule, "verbs");
        if (!verbs.Contains("*") && !verbs.Contains(r.Verb)) return false;
        if (!r.IsResource)
        {
            var urls = Strings(rule, "nonResourceURLs");
            return urls.Any(u => u == "*" || u == r.Path || (u.EndsWith('*') && r.Path!.StartsWith(u[..^1], StringComparison.Ordinal)));
        }
        var groups = Strings(rule, "apiGroups");
        if (!groups.Contains("*") && !groups.Contains(r.Group)) return false;
        var resources = Strings(rule, "resources");
        var full = r.Subresource.Length > 0 ? $"{r.Resource}/{r.Subresource}" : r.Resource;
        var resourceOk = resources.Any(res =>
            res == "*" || res == full
            || (r.Subresource.Length > 0 && res == $"*/{r.Subresource}"));
        if (!resourceOk) return false;
        var names = Strings(rule, "resourceNames");
        return names.Count == 0 || (r.Name.Length > 0 && names.Contains(r.Name));
    }

    static List<string> Strings(JsonObject o, string field) =>
        o.Arr(field)?.Select(v => v?.ToString() ?? "").ToList() ?? [];

    // kube-apiserver's "forbidden" sentence for a denied request.
    public static string ForbiddenMessage(Identity who, AccessRequest r)
    {
        if (!r.IsResource)
            return $"forbidden: User \"{who.User}\" cannot {r.Verb.ToLowerInvariant()} path \"{r.Path}\"";
        var qualified = r.Group.Length > 0 ? $"{r.Resource}.{r.Group}" : r.Resource;
        var resource = r.Subresource.Length > 0 ? $"{r.Resource}/{r.Subresource}" : r.Resource;
        var subject = r.Name.Length > 0 ? $"{qualified} \"{r.Name}\"" : qualified;
        var scope = r.Namespace.Length > 0 ? $"in the namespace \"{r.Namespace}\"" : "at the cluster scope";
        return $"{subject} is forbidden: User \"{who.User}\" cannot {r.Verb} resource \"{resource}\" in API group \"{r.Group}\" {scope}";
    }
}
