using MediaStack.Core.Diagnosis.Model;
using MediaStack.Core.Diagnosis.Workload;

namespace MediaStack.Core.Diagnosis.Spec;

// Parity check 3: sidecars Bidirectional (rshared), the app HostToContainer (rslave).
public sealed class SidecarPropagationRule : IMountRule
{
    public IEnumerable<MountFinding> Check(DiagnosisContext context)
    {
        foreach (var sidecar in context.View.Sidecars)
        {
            var target = sidecar.Rclone!.MountPoint;
            var covering = sidecar.MountCovering(target);
            if (covering is not { } found)
            {
                yield return context.Problem(Rules.SidecarPropagation, Severity.Error,
                    $"{sidecar.Name} mounts onto {target}, which is on no shared volume: the app can never see it.",
                    $"{sidecar.Path}.volumeMounts = (none covering {target})",
                    $"Mount the shared volume '{context.Config.SharedVolume}' at {context.Config.MountRoot} in {sidecar.Name} with mountPropagation: Bidirectional.",
                    sidecar);
                continue;
            }
            var propagation = ContainerView.Propagation(found.Mount);
            var path = $"{sidecar.Path}.volumeMounts[{found.Index}].mountPropagation";
            if (propagation != "Bidirectional")
            {
                yield return context.Problem(Rules.SidecarPropagation, Severity.Error,
                    $"{sidecar.Name} mounts {found.Mount["mountPath"]} with propagation {propagation}: its FUSE mount stays inside the sidecar.",
                    $"{path} = {propagation}",
                    "Set mountPropagation: Bidirectional on the sidecar's shared-volume mount (the sidecar must be privileged).",
                    sidecar);
            }
            else
            {
                yield return context.Pass(Rules.SidecarPropagation, $"{sidecar.Name} propagates its mount (Bidirectional).", $"{path} = Bidirectional", sidecar);
            }
        }
    }
}

public sealed class AppPropagationRule : IMountRule
{
    public IEnumerable<MountFinding> Check(DiagnosisContext context)
    {
        var view = context.View;
        if (view.IsStandaloneRclone)
        {
            yield break;
        }
        var app = view.App;
        var root = context.Config.MountRoot;
        if (app is null)
        {
            yield return context.Problem(Rules.AppPropagation, Severity.Error,
                "Cannot tell which container is the app: none is named after the workload or mounts " + root + ".",
                $"{view.SpecPath}.containers[*].name = {string.Join(", ", view.Containers.Where(c => !c.IsInit).Select(c => c.Name))}",
                $"Name the app container after the Deployment or set the {PodSpecView.DefaultContainerAnnotation} annotation.");
            yield break;
        }
        var covering = app.MountCovering(root);
        if (covering is not { } found)
        {
            yield return context.Problem(Rules.AppPropagation, Severity.Error,
                $"The app container {app.Name} does not mount {root}: it cannot see any rclone mount.",
                $"{app.Path}.volumeMounts[*].mountPath = {string.Join(", ", app.VolumeMounts.Select(m => m.Mount["mountPath"]?.ToString()))}",
                $"Mount '{context.Config.SharedVolume}' at {root} in {app.Name} with mountPropagation: HostToContainer.",
                app);
            yield break;
        }
        var propagation = ContainerView.Propagation(found.Mount);
        var path = $"{app.Path}.volumeMounts[{found.Index}].mountPropagation";
        if (propagation == "HostToContainer")
        {
            yield return context.Pass(Rules.AppPropagation, $"{app.Name} receives the mounts (HostToContainer).", $"{path} = HostToContainer", app);
        }
        else if (propagation == "Bidirectional")
        {
            yield return context.Problem(Rules.AppPropagation, Severity.Error,
                $"The app container {app.Name} mounts {root} Bidirectional: it only receives mounts and must not be able to push its own to the host.",
                $"{path} = Bidirectional",
                "Set mountPropagation: HostToContainer on the app's mount (and drop privileged from the app).",
                app);
        }
        else
        {
            yield return context.Problem(Rules.AppPropagation, Severity.Error,
                $"The app container {app.Name} mounts {root} with propagation {propagation}: the sidecars' FUSE mounts never reach it.",
                $"{path} = {propagation}",
                "Set mountPropagation: HostToContainer on the app's mount of the shared volume.",
                app);
        }
    }
}

// Kubernetes refuses Bidirectional on an unprivileged container at admission (HTTP 422), so
// such a manifest never gets a pod: an Error in static mode. (A live object cannot hold it.)
public sealed class BidirectionalPrivilegeRule : IMountRule
{
    public IEnumerable<MountFinding> Check(DiagnosisContext context)
    {
        foreach (var container in context.View.Containers.Where(c => !c.Privileged))
        {
            foreach (var (mount, index) in container.VolumeMounts)
            {
                if (ContainerView.Propagation(mount) != "Bidirectional")
                {
                    continue;
                }
                yield return context.Problem(Rules.BidirectionalWithoutPrivileged, context.IsStatic ? Severity.Error : Severity.Warning,
                    $"{container.Name} asks for Bidirectional propagation without privileged: the API server rejects it ('Bidirectional mount propagation is available only to privileged containers').",
                    $"{container.Path}.volumeMounts[{index}].mountPropagation = Bidirectional; {container.Path}.securityContext.privileged = {container.Json["securityContext"]?["privileged"]?.ToString() ?? "(unset)"}",
                    container.Role switch
                    {
                        ContainerRole.App => "The app only receives mounts: set HostToContainer.",
                        ContainerRole.RcloneSidecar => "Set securityContext.privileged: true on the sidecar (it needs it for /dev/fuse too).",
                        _ => "Set HostToContainer, or privileged: true if this container really creates mounts.",
                    },
                    container);
            }
        }
    }
}
