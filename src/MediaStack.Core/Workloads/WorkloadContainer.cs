using System.Text.Json;
using System.Text.Json.Nodes;
using MediaStack.Core.Sidecars;

namespace MediaStack.Core.Workloads;

// One container of a workload's pod spec, read-only, with where it sits (a JSON path for
// evidence, a JSON pointer for patches) and its role (given by Workload).
public sealed class WorkloadContainer
{
    internal WorkloadContainer(JsonObject json, string list, int index, string specPath, string specPointer)
    {
        Json = json;
        List = list;
        Index = index;
        IsInit = list == Workload.InitContainers;
        Path = $"{specPath}.{list}[{index}]";
        Pointer = $"{specPointer}/{list}/{index}";
        Name = Text(json["name"]) ?? "";
        Image = Text(json["image"]) ?? "";
        Command = Strings(json["command"]);
        Args = Strings(json["args"]);
        var line = Command.Concat(Args).ToArray();
        Rclone = RcloneCommandLine.TryParse(line);
        RunsRcloneServe = RcloneCommandLine.IsServe(line);
    }

    public JsonObject Json { get; }

    // containers or initContainers, and the position in that list.
    public string List { get; }

    public int Index { get; }

    // JSON path for evidence, e.g. spec.template.spec.containers[2].
    public string Path { get; }

    // JSON pointer for patches, e.g. /spec/template/spec/containers/2.
    public string Pointer { get; }

    public bool IsInit { get; }

    // A native sidecar: an init container that keeps running (restartPolicy Always).
    public bool IsNativeSidecar => IsInit && Text(Json["restartPolicy"]) == "Always";

    // Runs next to the app for the pod's life: a regular container or a native sidecar.
    public bool IsLongRunning => !IsInit || IsNativeSidecar;

    public string Name { get; }

    public string Image { get; }

    public IReadOnlyList<string> Command { get; }

    public IReadOnlyList<string> Args { get; }

    // The parsed `rclone mount` command line, when the container runs one.
    public RcloneCommandLine? Rclone { get; }

    // `rclone serve webdav|nfs|...`: serves a remote, mounts nothing.
    public bool RunsRcloneServe { get; }

    public ContainerRole Role { get; internal set; } = ContainerRole.Other;

    public bool Privileged => Json["securityContext"]?["privileged"] is JsonValue value
        && value.GetValueKind() == JsonValueKind.True;

    public IEnumerable<(JsonObject Mount, int Index)> VolumeMounts =>
        (Json["volumeMounts"] as JsonArray ?? [])
            .Select((node, index) => (node as JsonObject, index))
            .Where(pair => pair.Item1 is not null)
            .Select(pair => (pair.Item1!, pair.index));

    // The volume mount that holds `path` (longest mountPath prefix, no subPath), if any.
    public (JsonObject Mount, int Index)? MountCovering(string path)
    {
        (JsonObject, int)? best = null;
        var bestLength = -1;
        foreach (var (mount, index) in VolumeMounts)
        {
            var mountPath = (Text(mount["mountPath"]) ?? "").TrimEnd('/');
            if (mount["subPath"] is not null || mount["subPathExpr"] is not null || mountPath.Length == 0)
            {
                continue;
            }
            if ((path.TrimEnd('/') == mountPath || path.StartsWith(mountPath + "/", StringComparison.Ordinal)) && mountPath.Length > bestLength)
            {
                best = (mount, index);
                bestLength = mountPath.Length;
            }
        }
        return best;
    }

    // The mounts of one volume in this container.
    public IEnumerable<(JsonObject Mount, int Index)> MountsOf(string volume) =>
        VolumeMounts.Where(mount => Text(mount.Mount["name"]) == volume);

    public static string Propagation(JsonObject mount) =>
        Text(mount["mountPropagation"]) is { Length: > 0 } value ? value : "None";

    // Every shell text the container runs: command, args, lifecycle hooks.
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

    // Does its script (sh -c SCRIPT, or plain mkdir words) create this folder?
    public bool CreatesPath(string path) => MkdirScript.CreatesPath(MkdirScript.ScriptOf(Json), path);

    public override string ToString() => $"{Name} ({Role})";

    // The node at keys, through mappings only: null where any step is not a mapping (a
    // manifest may hold a list where a mapping belongs; readers must not throw on it).
    public static JsonNode? At(JsonNode? node, params string[] keys)
    {
        foreach (var key in keys)
        {
            node = node is JsonObject map && map.TryGetPropertyValue(key, out var value) ? value : null;
        }
        return node;
    }

    // A string value, or null for anything else (a manifest may hold a number or a list where
    // a name belongs; the shape check reports that, readers must not throw on it).
    public static string? Text(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;

    internal static IReadOnlyList<string> Strings(JsonNode? node) =>
        node is JsonArray array
            ? array.Select(item => item is JsonValue value ? (value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : value.ToJsonString()) : item?.ToJsonString() ?? "").ToArray()
            : [];
}
