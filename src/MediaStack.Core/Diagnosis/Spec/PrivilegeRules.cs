using MediaStack.Core.Diagnosis.Model;
using MediaStack.Core.Workloads;

namespace MediaStack.Core.Diagnosis.Spec;

// Parity check 4: privileged where FUSE needs it (the rclone mounts) and only there.
public sealed class SidecarPrivilegeRule : IMountRule
{
    public bool AppliesTo(WorkloadKind kind) => kind is WorkloadKind.MediaApp or WorkloadKind.NodeMountProvider;

    public IEnumerable<MountFinding> Check(DiagnosisContext context)
    {
        foreach (var sidecar in context.Workload.RcloneMounts)
        {
            var path = $"{sidecar.Path}.securityContext.privileged";
            var mount = context.Workload.MountServedBy(sidecar)?.Name;
            if (sidecar.Privileged)
            {
                yield return context.Pass(Rules.SidecarNotPrivileged, $"{sidecar.Name} is privileged.", $"{path} = true", sidecar, mount);
                continue;
            }
            yield return context.Problem(Rules.SidecarNotPrivileged, Severity.Error,
                $"{sidecar.Name} is not privileged: it gets no /dev/fuse, so the mount fails and the container crash-loops.",
                $"{path} = {sidecar.Json["securityContext"]?["privileged"]?.ToString() ?? "(unset)"}",
                "Set securityContext.privileged: true on it; its service account needs the privileged SCC (OpenShift) or a privileged Pod Security namespace.",
                sidecar, mount);
        }
    }
}

public sealed class PrivilegedElsewhereRule : IMountRule
{
    public bool AppliesTo(WorkloadKind kind) => kind is WorkloadKind.MediaApp or WorkloadKind.Gateway;

    public IEnumerable<MountFinding> Check(DiagnosisContext context)
    {
        foreach (var container in context.Workload.AllContainers.Where(c => c.Role != ContainerRole.RcloneMount && c.Privileged))
        {
            var path = $"{container.Path}.securityContext.privileged = true";
            if (container.Role == ContainerRole.App)
            {
                yield return context.Problem(Rules.PrivilegedApp, Severity.Warning,
                    $"The app container {container.Name} is privileged: it only receives mounts (HostToContainer) and needs no privilege.",
                    path, "Remove securityContext.privileged from the app container.", container);
            }
            else
            {
                yield return context.Problem(Rules.PrivilegedUnrelated, Severity.Warning,
                    container.Role == ContainerRole.Server
                        ? $"{container.Name} is privileged although it serves the cloud over the network and mounts nothing with FUSE."
                        : $"{container.Name} is privileged although it does not mount anything with FUSE.",
                    path, $"Remove securityContext.privileged from {container.Name} (and any Bidirectional propagation it asks for).", container);
            }
        }
        if (context.Workload.App is { Privileged: false } app)
        {
            yield return context.Pass(Rules.PrivilegedApp, $"The app container {app.Name} is not privileged.", "", app);
        }
    }
}

// runAsUser: 0 on the pod runs every container that does not set its own user as root: the
// app and its helpers too, which need no root for reading mounts (the privileged sidecars are
// root anyway).
public sealed class RunAsRootRule : IMountRule
{
    public bool AppliesTo(WorkloadKind kind) => kind is WorkloadKind.MediaApp or WorkloadKind.Gateway;

    public IEnumerable<MountFinding> Check(DiagnosisContext context)
    {
        var workload = context.Workload;
        var at = $"{workload.SpecPointer}/securityContext/runAsUser";
        if (WorkloadContainer.At(workload.PodSpec, "securityContext", "runAsUser") is not System.Text.Json.Nodes.JsonValue user
            || !user.TryGetValue<long>(out var uid) || uid != 0)
        {
            yield return context.Pass(Rules.RunAsRoot, "The pod does not set runAsUser: 0.", "", at: at);
            yield break;
        }
        var inheriting = workload.AllContainers
            .Where(container => container.Role != ContainerRole.RcloneMount && WorkloadContainer.At(container.Json, "securityContext", "runAsUser") is null)
            .Select(container => container.Name).ToList();
        if (inheriting.Count == 0)
        {
            yield return context.Pass(Rules.RunAsRoot, "Every container but the rclone mounts sets its own runAsUser.", "", at: at);
            yield break;
        }
        yield return context.Problem(Rules.RunAsRoot, Severity.Warning,
            $"The pod sets runAsUser: 0, so {string.Join(", ", inheriting)} run{(inheriting.Count == 1 ? "s" : "")} as root.",
            $"{workload.SpecPath}.securityContext.runAsUser = 0",
            "Remove runAsUser: 0 from the pod's securityContext (the image's user, or runAsUser/fsGroup 1000 and the image's PUID/PGID, serve the app); a container that needs root says so in its own securityContext.",
            at: at);
    }
}

// Privileged FUSE sidecars are worth their privilege only if the app reads what they mount.
public sealed class MediaNotReadRule : IMountRule
{
    public IEnumerable<MountFinding> Check(DiagnosisContext context)
    {
        var workload = context.Workload;
        var sidecars = workload.RcloneMounts.ToList();
        if (workload.App is not { } app || sidecars.Count == 0)
        {
            yield break;
        }
        if (sidecars.Any(sidecar => Workload.PathIn(sidecar, sidecar.Rclone!.MountPoint, app) is not null) || app.MountCovering(context.Config.MountRoot) is not null)
        {
            yield return context.Pass(Rules.MediaNotRead, $"{app.Name} sees the sidecars' mounts.", "", app);
            yield break;
        }
        yield return context.Problem(Rules.MediaNotRead, Severity.Warning,
            $"The app container {app.Name} mounts none of the volumes its {sidecars.Count} rclone sidecar(s) mount into: the pod runs {sidecars.Count} privileged container(s) for mounts nobody reads.",
            $"{string.Join(", ", sidecars.Select(sidecar => $"{sidecar.Name} mounts {sidecar.Rclone!.MountPoint}"))}; {app.Path}.volumeMounts = {string.Join(", ", app.VolumeMounts.Select(m => WorkloadContainer.Text(m.Mount["mountPath"])).DefaultIfEmpty("(none)"))}",
            $"If {app.Name} reads no media (a request manager such as Overseerr, an indexer such as Prowlarr), remove the sidecars, the init container and the privilege: Remove-RcloneSidecar. If it does, mount the media volume in it (MS103).",
            app);
    }
}
