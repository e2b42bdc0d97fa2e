using System.Text.Json.Nodes;
using MediaStack.Core.Workloads;
using MediaStack.Core.Diagnosis.Model;

namespace MediaStack.Core.Diagnosis.Spec;

// An rclone with a full VFS cache and no limits can starve the node (seed issue 5). Offline, a
// LimitRange of the files that gives Containers default limits in the namespace sets the
// missing ones at admission; a ResourceQuota on limits.cpu/limits.memory refuses a pod whose
// containers end up without them.
public sealed class SidecarLimitsRule : IMountRule
{
    private static readonly string[] Keys = ["cpu", "memory"];

    public bool AppliesTo(WorkloadKind kind) => kind is WorkloadKind.MediaApp or WorkloadKind.NodeMountProvider;

    public IEnumerable<MountFinding> Check(DiagnosisContext context)
    {
        var ns = context.Workload.Namespace;
        var ranges = context.Facts?.InNamespace("LimitRange", ns).ToList() ?? [];
        var quotas = context.Facts?.InNamespace("ResourceQuota", ns).ToList() ?? [];
        foreach (var sidecar in context.Workload.RcloneMounts)
        {
            var at = $"{sidecar.Pointer}/resources/limits";
            var limits = sidecar.Json["resources"]?["limits"];
            var missing = Keys.Where(key => limits?[key] is null).ToList();
            var defaulted = missing.Select(key => (Key: key, Range: ranges.FirstOrDefault(range => DefaultLimit(range, key) is not null)))
                .Where(pair => pair.Range is not null).ToList();
            var unset = missing.Except(defaulted.Select(pair => pair.Key)).ToList();
            if (unset.Count == 0)
            {
                var given = Keys.Select(key => limits?[key] is { } own ? $"{key} {own}"
                    : $"{key} {DefaultLimit(defaulted.First(pair => pair.Key == key).Range!, key)} from {defaulted.First(pair => pair.Key == key).Range!.Display}");
                yield return context.Pass(Rules.SidecarLimitsMissing, $"{sidecar.Name} has CPU and memory limits.",
                    $"{sidecar.Path}.resources.limits = {string.Join(", ", given)}", sidecar, at: at);
                continue;
            }
            var demanding = quotas.FirstOrDefault(quota => unset.Any(key => WorkloadContainer.At(quota.Json, "spec", "hard", $"limits.{key}") is not null));
            var remedy = $"Set limits (the config's sidecar resources: cpu {context.Config.SidecarResources.CpuLimit}, memory {context.Config.SidecarResources.MemoryLimit}), or a LimitRange with default limits for Containers in the namespace.";
            var evidence = $"{sidecar.Path}.resources.limits = {limits?.ToJsonString() ?? "(unset)"}"
                + (defaulted.Count > 0 ? $"; {string.Join(", ", defaulted.Select(pair => $"{pair.Key} from {pair.Range!.Display}"))}" : "")
                + (context.Facts is null ? "" : ranges.Count == 0 ? "; no LimitRange in the files for this namespace" : "");
            if (demanding is not null)
            {
                yield return context.Problem(Rules.SidecarLimitsMissing, Severity.Error,
                    $"{sidecar.Name} has no {string.Join(" or ", unset)} limit and {demanding.Kind}/{demanding.Name} requires one: the pod is refused at admission.",
                    $"{evidence}; {demanding.Display} sets spec.hard {string.Join(", ", unset.Select(key => $"limits.{key}"))}",
                    remedy, sidecar, at: at);
                continue;
            }
            yield return context.Problem(Rules.SidecarLimitsMissing, Severity.Warning,
                $"{sidecar.Name} has no {string.Join(" or ", unset)} limit.",
                evidence, remedy, sidecar, at: at);
        }
    }

    // The default limit a LimitRange gives every Container for a resource, if it gives one.
    private static JsonNode? DefaultLimit(Static.ManifestObject range, string key) =>
        (WorkloadContainer.At(range.Json, "spec", "limits") as JsonArray ?? [])
            .OfType<JsonObject>()
            .Where(limit => WorkloadContainer.Text(limit["type"]) == "Container")
            .Select(limit => WorkloadContainer.At(limit, "default", key))
            .FirstOrDefault(value => value is not null);
}
