using System.Text.Json.Nodes;
using MediaStack.Core.Config;
using MediaStack.Core.Errors;
using MediaStack.Core.Pods;

namespace MediaStack.Core.Sidecars.Reconcile;

// Compares a Deployment with the desired rclone layout (DesiredSidecars, the same
// containers New-MediaApp writes) and lists the smallest set of operations that makes it
// so: missing parts are added, wrong fields are corrected in place, other containers,
// their order and every field we do not own are left alone. The cluster applier and the
// file applier both carry out the same plan.
public static partial class SidecarPlanner
{
    private const string PodSpec = "/spec/template/spec";

    public static SidecarPlan Plan(JsonObject deployment, MediaStackConfig config, SidecarPlanOptions? options = null)
    {
        options ??= new SidecarPlanOptions();
        var name = (string?)deployment["metadata"]?["name"] ?? "";
        if ((string?)deployment["kind"] is { } kind && kind != "Deployment" || deployment["spec"]?["template"]?["spec"] is not JsonObject)
        {
            throw new MediaStackException(ErrorIds.NotADeployment, ErrorCategory.InvalidData,
                $"'{name}' is not a Deployment with a pod template.", name);
        }
        var mounts = SelectMounts(config, options.Mounts);
        var work = new Work((JsonObject)deployment.DeepClone());
        var mode = options.Mode ?? work.ExistingMode(config) ?? SidecarMode.Classic;
        var app = FindAppContainer(deployment, config, options.AppContainer, required: !options.Remove);
        if (options.Remove)
        {
            PlanRemoval(work, config, mounts, app);
        }
        else
        {
            PlanAddition(work, config, mounts, mode, app!);
        }
        return new SidecarPlan(deployment, work.Operations, work.Changes, app, mode, mounts, options.Remove);
    }

    private static IReadOnlyList<RcloneMount> SelectMounts(MediaStackConfig config, IReadOnlyList<string>? names)
    {
        if (names is null || names.Count == 0)
        {
            return config.Mounts;
        }
        var unknown = names.Where(name => config.Mounts.All(mount => mount.Name != name)).ToList();
        if (unknown.Count > 0)
        {
            throw new MediaStackException(ErrorIds.UnknownMount, ErrorCategory.InvalidArgument,
                $"No configured mount is named {string.Join(", ", unknown.Select(name => $"'{name}'"))}; the configured mounts are {string.Join(", ", config.Mounts.Select(mount => mount.Name))}.",
                string.Join(",", unknown), "Use a name from (Get-MediaStackConfig).Mounts.");
        }
        return config.Mounts.Where(mount => names.Contains(mount.Name)).ToList();
    }

    // The app container: -AppContainer, else AppContainerRule with the mount root required
    // (a container that does not mount it cannot be told from an unrelated one).
    public static string? FindAppContainer(JsonObject deployment, MediaStackConfig config, string? hint, bool required = true)
    {
        var name = (string?)deployment["metadata"]?["name"] ?? "";
        var containers = (deployment["spec"]?["template"]?["spec"]?["containers"] as JsonArray ?? [])
            .OfType<JsonObject>().ToList();
        var names = containers.Select(container => (string?)container["name"] ?? "").ToList();
        if (!string.IsNullOrEmpty(hint))
        {
            if (names.Contains(hint))
            {
                return hint;
            }
            throw new MediaStackException(ErrorIds.AppContainerNotFound, ErrorCategory.InvalidArgument,
                $"Deployment '{name}' has no container named '{hint}'; its containers are {string.Join(", ", names)}.",
                name, $"-AppContainer {string.Join(" | ", names.Where(candidate => !IsSidecar(config, containers[names.IndexOf(candidate)])))}");
        }
        var template = deployment["spec"]?["template"]?["metadata"];
        var labels = template?["labels"] ?? deployment["metadata"]?["labels"];
        var (found, _) = AppContainerRule.Find(
            containers.Select(container => new AppContainerRule.Candidate(
                (string?)container["name"] ?? "",
                IsSidecar(config, container) || ContainerRoles.IsKnownSidecar((string?)container["name"] ?? "", (string?)container["image"]),
                MountOf(container, config.MountRoot) is not null)).ToList(),
            (string?)template?["annotations"]?[AppContainerRule.DefaultContainerAnnotation],
            [(name, "Deployment"), ((string?)labels?["app"], "app label"), ((string?)labels?["app.kubernetes.io/name"], "app.kubernetes.io/name label")],
            requireMountRoot: true);
        if (found is not null)
        {
            return found;
        }
        if (!required)
        {
            return null;
        }
        var others = containers.Where(container => !IsSidecar(config, container)).Select(container => (string?)container["name"]).ToList();
        throw new MediaStackException(ErrorIds.AppContainerNotFound, ErrorCategory.InvalidArgument,
            $"Cannot tell the app container of Deployment '{name}': no container mounts {config.MountRoot}, none is named after the Deployment or its app label, and there is no kubectl.kubernetes.io/default-container annotation.",
            name, others.Count > 0 ? $"Name it: -AppContainer {string.Join(" | ", others)}" : "Add the app container first, or name it with -AppContainer.");
    }

