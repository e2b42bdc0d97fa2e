using MediaStack.Core.Diagnosis.Model;
using MediaStack.Core.Workloads;

namespace MediaStack.Core.Diagnosis.Spec;

// Parity check 3: the containers that mount (rclone) propagate Bidirectional (rshared), the
// app receives with HostToContainer (rslave).
public sealed class SidecarPropagationRule : IMountRule
{
    public bool AppliesTo(WorkloadKind kind) => kind is WorkloadKind.MediaApp or WorkloadKind.NodeMountProvider;

    public IEnumerable<MountFinding> Check(DiagnosisContext context)
    {
        var workload = context.Workload;
        foreach (var sidecar in workload.RcloneMounts)
        {
            var target = sidecar.Rclone!.MountPoint;
            var mount = workload.MountServedBy(sidecar)?.Name;
            if (sidecar.MountCovering(target) is not { } found)
            {
                var volume = workload.MediaVolumeName;
                yield return context.Problem(Rules.SidecarPropagation, Severity.Error,
                    $"{sidecar.Name} mounts onto {target}, which is on no volume of the pod: {(workload.Kind == WorkloadKind.NodeMountProvider ? "the node never sees it" : "the app can never see it")}.",
                    $"{sidecar.Path}.volumeMounts = (none holding {target})",
                    $"Mount volume '{volume}' at {workload.MediaRoot ?? context.Config.MountRoot} in {sidecar.Name} with mountPropagation: Bidirectional.",
                    sidecar, mount);
                continue;
            }
            var propagation = WorkloadContainer.Propagation(found.Mount);
            var path = $"{sidecar.Path}.volumeMounts[{found.Index}].mountPropagation";
            if (propagation != "Bidirectional")
            {
                yield return context.Problem(Rules.SidecarPropagation, Severity.Error,
                    $"{sidecar.Name} mounts {found.Mount["mountPath"]} with propagation {propagation}: its FUSE mount stays inside the container.",
                    $"{path} = {propagation}",
                    "Set mountPropagation: Bidirectional on that volume mount (the container must be privileged).",
                    sidecar, mount);
            }
            else
            {
                yield return context.Pass(Rules.SidecarPropagation, $"{sidecar.Name} propagates its mount (Bidirectional).", $"{path} = Bidirectional", sidecar, mount);
            }
        }
    }
}

public sealed class AppPropagationRule : IMountRule
{
    public IEnumerable<MountFinding> Check(DiagnosisContext context)
    {
        var workload = context.Workload;
        var app = workload.App!;
        var media = workload.MediaVolume;
        var root = workload.MediaRoot ?? context.Config.MountRoot;
        if (workload.AppMediaMount is not { } mounted)
        {
            var volume = workload.MediaVolumeName;
            yield return context.Problem(Rules.AppPropagation, Severity.Error,
                $"The app container {app.Name} does not mount the media volume '{volume}': it cannot see any rclone mount.",
                $"{app.Path}.volumeMounts[*].mountPath = {string.Join(", ", app.VolumeMounts.Select(m => m.Mount["mountPath"]?.ToString()).DefaultIfEmpty("(none)"))}",
                $"Mount '{volume}' at {root} in {app.Name} with mountPropagation: HostToContainer.",
                app);
            yield break;
        }
        var propagation = WorkloadContainer.Propagation(mounted.Mount);
        var path = $"{app.Path}.volumeMounts[{mounted.Index}].mountPropagation";
        if (propagation == "HostToContainer")
        {
            yield return context.Pass(Rules.AppPropagation, $"{app.Name} receives the mounts (HostToContainer).", $"{path} = HostToContainer", app);
        }
        else if (propagation == "Bidirectional")
        {
            yield return context.Problem(Rules.AppPropagation, Severity.Error,
                $"The app container {app.Name} mounts {mounted.Mount["mountPath"]} Bidirectional: it only receives mounts and must not be able to push its own to the host.",
                $"{path} = Bidirectional",
                "Set mountPropagation: HostToContainer on the app's media mount (and drop privileged from the app).",
                app);
        }
        else
        {
            yield return context.Problem(Rules.AppPropagation, Severity.Error,
                $"The app container {app.Name} mounts {mounted.Mount["mountPath"]} with propagation {propagation}: {(media!.IsHostPath ? "the node's" : "the sidecars'")} FUSE mounts made after it starts never reach it, and one made before is only a copy that goes dead when rclone restarts.",
                $"{path} = {propagation}",
                "Set mountPropagation: HostToContainer on the app's media mount.",
                app);
        }
    }
}

// Kubernetes refuses Bidirectional on an unprivileged container at admission (HTTP 422), so
// such a manifest never gets a pod: an Error in static mode. (A live object cannot hold it.)
public sealed class BidirectionalPrivilegeRule : IMountRule
{
    public bool AppliesTo(WorkloadKind kind) => true;

    public IEnumerable<MountFinding> Check(DiagnosisContext context)
    {
        foreach (var container in context.Workload.AllContainers.Where(c => !c.Privileged))
        {
            foreach (var (mount, index) in container.VolumeMounts)
            {
                if (WorkloadContainer.Propagation(mount) != "Bidirectional")
                {
                    continue;
                }
                yield return context.Problem(Rules.BidirectionalWithoutPrivileged, context.IsStatic ? Severity.Error : Severity.Warning,
                    $"{container.Name} asks for Bidirectional propagation without privileged: the API server rejects it ('Bidirectional mount propagation is available only to privileged containers').",
                    $"{container.Path}.volumeMounts[{index}].mountPropagation = Bidirectional; {container.Path}.securityContext.privileged = {container.Json["securityContext"]?["privileged"]?.ToString() ?? "(unset)"}",
                    container.Role switch
                    {
                        ContainerRole.App => "The app only receives mounts: set HostToContainer.",
                        ContainerRole.RcloneMount => "Set securityContext.privileged: true on the sidecar (it needs it for /dev/fuse too).",
                        _ => "It creates no FUSE mount: drop mountPropagation (or set HostToContainer if it reads the mounts).",
                    },
                    container);
            }
        }
    }
}

// Bidirectional is for containers that create mounts; on anything else it only widens what
// the container can do to the node (and forces privileged). Zurg and other gateways serve
// over the network and mount nothing.
public sealed class NeedlessBidirectionalRule : IMountRule
{
    public bool AppliesTo(WorkloadKind kind) => kind is WorkloadKind.MediaApp or WorkloadKind.Gateway or WorkloadKind.Unrelated;

    public IEnumerable<MountFinding> Check(DiagnosisContext context)
    {
        foreach (var container in context.Workload.AllContainers.Where(c => c.Role is not (ContainerRole.RcloneMount or ContainerRole.App) && c.Privileged))
        {
            foreach (var (mount, index) in container.VolumeMounts.Where(m => WorkloadContainer.Propagation(m.Mount) == "Bidirectional"))
            {
                yield return context.Problem(Rules.NeedlessBidirectional, Severity.Warning,
                    $"{container.Name} ({container.Role}) mounts {mount["mountPath"]} Bidirectional but runs no FUSE mount: it needs neither the propagation nor the privilege that comes with it.",
                    $"{container.Path}.volumeMounts[{index}].mountPropagation = Bidirectional",
                    $"Remove mountPropagation from that mount and securityContext.privileged from {container.Name}.",
                    container);
            }
        }
    }
}
