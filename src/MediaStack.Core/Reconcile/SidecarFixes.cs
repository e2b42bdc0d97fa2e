using System.Text.Json.Nodes;
using MediaStack.Core.Config;
using MediaStack.Core.Diagnosis.Model;
using MediaStack.Core.JsonPatch;
using MediaStack.Core.Manifests;
using MediaStack.Core.Sidecars;
using MediaStack.Core.Workloads;

namespace MediaStack.Core.Reconcile;

// The fix of each fixable rule, as the least edit that removes the defect: Add-RcloneSidecar
// applies them to what the static rules find, Repair-MediaMount to the findings it is given.
// Every fix looks at the workload as it stands now (earlier fixes included) and does nothing
// when the defect is already gone, so applying one twice changes nothing.
internal sealed class SidecarFixes(PatchBuilder work, MediaStackConfig config, string? appHint)
{
    // The sidecars these fixes may touch (Add: those of the configured mounts it manages);
    // null: any (Repair: the findings name them).
    public IReadOnlySet<string>? Managed { get; init; }

    private IEnumerable<WorkloadContainer> ManagedSidecars => Model.RcloneMounts.Where(sidecar => Managed is null || Managed.Contains(sidecar.Name));

    private Workload? _model;
    private int _modelAt = -1;

    // The model of the working copy, rebuilt after each change.
    public Workload Model
    {
        get
        {
            if (_model is null || _modelAt != work.Operations.Count)
            {
                _model = Workload.From(work.Current, config, appHint);
                _modelAt = work.Operations.Count;
            }
            return _model;
        }
    }

    // The volume sidecars mount: the app's media volume, else the config's shared volume.
    public string Volume => Model.MediaVolumeName;

    public SidecarMode Mode(SidecarMode? requested) => requested ?? Model.SidecarMode ?? SidecarMode.Classic;

    // Applies the fix of one finding; false when the rule has no automatic fix here.
    public bool Apply(MountFinding finding, SidecarMode? mode = null)
    {
        var id = finding.RuleId;
        var container = finding.Container;
        var mount = finding.Mount is { } name ? config.Mounts.FirstOrDefault(candidate => candidate.Name == name) : null;
        if (Managed is not null && container is not null && Model.Container(container) is { Role: ContainerRole.RcloneMount } && !Managed.Contains(container))
        {
            return false;
        }
        switch (id)
        {
            case "MS101" when mount is not null:
                AddSidecar(mount, Mode(mode), id);
                return true;
            case "MS102" when container is not null:
                SidecarPropagation(container, id);
                return true;
            case "MS103":
                AppMediaMount(id);
                return true;
            case "MS105" when container is not null && container == Model.App?.Name:
                AppMediaMount(id);
                return true;
            case "MS104" or "MS105" or "MS221" or "MS222" or "MS223" or "MS241" when container is not null:
                Privileged(container, id);
                return true;
            case "MS108" or "MS109" or "MS226":
                InitDirs(ManagedSidecars.Select(sidecar => sidecar.Name).ToList(), id);
                InitDirsFirst(id);
                return true;
            case "MS110" when container is not null && mount is not null:
                SecretVolume(container, mount, id);
                return true;
            case "MS111" when container is not null:
                EditWords(container, id, "rc bound to 127.0.0.1", CommandLineEdits.RcOnLoopback, CommandLineEdits.RcValueOnLoopback);
                return true;
            case "MS112" when container is not null:
                EditWords(container, id, "fusermount -> fusermount3", CommandLineEdits.Fusermount3, null);
                return true;
            case "MS113" or "MS230" when container is not null:
                RcPort(container, id);
                return true;
            case "MS114" when container is not null:
                Limits(container, id);
                return true;
            case "MS116" when container is not null:
                MountPoint(container, id);
                return true;
            case "MS118" when container is not null:
                SidecarVolume(container, id);
                return true;
            default:
                return false;
        }
    }

