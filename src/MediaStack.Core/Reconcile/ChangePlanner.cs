using System.Text.Json.Nodes;
using MediaStack.Core.Config;
using MediaStack.Core.Diagnosis;
using MediaStack.Core.Diagnosis.Model;
using MediaStack.Core.Errors;
using MediaStack.Core.JsonPatch;
using MediaStack.Core.Manifests;
using MediaStack.Core.Sidecars;
using MediaStack.Core.Workloads;

namespace MediaStack.Core.Reconcile;

// Plans the least edit of one workload for a ChangeRequest, from its model:
// - Add: the sidecars the app lacks get the full generated shape (with the app's own media
//   volume); existing sidecars only get their defects fixed, as the static rules find them,
//   plus what -Update names. A second run finds nothing to do.
// - Remove: exactly what Add brings: the recognised sidecars, the volumes only they use,
//   their mount points in init-dirs (init-dirs itself once it does nothing else).
// - Repair: the fixes of the findings given, and nothing else.
// Gateways, node-level providers and the legacy standalone rclone are skipped with a reason.
public static class ChangePlanner
{
    // What Add-RcloneSidecar fixes on its own: defects that keep the mounts from working or
    // expose them, never taste (limits come with -Update Resources).
    private static readonly HashSet<string> AddFixes = new(StringComparer.Ordinal)
    {
        Rules.SidecarMissing.Id, Rules.SidecarPropagation.Id, Rules.AppPropagation.Id, Rules.SidecarNotPrivileged.Id,
        Rules.BidirectionalWithoutPrivileged.Id, Rules.InitDirsMissing.Id, Rules.InitDirsIncomplete.Id, Rules.SecretVolumeMissing.Id,
        Rules.RcExposed.Id, Rules.FusermountV2.Id, Rules.RcPortConflict.Id, Rules.MountOnVolumeRoot.Id, Rules.SidecarVolumeMismatch.Id,
    };

    public static ChangePlan Plan(Workload workload, ChangeRequest request)
    {
        // A name that is wrong is an error even where the workload is skipped.
        SelectMounts(workload.Config, request.Mounts);
        EnsureContainer(workload, request.AppContainer);
        if (SkipReason(workload, request) is { } reason)
        {
            return new ChangePlan(workload, request, PlanStatus.Skipped, [], [], reason, [], null);
        }
        return request.Action switch
        {
            ChangeAction.AddSidecars => PlanAdd(workload, request),
            ChangeAction.RemoveSidecars => PlanRemove(workload, request),
            _ => PlanRepair(workload, request),
        };
    }

    private static string? SkipReason(Workload workload, ChangeRequest request)
    {
        if (request.Action == ChangeAction.Repair)
        {
            return null;
        }
        if (request.Action == ChangeAction.AddSidecars && workload.Kind == WorkloadKind.MediaApp && !workload.RcloneMounts.Any()
            && workload.ExpectedMounts.Count > 0 && workload.ExpectedMounts.All(mount => mount.ServedByNode))
        {
            return $"its mounts come from the node through {workload.MediaVolume}: it needs no sidecars (Repair-MediaMount fixes its propagation)";
        }
        return workload.Kind switch
        {
            WorkloadKind.Gateway => $"gateway: {workload.KindReason}; it needs no sidecars",
            WorkloadKind.Unrelated when request.Action == ChangeAction.AddSidecars && string.IsNullOrEmpty(request.AppContainer) =>
                $"not a media workload ({workload.KindReason}); name its app container with -AppContainer to give it the mounts",
            WorkloadKind.StandaloneRclone => $"legacy standalone rclone ({workload.KindReason}): give the apps their own sidecars, then delete it (MS304)",
            WorkloadKind.NodeMountProvider => $"node-level mount provider ({workload.KindReason}): the apps on its nodes read its mounts through the host path",
            WorkloadKind.Unrelated when request.Action == ChangeAction.RemoveSidecars => $"not a media workload ({workload.KindReason})",
            _ => null,
        };
    }

