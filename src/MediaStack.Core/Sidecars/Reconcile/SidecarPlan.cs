using System.Text.Json.Nodes;
using MediaStack.Core.Config;

namespace MediaStack.Core.Sidecars.Reconcile;

public sealed record SidecarPlanOptions
{
    // Null: keep the mode of the sidecars already there, Classic when there are none.
    public SidecarMode? Mode { get; init; }
    // Names from MediaStackConfig.Mounts; null or empty means every configured mount.
    public IReadOnlyList<string>? Mounts { get; init; }
    // The app container's name when it cannot be told from the Deployment.
    public string? AppContainer { get; init; }
    // Plan the removal of the sidecars instead of their addition.
    public bool Remove { get; init; }
}

// One line of what a plan changes, for people: "rclone-zurg: set privileged".
public sealed record SidecarChange(string Container, string Description)
{
    public override string ToString() => $"{Container}: {Description}";
}

// What the planner decided for one Deployment: the RFC 6902 operations (paths from the
// Deployment's root) and one human line per change. Empty means already up to date.
public sealed class SidecarPlan
{
    internal SidecarPlan(JsonObject before, IReadOnlyList<PatchOperation> operations, IReadOnlyList<SidecarChange> changes,
        string? appContainer, SidecarMode mode, IReadOnlyList<RcloneMount> mounts, bool remove)
    {
        Before = before;
        Operations = operations;
        Changes = changes;
        AppContainer = appContainer;
        Mode = mode;
        Mounts = mounts;
        Remove = remove;
    }

    public JsonObject Before { get; }
    public IReadOnlyList<PatchOperation> Operations { get; }
    public IReadOnlyList<SidecarChange> Changes { get; }
    public string? AppContainer { get; }
    public SidecarMode Mode { get; }
    public IReadOnlyList<RcloneMount> Mounts { get; }
    public bool Remove { get; }
    public bool IsEmpty => Operations.Count == 0;

    // The Deployment as it will be once the plan is applied.
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
        var resourceVersion = (string?)Before["metadata"]?["resourceVersion"];
        var operations = new List<PatchOperation>();
        if (!string.IsNullOrEmpty(resourceVersion))
        {
            operations.Add(PatchOperation.Test("/metadata/resourceVersion", JsonValue.Create(resourceVersion)));
        }
        operations.AddRange(Operations);
        return PatchOperation.ToJsonArray(operations);
    }
}