    public void AddSidecar(RcloneMount mount, SidecarMode mode, string? ruleId)
    {
        if (work.Container(mount.ContainerName) is not null)
        {
            return;
        }
        var list = mode == SidecarMode.Native ? Workload.InitContainers : Workload.Containers;
        var volume = Volume;
        work.Insert(list, InsertionIndex(list, mount), DesiredSidecars.SidecarContainer(config, mount, mode, volume),
            new PlannedChange(mount.ContainerName, $"added ({mode.ToString().ToLowerInvariant()} sidecar, {mount.Remote} on {mount.MountPath})", ruleId));
        EnsureSecretVolume(mount, ruleId);
        if (work.IndexOf("volumes", mount.CacheVolume) < 0)
        {
            work.Insert("volumes", work.List("volumes")?.Count ?? 0, DesiredSidecars.CacheVolume(config, mount),
                new PlannedChange("volumes", $"added {mount.CacheVolume} (emptyDir for the VFS cache)", ruleId));
        }
        InitDirs([mount.ContainerName], ruleId);
    }

    // Sidecars keep the configured order and come before the app (classic) or right after
    // init-dirs (native): the insertion point follows the last earlier mount already there.
    private int InsertionIndex(string list, RcloneMount mount)
    {
        var after = Model.InitDirs.Where(c => c.List == list).Select(c => work.IndexOf(list, c.Name)).DefaultIfEmpty(-1).Max();
        foreach (var earlier in config.Mounts.TakeWhile(candidate => candidate != mount))
        {
            after = Math.Max(after, work.IndexOf(list, earlier.ContainerName));
        }
        return after + 1;
    }

    public void Privileged(string name, string? ruleId)
    {
        if (work.Container(name) is not { } container)
        {
            return;
        }
        var change = new PlannedChange(name, "set privileged", ruleId);
        if (container.Json["securityContext"] is not JsonObject security)
        {
            work.Emit(PatchOperation.Add(container.Pointer + "/securityContext", new JsonObject { ["privileged"] = true }), change);
            return;
        }
        work.Set(container.Pointer + "/securityContext", "privileged", JsonValue.Create(true), change);
        // The API server refuses privileged together with allowPrivilegeEscalation: false.
        if (security["allowPrivilegeEscalation"] is JsonValue escalation && escalation.GetValueKind() == System.Text.Json.JsonValueKind.False)
        {
            work.Emit(PatchOperation.Remove(container.Pointer + "/securityContext/allowPrivilegeEscalation"),
                new PlannedChange(name, "dropped allowPrivilegeEscalation: false (the API server refuses it with privileged)", ruleId));
        }
    }

    public void SidecarPropagation(string name, string? ruleId)
    {
        if (Model.Container(name) is not { Rclone: { } line } sidecar || work.Container(name) is not { } container)
        {
            return;
        }
        if (sidecar.MountCovering(line.MountPoint) is { } covering)
        {
            work.Set($"{container.Pointer}/volumeMounts/{covering.Index}", "mountPropagation", JsonValue.Create(DesiredSidecars.Bidirectional),
                new PlannedChange(name, $"{covering.Mount["mountPath"]} propagation {WorkloadContainer.Propagation(covering.Mount)} -> {DesiredSidecars.Bidirectional}", ruleId));
            return;
        }
        AddVolumeMount(container, DesiredSidecars.MediaMount(config, Volume), new PlannedChange(name, $"mount {Volume} at {config.MountRoot} ({DesiredSidecars.Bidirectional})", ruleId));
    }

    // The sidecar's mount of the other volume becomes a mount of the app's media volume; a
    // volume nothing mounts any more goes.
    public void SidecarVolume(string name, string? ruleId)
    {
        if (Model.Container(name) is not { Rclone: { } line } sidecar || work.Container(name) is not { } container
            || sidecar.MountCovering(line.MountPoint) is not { } covering || Model.MediaVolume is not { } media)
        {
            return;
        }
        var old = WorkloadContainer.Text(covering.Mount["name"])!;
        if (old == media.Name)
        {
            return;
        }
        work.Set($"{container.Pointer}/volumeMounts/{covering.Index}", "name", JsonValue.Create(media.Name),
            new PlannedChange(name, $"mounts the app's media volume {media.Name} instead of {old}", ruleId));
        // init-dirs makes the mount points where the sidecar mounts: it follows.
        foreach (var initDirs in Model.InitDirs.ToList())
        {
            foreach (var (mount, index) in initDirs.MountsOf(old).ToList())
            {
                work.Set($"{work.Container(initDirs.Name)!.Value.Pointer}/volumeMounts/{index}", "name", JsonValue.Create(media.Name),
                    new PlannedChange(initDirs.Name, $"mounts the app's media volume {media.Name} instead of {old}", ruleId));
            }
        }
        RemoveVolumeIfUnused(old, ruleId);
    }

