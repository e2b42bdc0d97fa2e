using System.Text.Json.Nodes;
using MediaStack.Sandbox.Json;
using MediaStack.Sandbox.Store;

namespace MediaStack.Sandbox.Resources;

// core/v1 Events as controllers and the kubelet write them; a repeat of the same
// reason and message on the same object bumps count and lastTimestamp.
public sealed class EventRecorder(ObjectStore store)
{
    public void Record(JsonObject involved, string type, string reason, string message, string component, string? host = null) =>
        Record(involved.Namespace() is { Length: > 0 } ns ? ns : "default", involved.Str("kind") ?? "", involved.Name(), involved.Uid(),
            involved.Str("apiVersion") ?? "v1", involved.Str("metadata", "resourceVersion") ?? "", type, reason, message, component, host);

    public void Record(string ns, string kind, string name, string uid, string apiVersion, string resourceVersion,
        string type, string reason, string message, string component, string? host = null)
    {
        var now = JsonPath.Timestamp(DateTimeOffset.UtcNow);
        lock (store.Gate)
        {
            var existing = store.List(ResourceCatalog.Events, ns, e =>
                e.Str("involvedObject", "uid") == uid && e.Str("reason") == reason && e.Str("message") == message).Items.FirstOrDefault();
            if (existing is not null)
            {
                store.Update(ResourceCatalog.Events, ns, existing.Name(), e =>
                {
                    e["count"] = (e.Long("count") ?? 1) + 1;
                    e["lastTimestamp"] = now;
                    return e;
                });
                return;
            }
            var source = new JsonObject { ["component"] = component };
            if (host is not null) source["host"] = host;
            store.Create(ResourceCatalog.Events, new JsonObject
            {
                ["kind"] = "Event",
                ["apiVersion"] = "v1",
                ["metadata"] = new JsonObject
                {
                    ["name"] = $"{name}.{DateTime.UtcNow.Ticks:x}{Random.Shared.Next(0x1000):x3}",
                    ["namespace"] = ns,
                },
                ["involvedObject"] = new JsonObject
                {
                    ["kind"] = kind,
                    ["namespace"] = ns,
                    ["name"] = name,
                    ["uid"] = uid,
                    ["apiVersion"] = apiVersion,
                    ["resourceVersion"] = resourceVersion,
                },
                ["reason"] = reason,
                ["message"] = message,
                ["source"] = source,
                ["firstTimestamp"] = now,
                ["lastTimestamp"] = now,
                ["count"] = 1,
                ["type"] = type,
                ["eventTime"] = null,
                ["reportingComponent"] = component,
                ["reportingInstance"] = host ?? "",
            });
        }
    }
}
