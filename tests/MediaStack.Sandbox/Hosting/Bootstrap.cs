using System.Text.Json.Nodes;
using MediaStack.Sandbox.Json;
using MediaStack.Sandbox.Rbac;
using MediaStack.Sandbox.Scenarios;
using MediaStack.Sandbox.Store;

namespace MediaStack.Sandbox.Hosting;

// What a fresh cluster already holds: system namespaces and the media-stack namespace,
// the nodes, the bootstrap RBAC roles and bindings, and on OpenShift the default SCCs
// (the privileged SCC exists; nothing binds system:openshift:scc:privileged).
public static class Bootstrap
{
    public static void Seed(SandboxCluster cluster, IReadOnlyList<NodeSpec> nodes)
    {
        var admin = Identity.System;
        void Create(ResourceType rt, JsonObject obj) => cluster.Objects.Create(admin, rt, obj.Str("metadata", "namespace"), obj);

        foreach (var ns in new[] { "default", "kube-system", "kube-public", "media-stack" })
            Create(ResourceCatalog.Namespaces, Obj("v1", "Namespace", ns));

        foreach (var node in nodes)
        {
            var n = Obj("v1", "Node", node.Name);
            var labels = new JsonObject
            {
                ["kubernetes.io/hostname"] = node.Name,
                ["kubernetes.io/os"] = "linux",
                ["kubernetes.io/arch"] = "amd64",
                ["node-role.kubernetes.io/worker"] = "",
            };
            foreach (var (k, v) in node.Labels) labels[k] = v;
            n["metadata"]!["labels"] = labels;
            n["spec"] = new JsonObject();
            var now = JsonPath.Timestamp(DateTimeOffset.UtcNow);
            n["status"] = new JsonObject
            {
                ["conditions"] = new JsonArray(new JsonObject
                {
                    ["type"] = "Ready",
                    ["status"] = "True",
                    ["reason"] = "KubeletReady",
                    ["message"] = "kubelet is posting ready status",
                    ["lastHeartbeatTime"] = now,
                    ["lastTransitionTime"] = now,
                }),
                ["nodeInfo"] = new JsonObject
                {
                    ["kubeletVersion"] = Api.Discovery.GitVersion,
                    ["osImage"] = "MediaStack sandbox",
                    ["operatingSystem"] = "linux",
                    ["architecture"] = "amd64",
                    ["containerRuntimeVersion"] = $"sandbox://{cluster.RuntimeName}",
                },
            };
            Create(ResourceCatalog.Nodes, n);
        }

        Create(ResourceCatalog.ClusterRoles, Role("cluster-admin",
            Rule(["*"], ["*"], ["*"]),
            new JsonObject { ["nonResourceURLs"] = Arr("*"), ["verbs"] = Arr("*") }));
        Create(ResourceCatalog.ClusterRoles, Role("system:basic-user",
            Rule(["authorization.k8s.io"], ["selfsubjectaccessreviews", "selfsubjectrulesreviews"], ["create"])));
        Create(ResourceCatalog.ClusterRoles, Role("system:discovery",
            new JsonObject
            {
                ["nonResourceURLs"] = Arr("/api", "/api/*", "/apis", "/apis/*", "/healthz", "/livez", "/readyz", "/openapi", "/openapi/*", "/version", "/version/"),
                ["verbs"] = Arr("get"),
            }));
        string[] workloads = ["pods", "pods/log", "services", "configmaps", "secrets", "serviceaccounts", "persistentvolumeclaims", "events"];
        string[] apps = ["deployments", "replicasets", "statefulsets", "daemonsets"];
        Create(ResourceCatalog.ClusterRoles, Role("view",
            Rule(["", "apps", "route.openshift.io"], [.. workloads.Where(r => r != "secrets"), .. apps, "routes", "namespaces"], ["get", "list", "watch"])));
        Create(ResourceCatalog.ClusterRoles, Role("edit",
            Rule(["", "apps", "route.openshift.io"], [.. workloads, .. apps, "deployments/scale", "statefulsets/scale", "routes"], ["get", "list", "watch", "create", "update", "patch", "delete"]),
            Rule([""], ["pods/exec"], ["create", "get"])));
        Create(ResourceCatalog.ClusterRoleBindings, Binding("cluster-admin", "cluster-admin", "system:masters"));
        Create(ResourceCatalog.ClusterRoleBindings, Binding("system:basic-user", "system:basic-user", "system:authenticated"));
        Create(ResourceCatalog.ClusterRoleBindings, Binding("system:discovery", "system:discovery", "system:authenticated"));

        if (cluster.Mode != ClusterMode.OpenShift) return;
        foreach (var scc in new[] { "privileged", "hostmount-anyuid" })
            Create(ResourceCatalog.ClusterRoles, Role($"system:openshift:scc:{scc}",
                Rule(["security.openshift.io"], ["securitycontextconstraints"], ["use"], [scc])));
        Create(ResourceCatalog.Sccs, Scc("restricted-v2", privileged: false, runAsUser: "MustRunAsRange", users: [], groups: ["system:authenticated"]));
        Create(ResourceCatalog.Sccs, Scc("anyuid", privileged: false, runAsUser: "RunAsAny", users: [], groups: ["system:cluster-admins"], priority: 10));
        // What node-level mount readers are usually granted: host paths, nothing privileged.
        var hostmount = Scc("hostmount-anyuid", privileged: false, runAsUser: "RunAsAny",
            users: ["system:serviceaccount:openshift-infra:pv-recycler-controller"], groups: []);
        hostmount["allowHostDirVolumePlugin"] = true;
        hostmount["volumes"] = Arr("configMap", "downwardAPI", "emptyDir", "hostPath", "nfs", "persistentVolumeClaim", "projected", "secret");
        Create(ResourceCatalog.Sccs, hostmount);
        Create(ResourceCatalog.Sccs, Scc("privileged", privileged: true, runAsUser: "RunAsAny",
            users: ["system:admin", "system:serviceaccount:openshift-infra:build-controller"],
            groups: ["system:cluster-admins", "system:nodes", "system:masters"]));
    }

