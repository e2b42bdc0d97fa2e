using System.Text.Json.Nodes;
using MediaStack.Sandbox.Rbac;
using MediaStack.Sandbox.Store;

namespace MediaStack.Sandbox.Tests;

// RBAC evaluation over stored roles: aggregation, wildcards, resourceNames, subjects.
public sealed class RbacTests
{
    readonly ObjectStore _store = new();
    readonly RbacAuthorizer _rbac;

    public RbacTests()
    {
        _rbac = new RbacAuthorizer(_store);
        Add(ResourceCatalog.ClusterRoles, """
            {"metadata":{"name":"aggregate-media"},"aggregationRule":{"clusterRoleSelectors":[{"matchLabels":{"media/aggregate":"true"}}]}}
            """);
        Add(ResourceCatalog.ClusterRoles, """
            {"metadata":{"name":"media-logs","labels":{"media/aggregate":"true"}},"rules":[{"apiGroups":[""],"resources":["pods/log"],"verbs":["get"]}]}
            """);
        Add(ResourceCatalog.ClusterRoles, """
            {"metadata":{"name":"scc-user"},"rules":[{"apiGroups":["security.openshift.io"],"resources":["securitycontextconstraints"],"resourceNames":["privileged"],"verbs":["use"]}]}
            """);
        Add(ResourceCatalog.ClusterRoles, """
            {"metadata":{"name":"everything-apps"},"rules":[{"apiGroups":["apps"],"resources":["*"],"verbs":["*"]}]}
            """);
        Add(ResourceCatalog.RoleBindings, """
            {"metadata":{"name":"logs","namespace":"media-stack"},"roleRef":{"kind":"ClusterRole","name":"aggregate-media"},
             "subjects":[{"kind":"Group","name":"system:serviceaccounts:media-stack"}]}
            """);
        Add(ResourceCatalog.RoleBindings, """
            {"metadata":{"name":"scc","namespace":"media-stack"},"roleRef":{"kind":"ClusterRole","name":"scc-user"},
             "subjects":[{"kind":"ServiceAccount","name":"plex"}]}
            """);
        Add(ResourceCatalog.ClusterRoleBindings, """
            {"metadata":{"name":"ops"},"roleRef":{"kind":"ClusterRole","name":"everything-apps"},"subjects":[{"kind":"User","name":"ops"}]}
            """);
    }

    void Add(ResourceType rt, string json)
    {
        var obj = JsonNode.Parse(json)!.AsObject();
        _store.Create(rt, obj);
    }

    bool Allowed(Identity who, string verb, string group, string resource, string ns, string name = "", string sub = "") =>
        _rbac.Authorize(who, new AccessRequest(verb, group, resource, sub, ns, name)).Allowed;

    [Fact]
    public void Aggregated_roles_and_service_account_groups()
    {
        var plex = Identity.ServiceAccount("media-stack", "plex");
        Assert.True(Allowed(plex, "get", "", "pods", "media-stack", "p", "log"));
        Assert.False(Allowed(plex, "get", "", "pods", "media-stack", "p"));
        Assert.False(Allowed(Identity.ServiceAccount("other", "plex"), "get", "", "pods", "other", "p", "log"));
    }

    [Fact]
    public void Resource_names_and_binding_namespaces_limit_the_grant()
    {
        var plex = Identity.ServiceAccount("media-stack", "plex");
        Assert.True(Allowed(plex, "use", "security.openshift.io", "securitycontextconstraints", "media-stack", "privileged"));
        Assert.False(Allowed(plex, "use", "security.openshift.io", "securitycontextconstraints", "media-stack", "anyuid"));
        Assert.False(Allowed(plex, "use", "security.openshift.io", "securitycontextconstraints", "media-stack"));
        Assert.False(Allowed(Identity.ServiceAccount("media-stack", "sonarr"), "use", "security.openshift.io", "securitycontextconstraints", "media-stack", "privileged"));
        var decision = _rbac.Authorize(plex, new AccessRequest("use", "security.openshift.io", "securitycontextconstraints", "", "media-stack", "privileged"));
        Assert.Equal("RBAC: allowed by RoleBinding \"scc/media-stack\" of ClusterRole \"scc-user\" to ServiceAccount \"plex\"", decision.Reason);
    }

    [Fact]
    public void Wildcards_cover_every_resource_and_verb_of_a_group_only()
    {
        var ops = new Identity("ops", ["system:authenticated"]);
        Assert.True(Allowed(ops, "deletecollection", "apps", "replicasets", "any"));
        Assert.True(Allowed(ops, "patch", "apps", "deployments", "", "x", "scale"));
        Assert.False(Allowed(ops, "get", "", "secrets", "any"));
        Assert.Equal("pods \"p\" is forbidden: User \"ops\" cannot get resource \"pods/log\" in API group \"\" in the namespace \"media-stack\"",
            RbacAuthorizer.ForbiddenMessage(ops, new AccessRequest("get", "", "pods", "log", "media-stack", "p")));
        Assert.Equal("deployments.apps is forbidden: User \"ops\" cannot list resource \"deployments\" in API group \"apps\" at the cluster scope",
            RbacAuthorizer.ForbiddenMessage(ops, new AccessRequest("list", "apps", "deployments", "", "", "")));
    }
}