    public void RemoveVolumeIfUnused(string volume, string? ruleId)
    {
        if (!work.IsVolumeUsed(volume) && work.IndexOf("volumes", volume) >= 0)
        {
            work.Remove("volumes", volume, new PlannedChange("volumes", $"removed {volume} (nothing mounts it)", ruleId));
        }
    }

    // The app receives the mounts: its mount of the media volume gets HostToContainer (and
    // the mount itself when the app has none).
    public void AppMediaMount(string? ruleId)
    {
        if (Model.App is not { } app || work.Container(app.Name) is not { } container)
        {
            return;
        }
        var volume = Volume;
        if (Model.AppMediaMount is { } mounted)
        {
            work.Set($"{container.Pointer}/volumeMounts/{mounted.Index}", "mountPropagation", JsonValue.Create(DesiredSidecars.HostToContainer),
                new PlannedChange(app.Name, $"{mounted.Mount["mountPath"]} propagation {WorkloadContainer.Propagation(mounted.Mount)} -> {DesiredSidecars.HostToContainer}", ruleId));
            return;
        }
        EnsureVolume(volume, ruleId);
        AddVolumeMount(container, DesiredSidecars.AppMediaMount(config, withSidecars: true, volume),
            new PlannedChange(app.Name, $"mount {volume} at {config.MountRoot} ({DesiredSidecars.HostToContainer})", ruleId));
    }

    // The config's shared claim as the media volume, when the pod has no volume of that name.
    private void EnsureVolume(string volume, string? ruleId)
    {
        if (work.IndexOf("volumes", volume) >= 0)
        {
            return;
        }
        var shared = DesiredSidecars.SharedVolume(config);
        shared["name"] = volume;
        work.Insert("volumes", work.List("volumes")?.Count ?? 0, shared, new PlannedChange("volumes", $"added {volume} (claim {config.SharedClaim})", ruleId));
    }

    // init-dirs creates the mount points of these sidecars: a new init-dirs when there is
    // none, else the missing paths (as init-dirs sees them) added to its mkdir, and its mount
    // of the media volume when it lacks one.
    public void InitDirs(IEnumerable<string> sidecars, string? ruleId)
    {
        var mounting = sidecars.Select(name => Model.Container(name)).Where(c => c?.Rclone is not null).Cast<WorkloadContainer>().ToList();
        if (mounting.Count == 0)
        {
            return;
        }
        var volume = Volume;
        if (Model.InitDirs.FirstOrDefault() is not { } initDirs)
        {
            if (work.Container(DesiredSidecars.InitDirsName) is not null)
            {
                return;
            }
            // The new init-dirs mounts the media volume where the sidecars do.
            var points = mounting.Select(sidecar => sidecar.Rclone!.MountPoint.TrimEnd('/')).Distinct().ToList();
            work.Insert(Workload.InitContainers, 0, DesiredSidecars.InitDirsContainer(config, volume, points, Model.MediaRoot),
                new PlannedChange(DesiredSidecars.InitDirsName, $"added (creates {string.Join(", ", points)})", ruleId));
            return;
        }
        if (!initDirs.MountsOf(volume).Any() && initDirs.MountCovering(config.MountRoot) is null)
        {
            AddVolumeMount(work.Container(initDirs.Name)!.Value, new JsonObject { ["name"] = volume, ["mountPath"] = config.MountRoot },
                new PlannedChange(initDirs.Name, $"mount {volume} at {config.MountRoot}", ruleId));
            initDirs = Model.Container(initDirs.Name)!;
        }
        var paths = mounting.Select(sidecar => (Workload.PathIn(sidecar, sidecar.Rclone!.MountPoint, initDirs) ?? sidecar.Rclone.MountPoint).TrimEnd('/'))
            .Distinct().Where(path => !initDirs.CreatesPath(path)).ToList();
        if (paths.Count == 0)
        {
            return;
        }
        var container = work.Container(initDirs.Name)!.Value;
        var change = new PlannedChange(initDirs.Name, $"creates {string.Join(", ", paths)} too", ruleId);
        if (MkdirScript.IsExecMkdir(container.Json))
        {
            // mkdir -p PATH ... without a shell: each missing path becomes a word of its own.
            var field = container.Json["args"] is JsonArray ? "args" : "command";
            foreach (var path in paths)
            {
                work.Emit(PatchOperation.Add($"{container.Pointer}/{field}/-", JsonValue.Create(path)), change);
            }
            return;
        }
        foreach (var field in new[] { "command", "args" })
        {
            if (container.Json[field] is not JsonArray list)
            {
                continue;
            }
            var index = list.ToList().FindIndex(item => WorkloadContainer.Text(item) is { } text && text.Contains("mkdir", StringComparison.Ordinal));
            if (index >= 0 && CommandLineEdits.AddMkdirPaths(WorkloadContainer.Text(list[index])!, paths) is { } edited)
            {
                work.Emit(PatchOperation.Replace($"{container.Pointer}/{field}/{index}", JsonValue.Create(edited)), change);
                return;
            }
        }
    }

