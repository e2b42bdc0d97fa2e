namespace MediaStack.Sandbox.Rbac;

// Who a request acts as: the user name and groups the authenticator resolved.
public sealed record Identity(string User, IReadOnlyList<string> Groups)
{
    public static Identity ServiceAccount(string ns, string name) =>
        new($"system:serviceaccount:{ns}:{name}", ["system:serviceaccounts", $"system:serviceaccounts:{ns}", "system:authenticated"]);

    // Pods a ReplicaSet creates are requested by the controller's own service account.
    public static readonly Identity ReplicaSetController = ServiceAccount("kube-system", "replicaset-controller");
    public static readonly Identity StatefulSetController = ServiceAccount("kube-system", "statefulset-controller");
    public static readonly Identity DaemonSetController = ServiceAccount("kube-system", "daemon-set-controller");

    public static readonly Identity System = new("system:kube-controller-manager", ["system:masters", "system:authenticated"]);
}

// What is asked: a resource request (verb on group/resource[/subresource] in a namespace,
// optionally by name) or a non-resource one (verb on a path).
public sealed record AccessRequest(
    string Verb,
    string Group,
    string Resource,
    string Subresource,
    string Namespace,
    string Name,
    string? Path = null)
{
    public bool IsResource => Path is null;
}
