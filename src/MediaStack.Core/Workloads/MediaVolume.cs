using System.Text.Json.Nodes;

namespace MediaStack.Core.Workloads;

// The volume the app reads its media from: the one its container mounts at the media root,
// whatever its name or claim. Sidecars must mount this same volume (a second volume of the
// same claim does not share mounts, and can hang the pod in ContainerCreating).
// Volume is null when the pod spec names a volume it does not define.
public sealed record MediaVolume(string Name, JsonObject? Volume, int? Index)
{
    public string? ClaimName => WorkloadContainer.Text(Volume?["persistentVolumeClaim"]?["claimName"]);

    public string? HostPath => WorkloadContainer.Text(Volume?["hostPath"]?["path"]);

    public bool IsHostPath => Volume?["hostPath"] is JsonObject;

    public string Source =>
        ClaimName is { } claim ? $"claim {claim}"
        : HostPath is { } host ? $"hostPath {host}"
        : Volume?.FirstOrDefault(entry => entry.Key != "name").Key ?? "undefined";

    public override string ToString() => $"{Name} ({Source})";
}