    private static bool IsSidecar(MediaStackConfig config, JsonObject container)
    {
        var name = (string?)container["name"] ?? "";
        return config.Mounts.Any(mount => mount.ContainerName == name)
            || name.StartsWith(RcloneMount.ContainerPrefix, StringComparison.Ordinal)
            || ((string?)container["image"] ?? "").Contains("rclone", StringComparison.OrdinalIgnoreCase);
    }

    private static JsonObject? MountOf(JsonObject container, string mountPath) =>
        (container["volumeMounts"] as JsonArray ?? []).OfType<JsonObject>()
            .FirstOrDefault(mount => ((string?)mount["mountPath"])?.TrimEnd('/') == mountPath.TrimEnd('/'));

    private static void PlanAddition(Work work, MediaStackConfig config, IReadOnlyList<RcloneMount> mounts, SidecarMode mode, string app)
    {
        EnsureInitDirs(work, config);
        foreach (var mount in mounts)
        {
            EnsureSidecar(work, config, mount, mode);
        }
        EnsureAppMount(work, config, app);
        EnsureVolume(work, DesiredSidecars.SharedVolume(config));
        foreach (var volume in DesiredSidecars.SecretVolumes(config with { Mounts = mounts }))
        {
            EnsureVolume(work, volume);
        }
    }

    private static void EnsureInitDirs(Work work, MediaStackConfig config)
    {
        var desired = DesiredSidecars.InitDirsContainer(config);
        var index = work.IndexOf("initContainers", DesiredSidecars.InitDirsName);
        if (index < 0)
        {
            work.Insert("initContainers", 0, desired, new SidecarChange(DesiredSidecars.InitDirsName, $"added (creates {string.Join(", ", config.Mounts.Select(mount => mount.MountPath))})"));
            return;
        }
        var existing = work.List("initContainers")![index]!.AsObject();
        var script = string.Join(" ", (existing["command"] as JsonArray ?? []).Concat(existing["args"] as JsonArray ?? []).Select(part => (string?)part));
        var words = script.Split([' ', '\n', '\t', '"', '\'', ';', '&'], StringSplitOptions.RemoveEmptyEntries);
        var missing = config.Mounts.Where(mount => !words.Contains(mount.MountPath)).Select(mount => mount.MountPath).ToList();
        var mountsRoot = MountOf(existing, config.MountRoot) is not null;
        if (missing.Count > 0 || !mountsRoot)
        {
            var why = missing.Count > 0 ? $"creates {string.Join(", ", missing)} too" : $"mounts {config.MountRoot}";
            work.Emit(PatchOperation.Replace(Pointer("initContainers", index), desired), new SidecarChange(DesiredSidecars.InitDirsName, $"replaced: {why}"));
        }
    }

