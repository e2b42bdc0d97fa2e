using System.Text.Json.Nodes;

namespace MediaStack.Core.Tests.Pods;

// Pods as the API server serves them, built from a few facts: every container mounts the
// media volume at /mnt/media (rclone Bidirectional, the others HostToContainer) unless
// mediaVolume is false; a Running pod's containers run (the first one not ready when there
// are several), other phases' wait in ContainerCreating unless `waiting` says otherwise.
internal static class PodJson
{
    public static readonly DateTime Created = new(2026, 11, 25, 20, 0, 0, DateTimeKind.Utc);

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
        int restarts = 0,
        Dictionary<string, string>? waiting = null,
        bool mediaVolume = true,
        string? ownerKind = null,
        bool terminating = false,
        string? annotation = null)
    {
        JsonObject Container(string container)
        {
            var rclone = container.StartsWith("rclone");
            var json = new JsonObject
            {
                ["name"] = container,
                ["image"] = images?.GetValueOrDefault(container) ?? (rclone ? "docker.io/rclone/rclone:latest" : $"lscr.io/linuxserver/{container}:latest"),
                ["args"] = args?.GetValueOrDefault(container) is { } values ? new JsonArray(values.Select(value => (JsonNode)value!).ToArray()) : null,
            };
            if (mediaVolume)
            {
                json["volumeMounts"] = new JsonArray(new JsonObject
                {
                    ["name"] = "media-storage",
                    ["mountPath"] = "/mnt/media",
                    ["mountPropagation"] = rclone ? "Bidirectional" : "HostToContainer",
                });
            }
            return json;
        }

        JsonObject Status(string container, bool ready)
        {
            var reason = waiting?.GetValueOrDefault(container) ?? (phase == "Running" ? null : "ContainerCreating");
            return new JsonObject
            {
                ["name"] = container,
                ["ready"] = ready && reason is null,
                ["restartCount"] = restarts,
                ["image"] = "x",
                ["imageID"] = "x",
                ["state"] = reason is null
                    ? new JsonObject { ["running"] = new JsonObject { ["startedAt"] = "2026-11-25T20:00:05Z" } }
                    : new JsonObject { ["waiting"] = new JsonObject { ["reason"] = reason } },
            };
        }

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
        var annotations = new JsonObject();
        if (defaultContainer is not null)
        {
            annotations["kubectl.kubernetes.io/default-container"] = defaultContainer;
        }
        if (annotation is not null)
        {
            annotations["mediastack.io/mounts"] = annotation;
        }
        if (annotations.Count > 0)
        {
            metadata["annotations"] = annotations;
        }
        if (replicaSet is not null)
        {
            metadata["ownerReferences"] = new JsonArray(new JsonObject { ["apiVersion"] = "apps/v1", ["kind"] = ownerKind ?? "ReplicaSet", ["name"] = replicaSet, ["uid"] = "u1", ["controller"] = true });
        }
        if (terminating)
        {
            metadata["deletionTimestamp"] = "2026-11-25T20:59:00Z";
        }
        var native = nativeSidecars ?? [];
        var init = new JsonArray(native.Select(sidecar =>
        {
            var container = Container(sidecar);
            container["restartPolicy"] = "Always";
            return (JsonNode)container;
        }).ToArray());
        var spec = new JsonObject
        {
            ["nodeName"] = node,
            ["initContainers"] = init,
            ["containers"] = new JsonArray(containers.Select(container => (JsonNode)Container(container)).ToArray()),
        };
        if (mediaVolume)
        {
            spec["volumes"] = new JsonArray(new JsonObject { ["name"] = "media-storage", ["persistentVolumeClaim"] = new JsonObject { ["claimName"] = "media-library-pvc" } });
        }
        var pod = new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Pod",
            ["metadata"] = metadata,
            ["spec"] = spec,
            ["status"] = new JsonObject
            {
                ["phase"] = phase,
                ["startTime"] = "2026-11-25T20:00:00Z",
                ["initContainerStatuses"] = new JsonArray(native.Select(sidecar => (JsonNode)Status(sidecar, ready: true)).ToArray()),
                ["containerStatuses"] = new JsonArray(containers.Select((container, index) => (JsonNode)Status(container, index != 0 || containers.Length == 1)).ToArray()),
            },
        };
        return pod.ToJsonString();
    }

    public static string[] ZurgArgs => ["mount", "zurg:", "/mnt/media/zurg", "--config=/config/rclone/rclone.conf", "--allow-other"];

    public static string[] TorboxArgs => ["mount", "torbox:", "/mnt/media/torbox", "--rc", "--rc-addr=:5573"];

    // The seed's pair of sidecars with their args.
    public static Dictionary<string, string[]> SeedArgs => new() { ["rclone-zurg"] = ZurgArgs, ["rclone-torbox"] = TorboxArgs };
}
