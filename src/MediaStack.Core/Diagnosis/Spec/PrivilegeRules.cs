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