    private static void EnsureSidecar(Work work, MediaStackConfig config, RcloneMount mount, SidecarMode mode)
    {
        var desired = DesiredSidecars.SidecarContainer(config, mount, mode);
        var right = mode == SidecarMode.Native ? "initContainers" : "containers";
        var wrong = mode == SidecarMode.Native ? "containers" : "initContainers";
        var misplaced = work.IndexOf(wrong, mount.ContainerName);
        if (misplaced >= 0)
        {
            work.Emit(PatchOperation.Remove(Pointer(wrong, misplaced)), new SidecarChange(mount.ContainerName, $"removed from {wrong} (now a {mode.ToString().ToLowerInvariant()} sidecar)"));
        }
        var index = work.IndexOf(right, mount.ContainerName);
        if (index < 0)
        {
            work.Insert(right, InsertionIndex(work, config, mount, right), desired, new SidecarChange(mount.ContainerName, $"added ({mode.ToString().ToLowerInvariant()} sidecar, {mount.Remote} on {mount.MountPath})"));
            return;
        }
        var at = Pointer(right, index);
        var existing = work.List(right)![index]!.AsObject();
        foreach (var (field, value) in desired)
        {
            var current = existing[field]?.DeepClone();
            if (field == "volumeMounts")
            {
                EnsureMounts(work, at, existing, value!.AsArray(), mount.ContainerName);
                continue;
            }
            if (field == "args" && existing["command"] is JsonArray)
            {
                // A custom launch (a shell that clears a stale mount, then execs rclone) is
                // the owner's choice: keep it, but fix what is dangerous in it.
                FixCustomLaunch(work, at, existing, mount.ContainerName);
                continue;
            }
            var before = work.Operations.Count;
            Converge(work, at + "/" + JsonPointer.Escape(field), current, value!);
            if (work.Operations.Count > before)
            {
                work.Changes.Add(new SidecarChange(mount.ContainerName, Describe(field, current, value!)));
            }
        }
    }

