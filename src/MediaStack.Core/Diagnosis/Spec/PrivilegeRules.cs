using MediaStack.Core.Diagnosis.Model;
using MediaStack.Core.Diagnosis.Workload;

namespace MediaStack.Core.Diagnosis.Spec;

// Parity check 4: privileged where FUSE needs it (the rclone sidecars) and only there.
public sealed class SidecarPrivilegeRule : IMountRule
{
    public IEnumerable<MountFinding> Check(DiagnosisContext context)
    {
        foreach (var sidecar in context.View.Sidecars)
        {
            var path = $"{sidecar.Path}.securityContext.privileged";
            if (sidecar.Privileged)
            {
                yield return context.Pass(Rules.SidecarNotPrivileged, $"{sidecar.Name} is privileged.", $"{path} = true", sidecar);
                continue;
            }
            yield return context.Problem(Rules.SidecarNotPrivileged, Severity.Error,
                $"{sidecar.Name} is not privileged: it gets no /dev/fuse, so the mount fails and the container crash-loops.",
                $"{path} = {sidecar.Json["securityContext"]?["privileged"]?.ToString() ?? "(unset)"}",
                "Set securityContext.privileged: true on the sidecar; its service account needs the privileged SCC (OpenShift) or a privileged Pod Security namespace.",
                sidecar);
        }
    }
}

public sealed class PrivilegedElsewhereRule : IMountRule
{
    public IEnumerable<MountFinding> Check(DiagnosisContext context)
    {
        foreach (var container in context.View.Containers.Where(c => c.Role != ContainerRole.RcloneSidecar))
        {
            var path = $"{container.Path}.securityContext.privileged = true";
            if (!container.Privileged)
            {
                continue;
            }
            if (container.Role == ContainerRole.App)
            {
                yield return context.Problem(Rules.PrivilegedApp, Severity.Warning,
                    $"The app container {container.Name} is privileged: it only receives mounts (HostToContainer) and needs no privilege.",
                    path, "Remove securityContext.privileged from the app container.", container);
            }
            else
            {
                yield return context.Problem(Rules.PrivilegedUnrelated, Severity.Warning,
                    $"{container.Name} is privileged although it does not mount anything with FUSE.",
                    path, $"Remove securityContext.privileged from {container.Name}.", container);
            }
        }
        if (context.View.App is { Privileged: false } app)
        {
            yield return context.Pass(Rules.PrivilegedApp, $"The app container {app.Name} is not privileged.", "", app);
        }
    }
}