    static JsonObject Obj(string apiVersion, string kind, string name) => new()
    {
        ["apiVersion"] = apiVersion,
        ["kind"] = kind,
        ["metadata"] = new JsonObject { ["name"] = name },
    };

    static JsonArray Arr(params string[] values) => new(values.Select(v => (JsonNode)v).ToArray());

    static JsonObject Rule(string[] groups, string[] resources, string[] verbs, string[]? names = null)
    {
        var rule = new JsonObject { ["apiGroups"] = Arr(groups), ["resources"] = Arr(resources), ["verbs"] = Arr(verbs) };
        if (names is not null) rule["resourceNames"] = Arr(names);
        return rule;
    }

    static JsonObject Role(string name, params JsonObject[] rules)
    {
        var role = Obj("rbac.authorization.k8s.io/v1", "ClusterRole", name);
        role["rules"] = new JsonArray(rules.Select(r => (JsonNode)r).ToArray());
        return role;
    }

    static JsonObject Binding(string name, string role, string group)
    {
        var b = Obj("rbac.authorization.k8s.io/v1", "ClusterRoleBinding", name);
        b["roleRef"] = new JsonObject { ["apiGroup"] = "rbac.authorization.k8s.io", ["kind"] = "ClusterRole", ["name"] = role };
        b["subjects"] = new JsonArray(new JsonObject { ["apiGroup"] = "rbac.authorization.k8s.io", ["kind"] = "Group", ["name"] = group });
        return b;
    }

    static JsonObject Scc(string name, bool privileged, string runAsUser, string[] users, string[] groups, int? priority = null)
    {
        var scc = Obj("security.openshift.io/v1", "SecurityContextConstraints", name);
        scc["allowPrivilegedContainer"] = privileged;
        scc["allowPrivilegeEscalation"] = true;
        scc["allowHostDirVolumePlugin"] = privileged;
        scc["allowHostNetwork"] = privileged;
        scc["allowHostPID"] = privileged;
        scc["allowHostPorts"] = privileged;
        scc["allowHostIPC"] = privileged;
        scc["readOnlyRootFilesystem"] = false;
        scc["priority"] = priority;
        scc["runAsUser"] = new JsonObject { ["type"] = runAsUser };
        scc["seLinuxContext"] = new JsonObject { ["type"] = privileged ? "RunAsAny" : "MustRunAs" };
        scc["fsGroup"] = new JsonObject { ["type"] = privileged || runAsUser == "RunAsAny" ? "RunAsAny" : "MustRunAs" };
        scc["supplementalGroups"] = new JsonObject { ["type"] = "RunAsAny" };
        scc["volumes"] = privileged ? Arr("*") : Arr("configMap", "csi", "downwardAPI", "emptyDir", "ephemeral", "persistentVolumeClaim", "projected", "secret");
        scc["users"] = Arr(users);
        scc["groups"] = Arr(groups);
        return scc;
    }
}
