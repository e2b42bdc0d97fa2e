namespace MediaStack.Sandbox.Scenarios;

// Which flavour of cluster the sandbox plays: OpenShift (SCC admission, routes) or plain
// Kubernetes (Pod Security Admission by namespace label).
public enum ClusterMode
{
    OpenShift,
    Kubernetes,
}
