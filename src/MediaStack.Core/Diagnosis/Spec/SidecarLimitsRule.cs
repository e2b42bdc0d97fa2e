using MediaStack.Core.Workloads;
using MediaStack.Core.Diagnosis.Model;

namespace MediaStack.Core.Diagnosis.Spec;

// An rclone with a full VFS cache and no limits can starve the node (seed issue 5).
public sealed class SidecarLimitsRule : IMountRule
{
    public bool AppliesTo(WorkloadKind kind) => kind is WorkloadKind.MediaApp or WorkloadKind.NodeMountProvider;

    public IEnumerable<MountFinding> Check(DiagnosisContext context)
    {
        foreach (var sidecar in context.Workload.RcloneMounts)
        {
            var limits = sidecar.Json["resources"]?["limits"];
            var missing = new[] { "cpu", "memory" }.Where(key => limits?[key] is null).ToList();
            if (missing.Count == 0)
            {
                yield return context.Pass(Rules.SidecarLimitsMissing, $"{sidecar.Name} has CPU and memory limits.",
                    $"{sidecar.Path}.resources.limits = cpu {limits!["cpu"]}, memory {limits["memory"]}", sidecar);
                continue;
            }
            yield return context.Problem(Rules.SidecarLimitsMissing, Severity.Warning,
                $"{sidecar.Name} has no {string.Join(" or ", missing)} limit.",
                $"{sidecar.Path}.resources.limits = {limits?.ToJsonString() ?? "(unset)"}",
                $"Set limits (the config's sidecar resources: cpu {context.Config.SidecarResources.CpuLimit}, memory {context.Config.SidecarResources.MemoryLimit}).",
                sidecar);
        }
    }
}