    private static ChangePlan PlanAdd(Workload workload, ChangeRequest request)
    {
        var config = workload.Config;
        var model = WithAppContainer(workload, request.AppContainer);
        if (model.App is null || model.AppIsGuess)
        {
            throw UnknownApp(model, "-AppContainer");
        }
        var mounts = SelectMounts(config, request.Mounts) ?? (model.Kind == WorkloadKind.MediaApp
            ? model.ExpectedMounts.Where(mount => mount.Configured is not null).Select(mount => mount.Configured!).ToList()
            : model.WantedConfiguredMounts());
        var work = new PatchBuilder(model);
        var fixes = new SidecarFixes(work, config, request.AppContainer)
        {
            Managed = mounts.Select(mount => mount.ContainerName)
                .Concat(model.ExpectedMounts.Where(mount => mount.Sidecar is not null && mounts.Contains(mount.Configured)).Select(mount => mount.Sidecar!.Name))
                .ToHashSet(StringComparer.Ordinal),
        };
        // The structure first: the app's media mount, the sidecars it lacks (or moved to
        // the mode asked for), each complete with its secret volume and mount point.
        if (model.AppMediaMount is null)
        {
            fixes.AppMediaMount(Rules.AppPropagation.Id);
        }
        var mode = fixes.Mode(request.Mode);
        foreach (var mount in mounts)
        {
            var existing = fixes.Model.ExpectedMount(mount.Name)?.Sidecar;
            if (existing is not null && request.Mode is { } wanted && existing.IsNativeSidecar != (wanted == SidecarMode.Native))
            {
                work.Remove(existing.List, existing.Name, new PlannedChange(existing.Name, $"removed from {existing.List} (now a {wanted.ToString().ToLowerInvariant()} sidecar)"));
                existing = null;
            }
            if (existing is null)
            {
                fixes.AddSidecar(mount, mode, Rules.SidecarMissing.Id);
            }
        }
        // Then the defects the static rules find on the result, limited to these mounts.
        var names = mounts.Select(mount => mount.Name).ToHashSet(StringComparer.Ordinal);
        var allowed = request.Refresh.HasFlag(SidecarRefresh.Resources) ? AddFixes.Append(Rules.SidecarLimitsMissing.Id).ToHashSet() : AddFixes;
        var diagnoser = new MountDiagnoser(config);
        foreach (var finding in StaticFindings(diagnoser, fixes.Model))
        {
            if (allowed.Contains(finding.RuleId) && (finding.Mount is null || names.Contains(finding.Mount)) && finding.RuleId != Rules.SidecarMissing.Id)
            {
                fixes.Apply(finding, request.Mode);
            }
        }
        Refresh(work, fixes, config, mounts, request.Refresh);
        // Add manages the sidecars of configured mounts (Remove takes back only those); any
        // other rclone sidecar is the owner's, and the reason says so rather than vouch for it.
        var unmanaged = model.ExpectedMounts.Where(mount => mount is { Configured: null, Sidecar: not null }).Select(mount => mount.Sidecar!.Name).ToList();
        return Result(model, request, work, mounts, fixes.Model.SidecarMode,
            $"the sidecar of every configured mount is there and has no defect Add-RcloneSidecar fixes{(unmanaged.Count == 0 ? "" : $"; not managed by Add: {string.Join(", ", unmanaged)} (a mount the config does not know; Invoke-MountDiagnosis checks it, Repair-MediaMount fixes it)")}");
    }

