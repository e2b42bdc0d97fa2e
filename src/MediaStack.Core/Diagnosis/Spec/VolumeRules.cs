using System.Text.Json.Nodes;
using MediaStack.Core.Diagnosis.Model;
using MediaStack.Core.Workloads;

namespace MediaStack.Core.Diagnosis.Spec;

// Sidecars must mount the very volume the app reads: a FUSE mount propagates within one
// volume's mount, not to another volume of the same claim.
public sealed class SidecarVolumeRule : IMountRule
{
    public IEnumerable<MountFinding> Check(DiagnosisContext context)
    {
        var workload = context.Workload;
        if (workload.MediaVolume is not { } media || workload.App?.MountsOf(media.Name).Any() != true)
        {
            yield break;
        }
        foreach (var sidecar in workload.RcloneMounts)
        {
            if (sidecar.MountCovering(sidecar.Rclone!.MountPoint) is not { } covering)
            {
                continue;
            }
            var volume = WorkloadContainer.Text(covering.Mount["name"]);
            if (volume == media.Name)
            {
                yield return context.Pass(Rules.SidecarVolumeMismatch, $"{sidecar.Name} mounts into the app's media volume {media.Name}.", "", sidecar);
                continue;
            }
            yield return context.Problem(Rules.SidecarVolumeMismatch, Severity.Error,
                $"{sidecar.Name} mounts {sidecar.Rclone.Remote} into volume '{volume}', but the app {workload.App!.Name} reads its media from volume '{media.Name}': the app never sees the mount.",
                $"{sidecar.Path}.volumeMounts[{covering.Index}].name = {volume}; {workload.App.Path} mounts {media}",
                $"Mount '{media.Name}' in {sidecar.Name} instead (Repair-MediaMount does it).",
                sidecar, workload.MountServedBy(sidecar)?.Name);
        }
    }
}

// One claim, one volume: two volumes of the same claim are two separate mounts in the pod.
public sealed class DuplicateClaimRule : IMountRule
{
    public bool AppliesTo(WorkloadKind kind) => true;

    public IEnumerable<MountFinding> Check(DiagnosisContext context)
    {
        var workload = context.Workload;
        var byClaim = workload.Volumes
            .Select((volume, index) => (Volume: volume, Index: index, Claim: WorkloadContainer.Text(volume["persistentVolumeClaim"]?["claimName"])))
            .Where(entry => entry.Claim is not null)
            .GroupBy(entry => entry.Claim!);
        foreach (var group in byClaim.Where(group => group.Count() > 1))
        {
            var names = group.Select(entry => WorkloadContainer.Text(entry.Volume["name"])).ToList();
            yield return context.Problem(Rules.DuplicateClaimVolume, Severity.Warning,
                $"Volumes {string.Join(" and ", names.Select(name => $"'{name}'"))} both use claim '{group.Key}': mounts made in one do not show in the other, and the pod can hang in ContainerCreating.",
                string.Join("; ", group.Select(entry => $"{workload.SpecPath}.volumes[{entry.Index}] = {entry.Volume.ToJsonString()}")),
                $"Keep one volume for claim '{group.Key}'{(workload.MediaVolume is { } media && names.Contains(media.Name) ? $" ('{media.Name}', which the app reads)" : "")} and mount it wherever the others are mounted.");
        }
    }
}

// The node-level pattern: the app reads a host path that a DaemonSet's rclone mounts into.
// Offline the provider must be among the manifests read; live it must run on the app's node.
public sealed class NodeProviderRule : IMountRule
{
    public IEnumerable<MountFinding> Check(DiagnosisContext context)
    {
        var workload = context.Workload;
        if (workload.MediaVolume is not { IsHostPath: true } media || !workload.ExpectedMounts.Any(mount => mount.ServedByNode))
        {
            yield break;
        }
        var host = media.HostPath!.TrimEnd('/');
        if (context.Evidence is { NodeProviders: { } providers })
        {
            var node = context.Evidence.Pod?["spec"]?["nodeName"]?.ToString();
            var serving = providers.Where(provider => provider.HostPath.TrimEnd('/') == host).ToList();
            if (node is not null && serving.Any(provider => provider.Nodes.Contains(node)))
            {
                yield return context.Pass(Rules.NodeProviderMissing, $"{serving[0].Name} serves {host} on {node}.", "", workload.App);
            }
            else if (node is not null)
            {
                yield return context.Problem(Rules.NodeProviderMissing, Severity.Error,
                    $"No node-level rclone provider runs on {node} for host path {host}: the app sees an empty folder.",
                    serving.Count == 0 ? $"no DaemonSet mounts into {host}" : $"{serving[0].Name} runs on {string.Join(", ", serving[0].Nodes.DefaultIfEmpty("no node"))}",
                    "Let the provider DaemonSet run on every node the app can be scheduled to (tolerations, nodeSelector), or pin the app to the provider's nodes.",
                    workload.App);
            }
            yield break;
        }
        if (!context.IsStatic)
        {
            yield break;
        }
        var provider = context.Neighbours.FirstOrDefault(other => other.Kind == WorkloadKind.NodeMountProvider
            && other.MediaVolume is { IsHostPath: true } theirs && theirs.HostPath!.TrimEnd('/') == host);
        if (provider is not null)
        {
            yield return context.Pass(Rules.NodeProviderMissing, $"{provider.ResourceKind} {provider.Name} mounts into {host}.", "", workload.App);
            yield break;
        }
        yield return context.Problem(Rules.NodeProviderMissing, Severity.Warning,
            $"The app reads host path {host}, but no DaemonSet among the manifests read mounts rclone into it.",
            $"{workload.SpecPath}.volumes[{media.Index}].hostPath.path = {media.HostPath}",
            "Add the provider DaemonSet (rclone mount into the host path with Bidirectional propagation), or check it where it lives (Invoke-MountDiagnosis on the cluster sees every node).",
            workload.App);
    }
}