    // init-dirs must run before any native sidecar mounts.
    private void InitDirsFirst(string? ruleId)
    {
        if (Model.InitDirs.FirstOrDefault() is not { } initDirs)
        {
            return;
        }
        var firstNative = Model.RcloneMounts.Where(sidecar => sidecar.IsNativeSidecar).Select(sidecar => sidecar.Index).DefaultIfEmpty(int.MaxValue).Min();
        if (initDirs.Index < firstNative)
        {
            return;
        }
        var moved = (JsonObject)initDirs.Json.DeepClone();
        var change = new PlannedChange(initDirs.Name, "moved before the native sidecars", ruleId);
        work.Emit(PatchOperation.Remove(work.Pointer(Workload.InitContainers, initDirs.Index)), change);
        work.Insert(Workload.InitContainers, 0, moved, change);
    }

    public void SecretVolume(string name, RcloneMount mount, string? ruleId)
    {
        if (work.Container(name) is not { } container || Model.Container(name) is not { } sidecar)
        {
            return;
        }
        var volume = EnsureSecretVolume(mount, ruleId);
        if (!sidecar.MountsOf(volume).Any() && sidecar.VolumeMounts.All(m => !Workload.SamePath(WorkloadContainer.Text(m.Mount["mountPath"]) ?? "", config.RcloneConfigDir)))
        {
            var secretMount = DesiredSidecars.SecretMount(config, mount);
            secretMount["name"] = volume;
            AddVolumeMount(container, secretMount, new PlannedChange(name, $"mount {volume} at {config.RcloneConfigDir}", ruleId));
        }
    }

    // The pod volume of the mount's secret (an existing one of that secret, whatever its name).
    private string EnsureSecretVolume(RcloneMount mount, string? ruleId)
    {
        var existing = Model.Volumes.FirstOrDefault(volume => WorkloadContainer.Text(volume["secret"]?["secretName"]) == mount.Secret);
        if (existing is not null)
        {
            return WorkloadContainer.Text(existing["name"])!;
        }
        if (work.IndexOf("volumes", mount.SecretVolume) < 0)
        {
            work.Insert("volumes", work.List("volumes")?.Count ?? 0, DesiredSidecars.SecretVolume(mount),
                new PlannedChange("volumes", $"added {mount.SecretVolume} (secret {mount.Secret})", ruleId));
        }
        return mount.SecretVolume;
    }