    private static void FixCustomLaunch(Work work, string at, JsonObject existing, string container)
    {
        var fixes = new List<string>();
        foreach (var field in new[] { "command", "args" })
        {
            if (existing[field] is not JsonArray list)
            {
                continue;
            }
            for (var i = 0; i < list.Count; i++)
            {
                if (list[i] is not JsonValue item || item.GetValueKind() != System.Text.Json.JsonValueKind.String)
                {
                    continue;
                }
                var text = item.GetValue<string>();
                var loopback = PublicRcAddress().Replace(text, "--rc-addr${sep}127.0.0.1:${port}");
                var fuse3 = FuseTwo().Replace(loopback, "fusermount3");
                if (loopback != text)
                {
                    fixes.Add("rc bound to 127.0.0.1");
                }
                if (fuse3 != loopback)
                {
                    fixes.Add("fusermount -> fusermount3");
                }
                if (fuse3 != text)
                {
                    work.Emit(PatchOperation.Replace($"{at}/{field}/{i}", JsonValue.Create(fuse3)));
                }
            }
        }
        if (fixes.Count > 0)
        {
            work.Changes.Add(new SidecarChange(container, $"custom command kept; {string.Join(", ", fixes.Distinct())}"));
        }
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"--rc-addr(?<sep>=|\s+)(?:0\.0\.0\.0|\[::\])?:(?<port>[0-9]+)")]
    private static partial System.Text.RegularExpressions.Regex PublicRcAddress();

    [System.Text.RegularExpressions.GeneratedRegex(@"\bfusermount\b")]
    private static partial System.Text.RegularExpressions.Regex FuseTwo();

    // Makes current hold at least what desired holds: missing members are added, differing
    // scalars replaced, lists of strings edited item by item (so comments on the items that
    // stay are kept). Members desired does not name are left alone, which also keeps the
    // defaults the API server fills in (successThreshold, imagePullPolicy ...).
    private static void Converge(Work work, string at, JsonNode? current, JsonNode desired)
    {
        switch (desired)
        {
            case JsonObject wanted when current is JsonObject existing:
                foreach (var (key, value) in wanted)
                {
                    var path = at + "/" + JsonPointer.Escape(key);
                    if (value is null)
                    {
                        continue;
                    }
                    if (!existing.ContainsKey(key) || existing[key] is null)
                    {
                        work.Emit(PatchOperation.Add(path, value.DeepClone()));
                    }
                    else
                    {
                        Converge(work, path, existing[key], value);
                    }
                }
                break;
            case JsonArray wanted when current is JsonArray existing && IsScalarList(existing) && IsScalarList(wanted):
                EditList(work, at, existing, wanted);
                break;
            case JsonArray wanted when current is JsonArray existing && existing.Count == wanted.Count:
                for (var i = 0; i < wanted.Count; i++)
                {
                    Converge(work, $"{at}/{i}", existing[i], wanted[i]!);
                }
                break;
            default:
                if (current is null)
                {
                    work.Emit(PatchOperation.Add(at, desired.DeepClone()));
                }
                else if (!SameValue(current, desired))
                {
                    work.Emit(PatchOperation.Replace(at, desired.DeepClone()));
                }
                break;
        }
    }

    // The fewest add / remove / replace operations that turn one list of strings into the
    // other, along their longest common subsequence.
    private static void EditList(Work work, string at, JsonArray existing, JsonArray wanted)
    {
        var a = existing.Select(Text).ToList();
        var b = wanted.Select(Text).ToList();
        var common = new int[a.Count + 1, b.Count + 1];
        for (var i = a.Count - 1; i >= 0; i--)
        {
            for (var j = b.Count - 1; j >= 0; j--)
            {
                common[i, j] = a[i] == b[j] ? common[i + 1, j + 1] + 1 : Math.Max(common[i + 1, j], common[i, j + 1]);
            }
        }
        int x = 0, y = 0, position = 0;
        while (x < a.Count || y < b.Count)
        {
            if (x < a.Count && y < b.Count && a[x] == b[y])
            {
                x++;
                y++;
                position++;
            }
            else if (x < a.Count && y < b.Count && common[x + 1, y + 1] == common[x, y])
            {
                work.Emit(PatchOperation.Replace($"{at}/{position}", wanted[y]!.DeepClone()));
                x++;
                y++;
                position++;
            }
            else if (y < b.Count && (x == a.Count || common[x, y + 1] >= common[x + 1, y]))
            {
                work.Emit(PatchOperation.Add($"{at}/{position}", wanted[y]!.DeepClone()));
                y++;
                position++;
            }
            else
            {
                work.Emit(PatchOperation.Remove($"{at}/{position}"));
                x++;
            }
        }
    }

    private static bool IsScalarList(JsonArray list) => list.All(item => item is JsonValue);

    private static string Text(JsonNode? node) => node?.ToJsonString() ?? "null";

    // 30 read from YAML (a long) equals 30 built in code (an int).
    private static bool SameValue(JsonNode current, JsonNode desired) =>
        JsonNode.DeepEquals(current, desired) || current.ToJsonString() == desired.ToJsonString();

    private static string Describe(string field, JsonNode? current, JsonNode desired) => field switch
    {
        "securityContext" => "set privileged",
        "args" => "args: " + DescribeArgs(current as JsonArray, desired.AsArray()),
        "lifecycle" when current?.ToJsonString().Contains("\"fusermount\"", StringComparison.Ordinal) == true => "corrected lifecycle (fusermount -> fusermount3)",
        _ => current is null ? $"set {field}" : $"corrected {field}",
    };

    // Sidecars keep the configured order and come before the app (classic) or right after
    // init-dirs (native): the insertion point follows the last earlier mount already there.
    private static int InsertionIndex(Work work, MediaStackConfig config, RcloneMount mount, string list)
    {
        var after = work.IndexOf(list, DesiredSidecars.InitDirsName);
        foreach (var earlier in config.Mounts.TakeWhile(candidate => candidate != mount))
        {
            after = Math.Max(after, work.IndexOf(list, earlier.ContainerName));
        }
        return after + 1;
    }

    private static void EnsureMounts(Work work, string at, JsonObject existing, JsonArray desired, string container)
    {
        foreach (var wanted in desired.OfType<JsonObject>())
        {
            var path = (string)wanted["mountPath"]!;
            var mounts = existing["volumeMounts"] as JsonArray;
            var index = mounts?.OfType<JsonObject>().ToList().FindIndex(mount => (string?)mount["mountPath"] == path) ?? -1;
            if (mounts is null)
            {
                work.Emit(PatchOperation.Add(at + "/volumeMounts", new JsonArray(wanted.DeepClone())), new SidecarChange(container, $"mount {wanted["name"]} at {path}"));
                continue;
            }
            if (index < 0)
            {
                work.Emit(PatchOperation.Add(at + "/volumeMounts/-", wanted.DeepClone()), new SidecarChange(container, $"mount {wanted["name"]} at {path}"));
                continue;
            }
            var mount = mounts[index]!.AsObject();
            foreach (var (field, value) in wanted)
            {
                if (mount[field] is null || !SameValue(mount[field]!, value!))
                {
                    var description = field == "mountPropagation"
                        ? $"{path} propagation {(string?)mount[field] ?? "None"} -> {value}"
                        : $"{path} {field} {mount[field]?.ToJsonString() ?? "unset"} -> {value!.ToJsonString()}";
                    work.Emit(PatchOperation.Add($"{at}/volumeMounts/{index}/{JsonPointer.Escape(field)}", value!.DeepClone()), new SidecarChange(container, description));
                }
            }
        }
    }

    private static void EnsureAppMount(Work work, MediaStackConfig config, string app)
    {
        var index = work.IndexOf("containers", app);
        var container = work.List("containers")![index]!.AsObject();
        var wanted = DesiredSidecars.AppMediaMount(config, withSidecars: true);
        var current = MountOf(container, config.MountRoot);
        var at = Pointer("containers", index);
        if (current is null)
        {
            var operation = container["volumeMounts"] is JsonArray
                ? PatchOperation.Add(at + "/volumeMounts/-", wanted)
                : PatchOperation.Add(at + "/volumeMounts", new JsonArray(wanted));
            work.Emit(operation, new SidecarChange(app, $"mount {config.SharedVolume} at {config.MountRoot} ({DesiredSidecars.HostToContainer})"));
            return;
        }
        var propagation = (string?)current["mountPropagation"];
        if (propagation != DesiredSidecars.HostToContainer)
        {
            var mountIndex = container["volumeMounts"]!.AsArray().IndexOf(current);
            work.Emit(PatchOperation.Add($"{at}/volumeMounts/{mountIndex}/mountPropagation", JsonValue.Create(DesiredSidecars.HostToContainer)),
                new SidecarChange(app, $"{config.MountRoot} propagation {propagation ?? "None"} -> {DesiredSidecars.HostToContainer}"));
        }
    }

    private static void EnsureVolume(Work work, JsonObject volume)
    {
        var name = (string)volume["name"]!;
        if (work.IndexOf("volumes", name) < 0)
        {
            work.Insert("volumes", work.List("volumes")?.Count ?? 0, volume, new SidecarChange("volumes", $"added {name}{(volume["secret"] is JsonObject secret ? $" (secret {secret["secretName"]})" : "")}"));
        }
    }

    private static void PlanRemoval(Work work, MediaStackConfig config, IReadOnlyList<RcloneMount> mounts, string? app)
    {
        foreach (var mount in mounts)
        {
            foreach (var list in new[] { "containers", "initContainers" })
            {
                var index = work.IndexOf(list, mount.ContainerName);
                if (index >= 0)
                {
                    work.RemoveItem(list, index, new SidecarChange(mount.ContainerName, $"removed from {list}"));
                }
            }
        }
        var anyLeft = config.Mounts.Any(mount => work.IndexOf("containers", mount.ContainerName) >= 0 || work.IndexOf("initContainers", mount.ContainerName) >= 0);
        if (!anyLeft)
        {
            var init = work.IndexOf("initContainers", DesiredSidecars.InitDirsName);
            if (init >= 0)
            {
                work.RemoveItem("initContainers", init, new SidecarChange(DesiredSidecars.InitDirsName, "removed"));
            }
            if (app is not null)
            {
                ResetAppPropagation(work, config, app);
            }
        }
        foreach (var volume in mounts.Select(mount => mount.SecretVolume).Distinct())
        {
            var index = work.IndexOf("volumes", volume);
            if (index >= 0 && !work.IsVolumeUsed(volume))
            {
                work.RemoveItem("volumes", index, new SidecarChange("volumes", $"removed {volume}"));
            }
        }
    }

    // With no sidecar left there is nothing to receive: back to the default propagation.
    private static void ResetAppPropagation(Work work, MediaStackConfig config, string app)
    {
        var index = work.IndexOf("containers", app);
        var container = work.List("containers")![index]!.AsObject();
        if (MountOf(container, config.MountRoot) is { } mount && (string?)mount["mountPropagation"] == DesiredSidecars.HostToContainer)
        {
            var mountIndex = container["volumeMounts"]!.AsArray().IndexOf(mount);
            work.Emit(PatchOperation.Remove($"{Pointer("containers", index)}/volumeMounts/{mountIndex}/mountPropagation"),
                new SidecarChange(app, $"{config.MountRoot} propagation {DesiredSidecars.HostToContainer} -> None (no sidecar left)"));
        }
    }

    private static string DescribeArgs(JsonArray? current, JsonArray desired)
    {
        var before = (current ?? []).Select(arg => arg?.ToString() ?? "").ToList();
        var after = desired.Select(arg => arg?.ToString() ?? "").ToList();
        var removed = before.Except(after).ToList();
        var added = after.Except(before).ToList();
        if (removed.Count == 0 && added.Count == 0)
        {
            return "reordered";
        }
        var parts = new List<string>();
        if (removed.Count > 0)
        {
            parts.Add("removed " + string.Join(" ", removed));
        }
        if (added.Count > 0)
        {
            parts.Add("added " + string.Join(" ", added));
        }
        return string.Join(", ", parts);
    }

    private static string Pointer(string list, int index) => $"{PodSpec}/{list}/{index}";

    // The Deployment as the plan goes: every operation is applied at once, so the next one
    // is computed (and its indexes counted) against the result, as a JSON patch runs.
    private sealed class Work(JsonObject deployment)
    {
        public List<PatchOperation> Operations { get; } = [];
        public List<SidecarChange> Changes { get; } = [];

        private JsonObject Pod => deployment["spec"]!["template"]!["spec"]!.AsObject();

        public JsonArray? List(string list) => Pod[list] as JsonArray;

        public int IndexOf(string list, string name) =>
            List(list)?.OfType<JsonObject>().ToList().FindIndex(item => (string?)item["name"] == name) ?? -1;

        public SidecarMode? ExistingMode(MediaStackConfig config)
        {
            bool In(string list) => config.Mounts.Any(mount => IndexOf(list, mount.ContainerName) >= 0);
            return In("initContainers") ? SidecarMode.Native : In("containers") ? SidecarMode.Classic : null;
        }

        public bool IsVolumeUsed(string volume) =>
            new[] { "containers", "initContainers" }
                .SelectMany(list => List(list)?.OfType<JsonObject>() ?? [])
                .SelectMany(container => container["volumeMounts"] as JsonArray ?? [])
                .Any(mount => (string?)mount?["name"] == volume);

        public void Emit(PatchOperation operation, SidecarChange? change = null)
        {
            JsonPointer.Apply(deployment, operation);
            Operations.Add(operation);
            if (change is not null)
            {
                Changes.Add(change);
            }
        }

        public void Insert(string list, int index, JsonObject item, SidecarChange change)
        {
            var operation = List(list) is null
                ? PatchOperation.Add($"{PodSpec}/{list}", new JsonArray(item.DeepClone()))
                : PatchOperation.Add($"{PodSpec}/{list}/{index}", item.DeepClone());
            Emit(operation, change);
        }

        // The last item goes with its key, so no empty list is left behind.
        public void RemoveItem(string list, int index, SidecarChange change) =>
            Emit(List(list)!.Count == 1 ? PatchOperation.Remove($"{PodSpec}/{list}") : PatchOperation.Remove(Pointer(list, index)), change);
    }
}
