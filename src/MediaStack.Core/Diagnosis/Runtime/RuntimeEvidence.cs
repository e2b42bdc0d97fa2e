using System.Text.Json.Nodes;

namespace MediaStack.Core.Diagnosis.Runtime;

// What was collected from the cluster about one pod (or about a Deployment that has no pod).
// Every part may be missing when it could not be collected; rules then say nothing.
public sealed class RuntimeEvidence
{
    // The pod as the API returns it (status included); null when the Deployment has no pod.
    public JsonObject? Pod { get; init; }

    // The Deployment's desired replica count, to tell "no pod exists" apart from "scaled to 0".
    public int DesiredReplicas { get; init; } = 1;

    // Events about the pod, its ReplicaSet and its Deployment.
    public IReadOnlyList<JsonObject> Events { get; init; } = [];

    public IReadOnlyList<ContainerLog> Logs { get; init; } = [];

    // Per sidecar: does /dev/fuse exist in it (null: could not look, e.g. not running).
    public IReadOnlyDictionary<string, bool?> FuseDevices { get; init; } = new Dictionary<string, bool?>();

    // What the app container's mount check (Test-MediaMount's probe) saw, per mount.
    public IReadOnlyList<ProbeObservation> MountProbes { get; init; } = [];

    public SymlinkSample? Symlinks { get; init; }

    public PrivilegeCheck? Privilege { get; init; }

    // Secret name -> exists, for every secret the pod mounts.
    public IReadOnlyDictionary<string, bool> Secrets { get; init; } = new Dictionary<string, bool>();

    // The node-level rclone providers (DaemonSets into host paths) and the nodes they run on;
    // null when not collected.
    public IReadOnlyList<NodeProvider>? NodeProviders { get; init; }

    // What could not be collected and why (403 on logs, exec failed ...), for -Verbose.
    public IReadOnlyList<string> Gaps { get; init; } = [];
}

public sealed record NodeProvider(string Name, string HostPath, IReadOnlyList<string> Nodes);

public sealed record ContainerLog(string Container, bool Previous, string Text);

// Status is Test-MediaMount's: OK, WARN, FAIL, STALE, TIMEOUT, NOTMOUNTED, SKIP.
public sealed record ProbeObservation(string Mount, string Path, string Status, long? Entries, string? FsType, string? Reason);

public sealed record SymlinkSample(string Folder, int Checked, IReadOnlyList<BrokenLink> Broken);

public sealed record BrokenLink(string Link, string Target);

// May the pod's service account run privileged containers? OpenShift: SubjectAccessReview
// `use` on the privileged SCC; Kubernetes: the namespace's Pod Security enforce label.
public sealed record PrivilegeCheck(bool OpenShift, bool Allowed, string Subject, string Evidence);