    // -Update: the named parts of existing sidecars brought to the generated shape.
    private static void Refresh(PatchBuilder work, SidecarFixes fixes, MediaStackConfig config, IReadOnlyList<RcloneMount> mounts, SidecarRefresh refresh)
    {
        if (refresh == SidecarRefresh.None)
        {
            return;
        }
        foreach (var mount in mounts)
        {
            if (fixes.Model.ExpectedMount(mount.Name)?.Sidecar is not { } sidecar || work.Container(sidecar.Name) is not { } container)
            {
                continue;
            }
            var mode = sidecar.IsNativeSidecar ? SidecarMode.Native : SidecarMode.Classic;
            var desired = DesiredSidecars.SidecarContainer(config, mount, mode, fixes.Volume);
            if (refresh.HasFlag(SidecarRefresh.Probes))
            {
                foreach (var probe in new[] { "startupProbe", "livenessProbe" })
                {
                    ConvergeMember(work, container.Pointer, probe, desired[probe]!, new PlannedChange(sidecar.Name, $"{probe} checks the mount table (-Update Probes)"));
                }
            }
            if (refresh.HasFlag(SidecarRefresh.Resources))
            {
                ConvergeMember(work, container.Pointer, "resources", desired["resources"]!, new PlannedChange(sidecar.Name, "resources from the config (-Update Resources)"));
            }
            if (refresh.HasFlag(SidecarRefresh.PreStop))
            {
                ConvergeMember(work, container.Pointer, "lifecycle", DesiredSidecars.PreStop(mount), new PlannedChange(sidecar.Name, "preStop fusermount3 -uz (-Update PreStop)"));
            }
            if (refresh.HasFlag(SidecarRefresh.LogLevel) && config.RcloneArgs.FirstOrDefault(arg => arg.StartsWith("--log-level", StringComparison.Ordinal)) is { } level
                && container.Json["args"] is JsonArray args)
            {
                var change = new PlannedChange(sidecar.Name, $"{level} (-Update LogLevel)");
                var index = args.ToList().FindIndex(item => WorkloadContainer.Text(item)?.StartsWith("--log-level", StringComparison.Ordinal) == true);
                if (index < 0)
                {
                    work.Emit(PatchOperation.Add($"{container.Pointer}/args/-", JsonValue.Create(level)), change);
                }
                else if (WorkloadContainer.Text(args[index]) != level)
                {
                    work.Emit(PatchOperation.Replace($"{container.Pointer}/args/{index}", JsonValue.Create(level)), change);
                }
            }
        }
    }

    private static void ConvergeMember(PatchBuilder work, string pointer, string key, JsonNode desired, PlannedChange change)
    {
        if (work.Container(change.Container)?.Json[key] is null)
        {
            work.Emit(PatchOperation.Add($"{pointer}/{key}", desired.DeepClone()), change);
        }
        else
        {
            work.Converge($"{pointer}/{key}", desired, change);
        }
    }

    private static ChangePlan PlanRemove(Workload workload, ChangeRequest request)
    {
        var config = workload.Config;
        var requested = SelectMounts(config, request.Mounts) ?? config.Mounts;
        var removed = workload.ExpectedMounts
            .Where(mount => mount is { Sidecar: not null, Configured: not null } && requested.Contains(mount.Configured))
            .Select(mount => mount.Sidecar!).ToList();
        var work = new PatchBuilder(workload);
        var gone = new List<WorkloadContainer>(removed);
        foreach (var sidecar in removed)
        {
            work.Remove(sidecar.List, sidecar.Name, new PlannedChange(sidecar.Name, $"removed from {sidecar.List}"));
        }
        var remaining = workload.RcloneMounts.Except(removed).ToList();
        foreach (var initDirs in removed.Count == 0 ? [] : workload.InitDirs)
        {
            if (RemoveMountPoints(work, workload, initDirs, removed, remaining, requested))
            {
                gone.Add(initDirs);
            }
        }
        // The volumes only removed containers used (never the media volume the app reads).
        foreach (var volume in gone.SelectMany(container => container.VolumeMounts).Select(mount => WorkloadContainer.Text(mount.Mount["name"])).OfType<string>().Distinct())
        {
            if (volume != workload.MediaVolume?.Name && !work.IsVolumeUsed(volume) && work.IndexOf("volumes", volume) >= 0)
            {
                work.Remove("volumes", volume, new PlannedChange("volumes", $"removed {volume}"));
            }
        }
        var after = Workload.From(work.Current, config, request.AppContainer);
        if (request.ResetPropagation && !after.RcloneMounts.Any() && after.App is { } app && after.AppMediaMount is { } appMount
            && WorkloadContainer.Propagation(appMount.Mount) == DesiredSidecars.HostToContainer)
        {
            work.Emit(PatchOperation.Remove($"{work.Container(app.Name)!.Value.Pointer}/volumeMounts/{appMount.Index}/mountPropagation"),
                new PlannedChange(app.Name, $"{appMount.Mount["mountPath"]} propagation {DesiredSidecars.HostToContainer} -> None (-ResetPropagation)"));
        }
        return Result(workload, request, work, requested.Where(mount => removed.Any(sidecar => workload.MountServedBy(sidecar)?.Configured == mount)).ToList(), null,
            "no rclone sidecar of a configured mount to remove");
    }

