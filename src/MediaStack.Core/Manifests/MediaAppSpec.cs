using MediaStack.Core.Sidecars;

namespace MediaStack.Core.Manifests;

// Everything New-MediaApp takes. Unset (null) fields come from the stack config.
public sealed record MediaAppSpec(string Name, string Image, int Port)
{
    public string? Zone { get; init; }
    // Default: from the image and name (AppClasses.Of); picks the config's resources.
    public AppClass? Class { get; init; }
    public string? CpuRequest { get; init; }
    public string? MemoryRequest { get; init; }
    public string? CpuLimit { get; init; }
    public string? MemoryLimit { get; init; }
    // No init-dirs, no sidecars, no secret volumes, no mount propagation.
    public bool NoSidecar { get; init; }
    public SidecarMode SidecarMode { get; init; } = SidecarMode.Classic;
    public string? Namespace { get; init; }
    // Default: the zone's service account from the config.
    public string? ServiceAccount { get; init; }
    // Route host <name>.apps.<ClusterDomain>; RouteHost wins over it.
    public string? ClusterDomain { get; init; }
    public string? RouteHost { get; init; }
    public string? TimeZone { get; init; }
    // Extra environment variables; a name the defaults use (PUID, TZ ...) replaces that value.
    public IReadOnlyDictionary<string, string>? Environment { get; init; }
    public int Replicas { get; init; } = 1;
}
