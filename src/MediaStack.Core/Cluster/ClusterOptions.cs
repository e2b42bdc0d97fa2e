namespace MediaStack.Core.Cluster;

// What a cluster cmdlet was told about where to connect; null means "use the default".
// KubeConfig: explicit file, else $KUBECONFIG (a path list), else ~/.kube/config, else the
// in-cluster service account. Namespace: explicit, else the context's, else the stack's.
public sealed record ClusterOptions(
    string? KubeConfig = null,
    string? Context = null,
    string? Namespace = null,
    string DefaultNamespace = "media-stack");