    // The mount points init-dirs made for the removed sidecars (and for the requested mounts
    // no remaining sidecar serves) leave its script; an init-dirs that touched nothing else
    // goes instead. True when the container was removed.
    private static bool RemoveMountPoints(PatchBuilder work, Workload workload, WorkloadContainer initDirs,
        IReadOnlyList<WorkloadContainer> removed, IReadOnlyList<WorkloadContainer> remaining, IReadOnlyList<RcloneMount> requested)
    {
        string InitView(WorkloadContainer sidecar) => (Workload.PathIn(sidecar, sidecar.Rclone!.MountPoint, initDirs) ?? sidecar.Rclone.MountPoint).TrimEnd('/');
        var root = workload.MediaVolume is { } media
            ? initDirs.MountsOf(media.Name).Select(mount => WorkloadContainer.Text(mount.Mount["mountPath"])).FirstOrDefault()?.TrimEnd('/')
            : null;
        var configured = requested.Select(mount => root is null ? mount.MountPath : root + mount.MountPath[workload.Config.MountRoot.TrimEnd('/').Length..]);
        var kept = remaining.Select(InitView).ToHashSet(StringComparer.Ordinal);
        var points = removed.Select(InitView).Concat(configured).Select(path => path.TrimEnd('/')).Where(path => !kept.Contains(path)).Distinct().ToList();
        if (points.Count == 0 || work.Container(initDirs.Name) is not { } container)
        {
            return false;
        }
        var script = MkdirScript.ScriptOf(initDirs.Json);
        if (!points.Any(point => MkdirScript.CreatesPath(script, point)))
        {
            return false;
        }
        // The folders it mounts (the media root it may list) count as its own.
        if (MkdirScript.OnlyTouches(script, points.Concat(initDirs.VolumeMounts.Select(mount => WorkloadContainer.Text(mount.Mount["mountPath"]) ?? "")), root))
        {
            work.Remove(container.List, initDirs.Name, new PlannedChange(initDirs.Name, "removed (it only made the removed mount points)"));
            return true;
        }
        var change = new PlannedChange(initDirs.Name, $"no longer creates {string.Join(", ", points.Where(point => MkdirScript.CreatesPath(script, point)))}");
        foreach (var field in new[] { "command", "args" })
        {
            if (container.Json[field] is not JsonArray list)
            {
                continue;
            }
            for (var i = list.Count - 1; i >= 0; i--)
            {
                if (WorkloadContainer.Text(list[i]) is not { } text)
                {
                    continue;
                }
                if (MkdirScript.IsExecMkdir(container.Json) && points.Any(point => Workload.SamePath(point, text)))
                {
                    // mkdir -p PATH ... without a shell: the path is a word of its own.
                    work.Emit(PatchOperation.Remove($"{container.Pointer}/{field}/{i}"), change);
                }
                else if (CommandLineEdits.RemovePaths(text, points) is { } without)
                {
                    work.Emit(PatchOperation.Replace($"{container.Pointer}/{field}/{i}", JsonValue.Create(without)), change);
                }
            }
        }
        return false;
    }