    private void RcPort(string name, string? ruleId)
    {
        var expected = Model.Container(name) is { } sidecar ? Model.MountServedBy(sidecar) : null;
        var taken = Model.RcloneMounts.Where(other => other.Name != name && other.Rclone!.RcEnabled).Select(other => other.Rclone!.RcPort).OfType<int>().ToHashSet();
        var port = expected?.Configured?.RcPort is { } configured && !taken.Contains(configured)
            ? configured
            : Enumerable.Range(5572, 100).First(candidate => !taken.Contains(candidate));
        EditWords(name, ruleId, $"rc port {port}", text => CommandLineEdits.RcPort(text, port), (previous, value) => CommandLineEdits.RcValuePort(previous, value, port));
    }

    private void Limits(string name, string? ruleId)
    {
        if (work.Container(name) is not { } container)
        {
            return;
        }
        var limits = ContainerParts.Resources(config.SidecarResources)["limits"]!.AsObject();
        var change = new PlannedChange(name, $"limits cpu {limits["cpu"]}, memory {limits["memory"]}", ruleId);
        if (container.Json["resources"] is not JsonObject)
        {
            work.Emit(PatchOperation.Add(container.Pointer + "/resources", new JsonObject { ["limits"] = limits.DeepClone() }), change);
            return;
        }
        var current = container.Json["resources"]!["limits"] as JsonObject;
        var wanted = new JsonObject();
        foreach (var (key, value) in limits)
        {
            // A limit already set is the owner's; only the missing one is added.
            if (current?[key] is null)
            {
                wanted[key] = value!.DeepClone();
            }
        }
        if (wanted.Count > 0)
        {
            work.Converge(container.Pointer + "/resources", new JsonObject { ["limits"] = wanted }, change);
        }
    }

    // A mount onto the volume root moves into the configured subdirectory for its remote.
    private void MountPoint(string name, string? ruleId)
    {
        if (Model.Container(name) is not { Rclone: { } line } || work.Container(name) is not { } container)
        {
            return;
        }
        var mount = config.Mounts.FirstOrDefault(candidate => candidate.Remote == line.Remote) ?? config.Mounts.FirstOrDefault(candidate => candidate.ContainerName == name);
        if (mount is null || container.Json["args"] is not JsonArray args)
        {
            return;
        }
        var index = args.ToList().FindIndex(item => WorkloadContainer.Text(item) == line.MountPoint);
        if (index < 0)
        {
            return;
        }
        work.Emit(PatchOperation.Replace($"{container.Pointer}/args/{index}", JsonValue.Create(mount.MountPath)),
            new PlannedChange(name, $"mounts into {mount.MountPath} instead of {line.MountPoint}", ruleId));
        InitDirs([name], ruleId);
    }

    // Rewrites the words of a container's command, args and lifecycle hooks: `text` edits a
    // whole word (also a `sh -c` line), `value` a flag's value given as the next word.
    private void EditWords(string name, string? ruleId, string description, Func<string, string?> text, Func<string, string, string?>? value)
    {
        if (work.Container(name) is not { } container)
        {
            return;
        }
        var change = new PlannedChange(name, description, ruleId);
        foreach (var field in new[] { "command", "args", "lifecycle/preStop/exec/command", "lifecycle/postStart/exec/command" })
        {
            if (JsonPointer.Find(container.Json, "/" + field) is not JsonArray list)
            {
                continue;
            }
            for (var i = 0; i < list.Count; i++)
            {
                if (WorkloadContainer.Text(list[i]) is not { } word)
                {
                    continue;
                }
                var previous = i > 0 ? WorkloadContainer.Text(list[i - 1]) ?? "" : "";
                if ((text(word) ?? value?.Invoke(previous, word)) is { } edited)
                {
                    work.Emit(PatchOperation.Replace($"{container.Pointer}/{field}/{i}", JsonValue.Create(edited)), change);
                }
            }
        }
    }

    private void AddVolumeMount((JsonObject Json, string Pointer, string List) container, JsonObject mount, PlannedChange change) =>
        work.Emit(container.Json["volumeMounts"] is JsonArray
            ? PatchOperation.Add(container.Pointer + "/volumeMounts/-", mount)
            : PatchOperation.Add(container.Pointer + "/volumeMounts", new JsonArray(mount)), change);
}
