using System.Text.Json.Nodes;
using MediaStack.Core.Diagnosis.Model;
using MediaStack.Core.Workloads;

namespace MediaStack.Core.Diagnosis.Spec;

// The *arr apps and Plex keep SQLite databases under /config. A RollingUpdate starts the new
// pod before the old one stops: on a shared (RWX) claim both write one database; on a
// ReadWriteOnce claim the new pod can wait for the volume while the old one is never stopped.
// Recreate stops the old pod first.
public sealed class RolloutRule : IMountRule
{
    public IEnumerable<MountFinding> Check(DiagnosisContext context)
    {
        var workload = context.Workload;
        if (workload.ResourceKind != "Deployment" || workload.App is not { } app)
        {
            yield break;
        }
        var spec = workload.Resource["spec"] as JsonObject;
        var strategy = WorkloadContainer.Text(WorkloadContainer.At(spec, "strategy", "type")) ?? "RollingUpdate";
        var replicas = WorkloadContainer.At(spec, "replicas") is JsonValue value && value.TryGetValue<int>(out var count) ? count : 1;
        var config = ConfigMount(workload, app);
        if (config is null || replicas > 1)
        {
            yield break;
        }
        var (mount, index, volume, claim) = config.Value;
        if (strategy != "RollingUpdate")
        {
            yield return context.Pass(Rules.RollingUpdateSharedConfig, $"{workload.Name} updates with {strategy}: the old pod stops before the new one opens {mount}.", "", app, at: "/spec/strategy/type");
            yield break;
        }
        var modes = claim is null ? null
            : context.Facts?.InNamespace("PersistentVolumeClaim", workload.Namespace).FirstOrDefault(pvc => pvc.Name == claim) is { } pvc
                ? $"claim {claim}: {string.Join(", ", WorkloadContainer.Strings(WorkloadContainer.At(pvc.Json, "spec", "accessModes")))} ({pvc.Display})"
                : $"claim {claim}";
        yield return context.Problem(Rules.RollingUpdateSharedConfig, Severity.Warning,
            $"{workload.Name} runs one replica with the {(spec?["strategy"] is null ? "default " : "")}RollingUpdate strategy and keeps its config at {mount}: during a rollout two pods open one SQLite database, or the new pod waits for the volume.",
            $"spec.strategy.type = {strategy}{(spec?["strategy"] is null ? " (default)" : "")}; spec.replicas = {replicas}; {app.Path}.volumeMounts[{index}] = {mount}{(modes is null ? "" : $", {modes}")}",
            "Set spec.strategy.type: Recreate (and remove spec.strategy.rollingUpdate).",
            app, at: spec?["strategy"] is null ? "/spec" : "/spec/strategy/type");
    }

    // The app's mount of its config (/config, or a subPath config/...) on a persistent volume.
    private static (string Mount, int Index, string Volume, string? Claim)? ConfigMount(Workload workload, WorkloadContainer app)
    {
        foreach (var (mount, index) in app.VolumeMounts)
        {
            var path = (WorkloadContainer.Text(mount["mountPath"]) ?? "").TrimEnd('/');
            var subPath = WorkloadContainer.Text(mount["subPath"]) ?? "";
            if (path != "/config" && subPath != "config" && !subPath.StartsWith("config/", StringComparison.Ordinal))
            {
                continue;
            }
            var name = WorkloadContainer.Text(mount["name"]) ?? "";
            var volume = workload.Volume(name);
            if (volume?["persistentVolumeClaim"] is JsonObject || volume?["nfs"] is JsonObject)
            {
                var shown = subPath.Length > 0 ? $"{path} (subPath {subPath} of volume '{name}')" : $"{path} (volume '{name}')";
                return (shown, index, name, WorkloadContainer.Text(volume["persistentVolumeClaim"]?["claimName"]));
            }
        }
        return null;
    }
}