    private static ChangePlan PlanRepair(Workload workload, ChangeRequest request)
    {
        if (workload.AppIsGuess && string.IsNullOrEmpty(request.AppContainer))
        {
            throw UnknownApp(workload, $"the annotation {AppContainerRule.DefaultContainerAnnotation}:");
        }
        var work = new PatchBuilder(workload);
        var fixes = new SidecarFixes(work, workload.Config, request.AppContainer);
        // Structure first (missing sidecars), then the fields, in rule order.
        foreach (var finding in request.Findings.Where(f => f.Repair == RepairKind.Reconcile).OrderBy(f => f.RuleId == Rules.SidecarMissing.Id ? 0 : 1).ThenBy(f => f.RuleId, StringComparer.Ordinal))
        {
            fixes.Apply(finding);
        }
        return Result(workload, request, work, [], fixes.Model.SidecarMode, "the findings' defects are already gone");
    }

    private static ChangePlan Result(Workload workload, ChangeRequest request, PatchBuilder work, IReadOnlyList<RcloneMount> mounts, SidecarMode? mode, string upToDate) =>
        new(workload, request, work.Operations.Count == 0 ? PlanStatus.UpToDate : PlanStatus.Changed, work.Operations, work.Changes,
            work.Operations.Count == 0 ? upToDate : null, mounts, mode);

    private static IEnumerable<MountFinding> StaticFindings(MountDiagnoser diagnoser, Workload model)
    {
        var target = new DiagnosisTarget(model.Namespace, model.Name, null, null) { ResourceKind = model.ResourceKind };
        return diagnoser.Diagnose(new DiagnosisSubject(target, model, model.Resource, null))
            .Where(finding => finding.Repair == RepairKind.Reconcile);
    }

    // An edit never acts on a guessed app container: it asks for the name instead.
    private static MediaStackException UnknownApp(Workload model, string namedBy)
    {
        var candidates = model.AllContainers.Where(c => !c.IsInit && c.Role is ContainerRole.Other or ContainerRole.App).Select(c => c.Name).ToList();
        return new MediaStackException(ErrorIds.AppContainerNotFound, ErrorCategory.InvalidArgument,
            $"Cannot tell the app container of {model.ResourceKind} '{model.Name}': {model.AppReason}.",
            model.Name, candidates.Count > 0 ? $"Name it: {namedBy} {string.Join(" | ", candidates)}" : "Add the app container first, or name it with -AppContainer.");
    }

    private static Workload WithAppContainer(Workload workload, string? name)
    {
        if (string.IsNullOrEmpty(name) || workload.App?.Name == name)
        {
            return workload;
        }
        EnsureContainer(workload, name);
        return Workload.From(workload.Resource, workload.Config, name);
    }

    // -AppContainer must name a regular container of the workload.
    private static void EnsureContainer(Workload workload, string? name)
    {
        var regular = workload.AllContainers.Where(c => !c.IsInit).Select(c => c.Name).ToList();
        if (!string.IsNullOrEmpty(name) && !regular.Contains(name))
        {
            throw new MediaStackException(ErrorIds.AppContainerNotFound, ErrorCategory.InvalidArgument,
                $"{workload.ResourceKind} '{workload.Name}' has no container named '{name}'; its containers are {string.Join(", ", regular)}.",
                workload.Name, $"-AppContainer {string.Join(" | ", workload.AllContainers.Where(c => !c.IsInit && c.Role is ContainerRole.App or ContainerRole.Other).Select(c => c.Name))}");
        }
    }

    // -Mount names -> configured mounts (null when none were given).
    public static IReadOnlyList<RcloneMount>? SelectMounts(MediaStackConfig config, IReadOnlyList<string>? names)
    {
        if (names is null || names.Count == 0)
        {
            return null;
        }
        var unknown = names.Where(name => config.Mounts.All(mount => !string.Equals(mount.Name, name, StringComparison.OrdinalIgnoreCase))).ToList();
        if (unknown.Count > 0)
        {
            throw new MediaStackException(ErrorIds.UnknownMount, ErrorCategory.InvalidArgument,
                $"No configured mount is named {string.Join(", ", unknown.Select(name => $"'{name}'"))}; the configured mounts are {string.Join(", ", config.Mounts.Select(mount => mount.Name))}.",
                string.Join(",", unknown), "Use a name from (Get-MediaStackConfig).Mounts.");
        }
        return config.Mounts.Where(mount => names.Contains(mount.Name, StringComparer.OrdinalIgnoreCase)).ToList();
    }
}
