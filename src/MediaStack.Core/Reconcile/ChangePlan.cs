using System.Text.Json.Nodes;
using MediaStack.Core.Config;
using MediaStack.Core.Diagnosis.Model;
using MediaStack.Core.JsonPatch;
using MediaStack.Core.Sidecars;
using MediaStack.Core.Workloads;

namespace MediaStack.Core.Reconcile;

public enum ChangeAction
{
    AddSidecars,
    RemoveSidecars,
    Repair,
}

// Parts of existing sidecars that Add-RcloneSidecar changes only when asked by name: they are
// the owner's choice, not defects.
[Flags]
public enum SidecarRefresh
{
    None = 0,
    Probes = 1,
    Resources = 2,
    LogLevel = 4,
    PreStop = 8,
}

// What is wanted of one workload: its sidecars added (or their defects fixed), removed, or
// the fixes of these findings applied.
public sealed record ChangeRequest
{
    public required ChangeAction Action { get; init; }

    // Names from MediaStackConfig.Mounts; null or empty: every mount the app expects.
    public IReadOnlyList<string>? Mounts { get; init; }

    // Null: keep the mode of the sidecars already there, Classic when there are none.
    public SidecarMode? Mode { get; init; }

    // The app container's name when the model cannot tell it.
    public string? AppContainer { get; init; }

    public SidecarRefresh Refresh { get; init; }

    // Remove: also drop the app's HostToContainer once no sidecar is left.
    public bool ResetPropagation { get; init; }

    // Repair: the findings whose fixes to apply.
    public IReadOnlyList<MountFinding> Findings { get; init; } = [];
}

public enum PlanStatus
{
    // Operations to apply.
    Changed,
    // Already as wanted: nothing to do.
    UpToDate,
    // Not a workload this change applies to (a gateway, the legacy standalone rclone ...).
    Skipped,
}

// What the planner decided for one workload: the RFC 6902 operations (paths from the
// resource's root) and one line per change. Empty means already up to date.
public sealed class ChangePlan
{
    internal ChangePlan(Workload workload, ChangeRequest request, PlanStatus status, IReadOnlyList<PatchOperation> operations,
        IReadOnlyList<PlannedChange> changes, string? reason, IReadOnlyList<RcloneMount> mounts, SidecarMode? mode)
    {
        Workload = workload;
        Request = request;
        Status = status;
        Operations = operations;
        Changes = changes;
        Reason = reason;
        Mounts = mounts;
        Mode = mode;
    }

    // The model of the workload as it was read.
    public Workload Workload { get; }

    public JsonObject Before => Workload.Resource;

    public ChangeRequest Request { get; }

    public PlanStatus Status { get; }

    public IReadOnlyList<PatchOperation> Operations { get; }

    public IReadOnlyList<PlannedChange> Changes { get; }

    // Why the workload was skipped or is up to date.
    public string? Reason { get; }

    // The configured mounts the plan covers.
    public IReadOnlyList<RcloneMount> Mounts { get; }

    public SidecarMode? Mode { get; }

    public bool IsEmpty => Operations.Count == 0;

    // The rules whose defects the plan fixes.
    public IReadOnlyList<string> RuleIds => Changes.Select(change => change.RuleId).OfType<string>().Distinct().Order(StringComparer.Ordinal).ToList();

    // The workload as it will be once the plan is applied.
    public JsonObject After()
    {
        var after = (JsonObject)Before.DeepClone();
        foreach (var operation in Operations)
        {
            JsonPointer.Apply(after, operation);
        }
        return after;
    }

    // The request body for the cluster: the change only, refused by the server when the
    // object changed since it was read (the test on resourceVersion).
    public JsonArray ToJsonPatch()
    {
        var resourceVersion = WorkloadContainer.Text(Before["metadata"]?["resourceVersion"]);
        var operations = new List<PatchOperation>();
        if (!string.IsNullOrEmpty(resourceVersion))
        {
            operations.Add(PatchOperation.Test("/metadata/resourceVersion", JsonValue.Create(resourceVersion)));
        }
        operations.AddRange(Operations);
        return PatchOperation.ToJsonArray(operations);
    }
}
