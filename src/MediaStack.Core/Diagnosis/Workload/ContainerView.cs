using System.Text.Json.Nodes;
using MediaStack.Core.Sidecars;

namespace MediaStack.Core.Diagnosis.Workload;

// Read-only view of one container of a pod spec, with the JSON path used in evidence.
public sealed class ContainerView
{
    public ContainerView(JsonObject json, string path, bool isInit)
    {
        Json = json;
        Path = path;
        IsInit = isInit;
        Name = json["name"]?.GetValue<string>() ?? "";
        Image = json["image"]?.GetValue<string>() ?? "";
        Command = Strings(json["command"]);
        Args = Strings(json["args"]);
        Rclone = RcloneCommandLine.TryParse(Command.Concat(Args).ToArray());
    }

    public JsonObject Json { get; }

    // JSON path of the container, e.g. spec.template.spec.containers[2].
    public string Path { get; }

    public bool IsInit { get; }

    // A native sidecar: an init container that keeps running (restartPolicy Always).
    public bool IsNativeSidecar => IsInit && Json["restartPolicy"]?.GetValue<string>() == "Always";

    public string Name { get; }

    public string Image { get; }

    public IReadOnlyList<string> Command { get; }

    public IReadOnlyList<string> Args { get; }

    // The parsed `rclone mount` command line, when the container runs one.
    public RcloneCommandLine? Rclone { get; }

    public ContainerRole Role { get; internal set; } = ContainerRole.Other;

    public bool Privileged => Json["securityContext"]?["privileged"] is JsonValue value
        && value.TryGetValue<bool>(out var privileged) && privileged;

    public IEnumerable<(JsonObject Mount, int Index)> VolumeMounts =>
        (Json["volumeMounts"] as JsonArray ?? [])
            .Select((node, index) => (node as JsonObject, index))
            .Where(pair => pair.Item1 is not null)
            .Select(pair => (pair.Item1!, pair.index));

    // The volume mount that contains `path` (longest mountPath prefix, no subPath), if any.
    public (JsonObject Mount, int Index)? MountCovering(string path)
    {
        (JsonObject, int)? best = null;
        var bestLength = -1;
        foreach (var (mount, index) in VolumeMounts)
        {
            var mountPath = (mount["mountPath"]?.GetValue<string>() ?? "").TrimEnd('/');
            if (mount["subPath"] is not null || mountPath.Length == 0)
            {
                continue;
            }
            if ((path == mountPath || path.StartsWith(mountPath + "/", StringComparison.Ordinal)) && mountPath.Length > bestLength)
            {
                best = (mount, index);
                bestLength = mountPath.Length;
            }
        }
        return best;
    }

    public static string Propagation(JsonObject mount) =>
        mount["mountPropagation"]?.GetValue<string>() is { Length: > 0 } value ? value : "None";

    // Every shell text the container runs: command, args, lifecycle hooks, exec probes.
    public IEnumerable<(string Text, string Path)> Scripts()
    {
        foreach (var (text, index) in Command.Select((text, index) => (text, index)))
        {
            yield return (text, $"{Path}.command[{index}]");
        }
        foreach (var (text, index) in Args.Select((text, index) => (text, index)))
        {
            yield return (text, $"{Path}.args[{index}]");
        }
        foreach (var hook in new[] { "preStop", "postStart" })
        {
            var command = Strings(Json["lifecycle"]?[hook]?["exec"]?["command"]);
            for (var i = 0; i < command.Count; i++)
            {
                yield return (command[i], $"{Path}.lifecycle.{hook}.exec.command[{i}]");
            }
        }
    }

    internal static IReadOnlyList<string> Strings(JsonNode? node) =>
        node is JsonArray array
            ? array.Select(item => item is JsonValue value ? value.ToString() : item?.ToJsonString() ?? "").ToArray()
            : [];
}
