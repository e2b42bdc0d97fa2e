using System.Text.Json.Nodes;

namespace MediaStack.Sandbox.Node;

// The seam between the API server (store, controllers, admission) and whatever runs pods.
// The pod controller hands a bound pod to the runtime and forgets about it; the runtime
// owns the pod's lifecycle from then on and reports back through INodeHost. Objects cross
// the seam as JSON (deep copies), exactly as the API would serve them.
public interface INodeRuntime : IAsyncDisposable
{
    // One short sentence when this runtime cannot work on this machine (no namespaces,
    // no /dev/fuse ...), else null.
    string? Unavailable { get; }

    void Attach(INodeHost host);

    // A pod that was scheduled (spec.nodeName set). Returns once the pod is accepted;
    // containers start in the background and status flows through INodeHost.
    Task StartPodAsync(JsonObject pod, CancellationToken ct);

    // Graceful stop (SIGTERM, grace period, then SIGKILL) and clean-up of the pod's
    // mounts, namespaces and files. Completes when nothing of the pod is left.
    Task StopPodAsync(string ns, string name, string uid, int gracePeriodSeconds, CancellationToken ct);

    // Runs a command in a container, streaming its output; returns the exit code.
    // Throws ContainerNotFoundException / ContainerNotRunningException for the API to map.
    Task<int> ExecAsync(ExecRequest request, CancellationToken ct);

    // The container's log (current instance, or the previous one), null when there is none.
    string? ReadLog(string ns, string pod, string container, bool previous);

    // Added by the API server (backward compatible: both have defaults).
    // The scenario's SandboxScenario document (apiVersion sandbox.mediastack.dev/v1), given
    // once before any pod starts; spec.backends is the runtime's to interpret.
    Task ConfigureAsync(JsonObject scenario, CancellationToken ct) => Task.CompletedTask;

    // A fault the API server does not handle itself (kill-container, slow-backend ...),
    // forwarded from POST /sandbox/v1/faults and `fault <name>`. Returns a one-line
    // description of what was done; throws NotSupportedException for unknown names and
    // ArgumentException for bad arguments (both answered 400).
    Task<string> ApplyFaultAsync(string name, JsonObject args, CancellationToken ct) =>
        throw new NotSupportedException($"the node runtime does not know the fault \"{name}\"");
}

public interface INodeHost
{
    // A deep copy of a stored object (secrets, configmaps, PVCs), or null when absent.
    JsonObject? Get(string resource, string ns, string name);

    // Mutates the stored pod's status under the store's lock (bumps resourceVersion and
    // notifies watchers). Ignored when the pod (uid) no longer exists.
    void UpdatePodStatus(string ns, string name, string uid, Action<JsonObject> mutateStatus);

    // Records an Event (reason/message as kubelet would) about the object.
    void RecordEvent(string ns, string kind, string name, string uid, string type, string reason, string message);
}

public sealed record ExecRequest(
    string Namespace,
    string Pod,
    string Container,
    IReadOnlyList<string> Command,
    Stream? Stdin,
    Func<ReadOnlyMemory<byte>, CancellationToken, Task> Stdout,
    Func<ReadOnlyMemory<byte>, CancellationToken, Task> Stderr);

public sealed class ContainerNotFoundException(string message) : Exception(message);

public sealed class ContainerNotRunningException(string message) : Exception(message);
