namespace MediaStack.Sandbox.Store;

// Every resource the sandbox serves, per group-version, as kube-apiserver 1.32 and
// OpenShift 4.x name them.
public sealed class ResourceCatalog
{
    static readonly string[] Crud = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];

    public static readonly ResourceType Namespaces = new("", "v1", "namespaces", "namespace", "Namespace", false, ["create", "delete", "get", "list", "patch", "update", "watch"], ["ns"], ["status"]);
    public static readonly ResourceType Pods = new("", "v1", "pods", "pod", "Pod", true, Crud, ["po"], ["log", "exec", "status"]);
    public static readonly ResourceType Services = new("", "v1", "services", "service", "Service", true, Crud, ["svc"], ["status"]);
    public static readonly ResourceType Secrets = new("", "v1", "secrets", "secret", "Secret", true, Crud, [], []);
    public static readonly ResourceType ConfigMaps = new("", "v1", "configmaps", "configmap", "ConfigMap", true, Crud, ["cm"], []);
    public static readonly ResourceType ServiceAccounts = new("", "v1", "serviceaccounts", "serviceaccount", "ServiceAccount", true, Crud, ["sa"], ["token"]);
    public static readonly ResourceType Pvcs = new("", "v1", "persistentvolumeclaims", "persistentvolumeclaim", "PersistentVolumeClaim", true, Crud, ["pvc"], ["status"]);
    public static readonly ResourceType Events = new("", "v1", "events", "event", "Event", true, Crud, ["ev"], []);
    public static readonly ResourceType Nodes = new("", "v1", "nodes", "node", "Node", false, Crud, ["no"], ["status"]);
    public static readonly ResourceType Deployments = new("apps", "v1", "deployments", "deployment", "Deployment", true, Crud, ["deploy"], ["status", "scale"], HasGeneration: true);
    public static readonly ResourceType ReplicaSets = new("apps", "v1", "replicasets", "replicaset", "ReplicaSet", true, Crud, ["rs"], ["status", "scale"], HasGeneration: true);
    public static readonly ResourceType StatefulSets = new("apps", "v1", "statefulsets", "statefulset", "StatefulSet", true, Crud, ["sts"], ["status", "scale"], HasGeneration: true);
    public static readonly ResourceType DaemonSets = new("apps", "v1", "daemonsets", "daemonset", "DaemonSet", true, Crud, ["ds"], ["status"], HasGeneration: true);
    public static readonly ResourceType Roles = new("rbac.authorization.k8s.io", "v1", "roles", "role", "Role", true, Crud, [], []);
    public static readonly ResourceType RoleBindings = new("rbac.authorization.k8s.io", "v1", "rolebindings", "rolebinding", "RoleBinding", true, Crud, [], []);
    public static readonly ResourceType ClusterRoles = new("rbac.authorization.k8s.io", "v1", "clusterroles", "clusterrole", "ClusterRole", false, Crud, [], []);
    public static readonly ResourceType ClusterRoleBindings = new("rbac.authorization.k8s.io", "v1", "clusterrolebindings", "clusterrolebinding", "ClusterRoleBinding", false, Crud, [], []);
    public static readonly ResourceType SubjectAccessReviews = new("authorization.k8s.io", "v1", "subjectaccessreviews", "subjectaccessreview", "SubjectAccessReview", false, ["create"], [], [], Virtual: true);
    public static readonly ResourceType SelfSubjectAccessReviews = new("authorization.k8s.io", "v1", "selfsubjectaccessreviews", "selfsubjectaccessreview", "SelfSubjectAccessReview", false, ["create"], [], [], Virtual: true);
    public static readonly ResourceType SelfSubjectRulesReviews = new("authorization.k8s.io", "v1", "selfsubjectrulesreviews", "selfsubjectrulesreview", "SelfSubjectRulesReview", false, ["create"], [], [], Virtual: true);
    public static readonly ResourceType Routes = new("route.openshift.io", "v1", "routes", "route", "Route", true, Crud, [], ["status"], OpenShiftOnly: true);
    public static readonly ResourceType Sccs = new("security.openshift.io", "v1", "securitycontextconstraints", "securitycontextconstraints", "SecurityContextConstraints", false, Crud, ["scc"], [], OpenShiftOnly: true);

    public IReadOnlyList<ResourceType> All { get; }

    public ResourceCatalog(bool openShift)
    {
        ResourceType[] all =
        [
            Namespaces, Pods, Services, Secrets, ConfigMaps, ServiceAccounts, Pvcs, Events, Nodes,
            Deployments, ReplicaSets, StatefulSets, DaemonSets, Roles, RoleBindings, ClusterRoles, ClusterRoleBindings,
            SubjectAccessReviews, SelfSubjectAccessReviews, SelfSubjectRulesReviews, Routes, Sccs,
        ];
        All = all.Where(r => openShift || !r.OpenShiftOnly).ToList();
    }

    public IEnumerable<string> Groups => All.Select(r => r.Group).Where(g => g.Length > 0).Distinct();

    public IEnumerable<ResourceType> InGroupVersion(string group, string version) =>
        All.Where(r => r.Group == group && r.Version == version);

    public ResourceType? Find(string group, string version, string plural) =>
        All.FirstOrDefault(r => r.Group == group && r.Version == version && r.Plural == plural);

    public ResourceType? ForKind(string apiVersion, string kind) =>
        All.FirstOrDefault(r => r.ApiVersion == apiVersion && r.Kind == kind);
}
