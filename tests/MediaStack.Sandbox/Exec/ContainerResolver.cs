using System.Text.Json.Nodes;
using MediaStack.Sandbox.Api;
using MediaStack.Sandbox.Json;

namespace MediaStack.Sandbox.Exec;

// Picks the container a log or exec request is about, with the real server's messages
// when the request does not say and the pod has several.
public static class ContainerResolver
{
    public static string Resolve(JsonObject pod, string? requested)
    {
        var name = pod.Name();
        var containers = pod.Objects("spec", "containers").Select(c => c.Str("name") ?? "").ToList();
        var inits = pod.Objects("spec", "initContainers").Select(c => c.Str("name") ?? "").ToList();
        if (string.IsNullOrEmpty(requested))
        {
            if (containers.Count == 1) return containers[0];
            var message = $"a container name must be specified for pod {name}, choose one of: [{string.Join(" ", containers)}]";
            if (inits.Count > 0) message += $" or one of the init containers: [{string.Join(" ", inits)}]";
            throw ApiException.BadRequest(message);
        }
        if (!containers.Contains(requested) && !inits.Contains(requested))
            throw ApiException.BadRequest($"container {requested} is not valid for pod {name}");
        return requested;
    }

    // The container's status entry (regular or init), if the node reported one.
    public static JsonObject? StatusOf(JsonObject pod, string container) =>
        pod.Objects("status", "containerStatuses").Concat(pod.Objects("status", "initContainerStatuses"))
            .FirstOrDefault(s => s.Str("name") == container);
}
