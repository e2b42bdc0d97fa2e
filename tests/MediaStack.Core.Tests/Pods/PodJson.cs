using System.Text.Json.Nodes;

namespace MediaStack.Core.Tests.Pods;

// Pods as the API server serves them, built from a few facts.
internal static class PodJson
{
    public static string Pod(
        string name,
        string[] containers,
        string? appLabel = null,
        string? replicaSet = null,
        string? hash = null,
        string? defaultContainer = null,
        string phase = "Running",
        string? node = "wow-ocp-node2",
        string[]? nativeSidecars = null,
        Dictionary<string, string[]>? args = null,
        Dictionary<string, string>? images = null,
        int restarts = 0)
    {
        JsonObject Container(string container) => new()
        {
            ["name"] = container,
            ["image"] = images?.GetValueOrDefault(container) ?? (container.StartsWith("rclone") ? "docker.io/rclone/rclone:latest" : $"lscr.io/linuxserver/{container}:latest"),
            ["args"] = args?.GetValueOrDefault(container) is { } values ? new JsonArray(values.Select(value => (JsonNode)value!).ToArray()) : null,
        };

        var labels = new JsonObject();
        if (appLabel is not null)
        {
            labels["app"] = appLabel;
        }
        if (hash is not null)
        {
            labels["pod-template-hash"] = hash;
        }
        var metadata = new JsonObject
        {
            ["name"] = name,
            ["namespace"] = "media-stack",
            ["creationTimestamp"] = "2026-11-25T20:00:00Z",
            ["labels"] = labels,
        };
        if (defaultContainer is not null)
        {
            metadata["annotations"] = new JsonObject { ["kubectl.kubernetes.io/default-container"] = defaultContainer };
        }
        if (replicaSet is not null)
        {
            metadata["ownerReferences"] = new JsonArray(new JsonObject { ["apiVersion"] = "apps/v1", ["kind"] = "ReplicaSet", ["name"] = replicaSet, ["uid"] = "u1", ["controller"] = true });
        }
        var init = new JsonArray((nativeSidecars ?? []).Select(sidecar =>
        {
            var container = Container(sidecar);
            container["restartPolicy"] = "Always";
            return (JsonNode)container;
        }).ToArray());
        var pod = new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Pod",
            ["metadata"] = metadata,
            ["spec"] = new JsonObject
            {
                ["nodeName"] = node,
                ["initContainers"] = init,
                ["containers"] = new JsonArray(containers.Select(container => (JsonNode)Container(container)).ToArray()),
            },
            ["status"] = new JsonObject
            {
                ["phase"] = phase,
                ["containerStatuses"] = new JsonArray(containers.Select((container, index) => (JsonNode)new JsonObject
                {
                    ["name"] = container,
                    ["ready"] = index != 0 || containers.Length == 1,
                    ["restartCount"] = restarts,
                    ["image"] = "x",
                    ["imageID"] = "x",
                }).ToArray()),
            },
        };
        return pod.ToJsonString();
    }

    public static string[] ZurgArgs => ["mount", "zurg:", "/mnt/media/zurg", "--config=/config/rclone/rclone.conf", "--allow-other"];

    public static string[] TorboxArgs => ["mount", "torbox:", "/mnt/media/torbox", "--rc", "--rc-addr=:5573"];
}
