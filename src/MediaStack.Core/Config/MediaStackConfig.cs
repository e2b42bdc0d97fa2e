using System.Text.RegularExpressions;
using MediaStack.Core.Manifests;
using MediaStack.Core.Yaml;

namespace MediaStack.Core.Config;

// The stack conventions the seed toolkit hard-coded, as data. The defaults keep the seed's
// layout (zurg + torbox, media-stack, zones) but nothing of its author's cluster: no node
// names, no stack label, pinned images, a bounded cache, and the machine's time zone. The
// seed's own conventions are the preset Seed (MediaStackConfigPresets). Change a copy with
// `with { ... }`.
public sealed partial record MediaStackConfig
{
    public string Namespace { get; init; } = "media-stack";
    public string MountRoot { get; init; } = "/mnt/media";
    public string SharedVolume { get; init; } = "media-storage";
    public string SharedClaim { get; init; } = "media-library-pvc";
    // Pinned: a floating tag changes what runs at the next pull, on one node and not another.
    public string RcloneImage { get; init; } = "docker.io/rclone/rclone:1.68.2";
    public string InitImage { get; init; } = "docker.io/library/alpine:3.20";
    // Empty: no node affinity is written.
    public IReadOnlyList<string> PreferredNodes { get; init; } = [];
    public int PreferredNodeWeight { get; init; } = 100;
    public IReadOnlyDictionary<string, string> ZoneServiceAccounts { get; init; } = new Dictionary<string, string>
    {
        ["zone1"] = "cloud-gateway",
        ["zone2"] = "managers",
        ["zone3"] = "plex",
        ["zone4"] = "discovery",
    };
    public string DefaultZone { get; init; } = "zone2";
    // No domain: the Route gets no spec.host and OpenShift assigns one.
    public string? ClusterDomain { get; init; }
    public string TimeZone { get; init; } = MachineTimeZone();
    // The value of a `stack` label on generated apps; null writes no such label.
    public string? StackLabel { get; init; }
    public int Puid { get; init; } = 1000;
    public int Pgid { get; init; } = 1000;
    public string Umask { get; init; } = "022";
    public int FsGroup { get; init; } = 1000;
    // Where each sidecar sees its rclone.conf secret; RcloneArgs' --config points inside it.
    public string RcloneConfigDir { get; init; } = "/config/rclone";
    // Shared by every mount; the remote, the mount path, --rc-addr, --cache-dir and
    // --vfs-cache-max-size are added per mount.
    public IReadOnlyList<string> RcloneArgs { get; init; } =
    [
        "--config=/config/rclone/rclone.conf",
        "--allow-other",
        "--vfs-cache-mode=full",
        "--poll-interval=10s",
        "--dir-cache-time=10s",
        "--attr-timeout=10s",
        "--rc",
        "--rc-no-auth",
        "--log-level=INFO",
    ];
    public ResourceSpec SidecarResources { get; init; } = new("100m", "256Mi", "500m", "1Gi");
    public ResourceSpec InitResources { get; init; } = new("10m", "16Mi", "100m", "64Mi");
    // The app container's resources by class (AppClasses): an indexer or request front-end
    // needs less than an *arr manager, which needs less than a transcoding media server.
    public ResourceSpec LightAppResources { get; init; } = new("50m", "128Mi", "500m", "512Mi");
    public ResourceSpec AppResources { get; init; } = new("500m", "512Mi", "2000m", "2Gi");
    public ResourceSpec MediaServerResources { get; init; } = new("1000m", "2Gi", "4000m", "8Gi");
    // Each sidecar's --vfs-cache-max-size, as a quantity (5Gi -> rclone's 5G). The cache
    // lives on the sidecar's own emptyDir (RcloneMount.CacheVolume), never on its image layer.
    public string VfsCacheMaxSize { get; init; } = "5Gi";
    public IReadOnlyList<RcloneMount> Mounts { get; init; } =
    [
        new("zurg", "zurg:", "/mnt/media/zurg", "__all__", "rclone-zurg-config", "rclone-zurg-config", 5572, 1000, 100),
        new("torbox", "torbox:", "/mnt/media/torbox", "torrents", "rclone-config", "rclone-config", 5573, 10, 0),
    ];
    // A pod that should run its app but is Pending or ContainerCreating this long is NOTREADY
    // in Test-MediaMount (STARTING before).
    public int StartupGraceSec { get; init; } = 60;
    // Per workload name, the configured mounts its app expects (default: every mount); the
    // annotation mediastack.io/mounts on the workload says the same and wins.
    public IReadOnlyDictionary<string, IReadOnlyList<string>> AppMounts { get; init; } = new Dictionary<string, IReadOnlyList<string>>();
    // Where ArgoCD Applications live (OpenShift GitOps) and the Git repository they read.
    public string ArgoNamespace { get; init; } = "openshift-gitops";
    public string? RepoUrl { get; init; }
    // What reading one manifest file may cost (size, nesting, values, alias copies).
    public YamlReadLimits ReadLimits { get; init; } = YamlReadLimits.Default;

    public static MediaStackConfig Default => new();

    // An IANA zone id (Europe/Paris) that the platform's time zone database knows; where the
    // platform has no database, any well-formed id.
    public static bool IsTimeZoneName(string? value) => value is not null && TimeZoneName().IsMatch(value) && TimeZones.IsKnown(value);

    public string ServiceAccountFor(string zone) =>
        ZoneServiceAccounts.TryGetValue(zone, out var account) ? account : throw new KeyNotFoundException(zone);

    // Every problem at once, each with the field path (Mounts[1].RcPort) and what is wrong.
    public IReadOnlyList<ConfigProblem> Validate()
    {
        var problems = new List<ConfigProblem>();
        void Check(bool ok, string field, string message)
        {
            if (!ok)
            {
                problems.Add(new ConfigProblem(field, message));
            }
        }

        Check(Dns1123.IsLabel(Namespace), nameof(Namespace), $"'{Namespace}' is not a DNS-1123 label.");
        Check(IsSafePath(MountRoot) && MountRoot != "/", nameof(MountRoot), $"'{MountRoot}' is not an absolute path of letters, digits, '.', '_', '-' and '/' (and not /).");
        Check(Dns1123.IsLabel(SharedVolume), nameof(SharedVolume), $"'{SharedVolume}' is not a DNS-1123 label.");
        Check(Dns1123.IsSubdomain(SharedClaim), nameof(SharedClaim), $"'{SharedClaim}' is not a DNS-1123 subdomain.");
        Check(ImageReference.IsValid(RcloneImage), nameof(RcloneImage), $"'{RcloneImage}' is not a valid image reference.");
        Check(ImageReference.IsValid(InitImage), nameof(InitImage), $"'{InitImage}' is not a valid image reference.");
        // A file can say "field": null; every list and map must be there, even if empty.
        Check(PreferredNodes is not null, nameof(PreferredNodes), "is missing.");
        Check(ZoneServiceAccounts is not null, nameof(ZoneServiceAccounts), "is missing.");
        Check(RcloneArgs is not null, nameof(RcloneArgs), "is missing.");
        Check(Mounts is not null, nameof(Mounts), "is missing.");
        var nodes = PreferredNodes ?? [];
        for (var i = 0; i < nodes.Count; i++)
        {
            Check(Dns1123.IsSubdomain(nodes[i]), $"{nameof(PreferredNodes)}[{i}]", $"'{nodes[i]}' is not a valid node name.");
        }
        Check(PreferredNodeWeight is >= 1 and <= 100, nameof(PreferredNodeWeight), $"{PreferredNodeWeight} is outside 1..100.");
        var zones = ZoneServiceAccounts ?? new Dictionary<string, string>();
        Check(zones.Count > 0, nameof(ZoneServiceAccounts), "no zone is defined.");
        foreach (var (zone, account) in zones)
        {
            Check(Dns1123.IsLabel(zone), $"{nameof(ZoneServiceAccounts)}.{zone}", $"zone name '{zone}' is not a DNS-1123 label.");
            Check(Dns1123.IsSubdomain(account), $"{nameof(ZoneServiceAccounts)}.{zone}", $"'{account}' is not a valid service account name.");
        }
        Check(zones.ContainsKey(DefaultZone ?? ""), nameof(DefaultZone), $"'{DefaultZone}' is not one of the zones in ZoneServiceAccounts.");
        Check(ClusterDomain is null || Dns1123.IsSubdomain(ClusterDomain), nameof(ClusterDomain), $"'{ClusterDomain}' is not a DNS subdomain.");
        Check(IsTimeZoneName(TimeZone), nameof(TimeZone), $"'{TimeZone}' is not an IANA time zone id like Europe/Paris that this machine's time zone database knows.");
        Check(StackLabel is null || Dns1123.IsLabel(StackLabel), nameof(StackLabel), $"'{StackLabel}' is not a valid label value.");
        Check(Puid >= 0, nameof(Puid), $"{Puid} is negative.");
        Check(Pgid >= 0, nameof(Pgid), $"{Pgid} is negative.");
        Check(Umask is { Length: 3 or 4 } && Umask.All(c => c is >= '0' and <= '7'), nameof(Umask), $"'{Umask}' is not an octal umask like 022.");
        Check(FsGroup >= 0, nameof(FsGroup), $"{FsGroup} is negative.");
        Check(IsSafePath(RcloneConfigDir), nameof(RcloneConfigDir), $"'{RcloneConfigDir}' is not an absolute path of letters, digits, '.', '_', '-' and '/'.");
        var args = RcloneArgs ?? [];
        for (var i = 0; i < args.Count; i++)
        {
            Check(!string.IsNullOrWhiteSpace(args[i]), $"{nameof(RcloneArgs)}[{i}]", "is empty.");
            Check(args[i] is null || !args[i].StartsWith("--rc-addr", StringComparison.Ordinal), $"{nameof(RcloneArgs)}[{i}]", "--rc-addr is set per mount from RcPort.");
            Check(args[i] is null || !args[i].StartsWith("--cache-dir", StringComparison.Ordinal), $"{nameof(RcloneArgs)}[{i}]", "--cache-dir is set per mount, on its cache volume.");
            Check(args[i] is null || !args[i].StartsWith("--vfs-cache-max-size", StringComparison.Ordinal), $"{nameof(RcloneArgs)}[{i}]", "--vfs-cache-max-size is set from VfsCacheMaxSize.");
        }
        CheckResources(problems, nameof(SidecarResources), SidecarResources);
        CheckResources(problems, nameof(InitResources), InitResources);
        CheckResources(problems, nameof(LightAppResources), LightAppResources);
        CheckResources(problems, nameof(AppResources), AppResources);
        CheckResources(problems, nameof(MediaServerResources), MediaServerResources);
        Check(Quantity.TryParse(VfsCacheMaxSize, out var cacheSize) && cacheSize >= Quantity.Parse("1Mi"), nameof(VfsCacheMaxSize), $"'{VfsCacheMaxSize}' is not a quantity of at least 1Mi, like 5Gi.");
        CheckMounts(problems);
        Check(StartupGraceSec is >= 0 and <= 86400, nameof(StartupGraceSec), $"{StartupGraceSec} is outside 0..86400 seconds.");
        Check(AppMounts is not null, nameof(AppMounts), "is missing.");
        foreach (var (workload, names) in AppMounts ?? new Dictionary<string, IReadOnlyList<string>>())
        {
            Check(Dns1123.IsSubdomain(workload), $"{nameof(AppMounts)}.{workload}", $"'{workload}' is not a workload name.");
            foreach (var name in names ?? [])
            {
                Check((Mounts ?? []).Any(mount => mount?.Name == name), $"{nameof(AppMounts)}.{workload}", $"'{name}' is not the name of a configured mount.");
            }
        }
        Check(Dns1123.IsLabel(ArgoNamespace), nameof(ArgoNamespace), $"'{ArgoNamespace}' is not a DNS-1123 label.");
        Check(RepoUrl is null || GitRepoUrl.IsValid(RepoUrl), nameof(RepoUrl), $"'{RepoUrl}' is not a Git repository URL.");
        Check(ReadLimits is not null, nameof(ReadLimits), "is missing.");
        foreach (var (limit, problem) in ReadLimits?.Problems() ?? [])
        {
            problems.Add(new ConfigProblem($"{nameof(ReadLimits)}.{limit}", problem));
        }
        return problems;
    }

    private static void CheckResources(List<ConfigProblem> problems, string field, ResourceSpec? resources)
    {
        if (resources is null)
        {
            problems.Add(new ConfigProblem(field, "is missing."));
            return;
        }
        foreach (var problem in ResourceRules.Problems(resources))
        {
            problems.Add(problem with { Field = $"{field}.{problem.Field}" });
        }
    }

    private void CheckMounts(List<ConfigProblem> problems)
    {
        var mounts = Mounts ?? [];
        var secretsByVolume = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < mounts.Count; i++)
        {
            var mount = mounts[i];
            var at = $"{nameof(Mounts)}[{i}]";
            if (mount is null)
            {
                problems.Add(new ConfigProblem(at, "is empty."));
                continue;
            }
            void Check(bool ok, string field, string message)
            {
                if (!ok)
                {
                    problems.Add(new ConfigProblem($"{at}.{field}", message));
                }
            }
            Check(Dns1123.IsLabel(mount.Name) && Dns1123.IsLabel(mount.ContainerName) && Dns1123.IsLabel(mount.CacheVolume), nameof(mount.Name), $"'{mount.Name}' is not a DNS-1123 label short enough for the container name rclone-<name> and its volume rclone-<name>-cache.");
            Check(mount.Remote is { Length: > 1 } && mount.Remote.IndexOf(':') > 0 && !mount.Remote.Any(char.IsWhiteSpace), nameof(mount.Remote), $"'{mount.Remote}' is not an rclone remote like zurg: or zurg:path.");
            Check(IsSafePath(mount.MountPath) && mount.MountPath.StartsWith((MountRoot ?? "").TrimEnd('/') + "/", StringComparison.Ordinal), nameof(mount.MountPath), $"'{mount.MountPath}' must be a subdirectory of MountRoot {MountRoot} (never the root itself).");
            Check(mount.ProbePath is not null && (mount.ProbePath.Length == 0 || SafeRelativePath().IsMatch(mount.ProbePath) && !mount.ProbePath.Split('/').Contains("..")), nameof(mount.ProbePath), $"'{mount.ProbePath}' is not a relative path inside the mount.");
            Check(Dns1123.IsSubdomain(mount.Secret), nameof(mount.Secret), $"'{mount.Secret}' is not a valid secret name.");
            Check(Dns1123.IsLabel(mount.SecretVolume) && mount.SecretVolume != SharedVolume && mounts.All(other => other?.CacheVolume != mount.SecretVolume), nameof(mount.SecretVolume), $"'{mount.SecretVolume}' is not a DNS-1123 label distinct from SharedVolume and the cache volumes.");
            Check(mount.RcPort is >= 1 and <= 65535, nameof(mount.RcPort), $"{mount.RcPort} is outside 1..65535.");
            Check(mount.WarnAbove >= 0, nameof(mount.WarnAbove), $"{mount.WarnAbove} is negative.");
            Check(mount.OkAbove >= mount.WarnAbove, nameof(mount.OkAbove), $"{mount.OkAbove} is below WarnAbove {mount.WarnAbove}.");
            for (var j = 0; j < i; j++)
            {
                var other = mounts[j];
                if (other is null)
                {
                    continue;
                }
                Check(other.Name != mount.Name, nameof(mount.Name), $"'{mount.Name}' is also the name of Mounts[{j}].");
                Check(other.MountPath != mount.MountPath, nameof(mount.MountPath), $"'{mount.MountPath}' is also the mount path of Mounts[{j}].");
                Check(other.RcPort != mount.RcPort, nameof(mount.RcPort), $"{mount.RcPort} is also the rc port of Mounts[{j}]; two sidecars of one pod cannot share a port.");
            }
            if (mount.SecretVolume is not null && mount.Secret is not null)
            {
                Check(!secretsByVolume.TryGetValue(mount.SecretVolume, out var secret) || secret == mount.Secret, nameof(mount.SecretVolume), $"'{mount.SecretVolume}' is used by another mount for a different secret.");
                secretsByVolume.TryAdd(mount.SecretVolume, mount.Secret);
            }
        }
    }

    // Paths end up in probe commands and mount tables: keep them to characters that need no
    // quoting and no escaping anywhere.
    private static bool IsSafePath(string? path) =>
        path is not null && SafeAbsolutePath().IsMatch(path) && !path.Split('/').Contains("..") && !path.Split('/').Contains(".");

    [GeneratedRegex(@"^/[A-Za-z0-9._/-]*$")]
    private static partial Regex SafeAbsolutePath();

    [GeneratedRegex(@"^[A-Za-z0-9._-][A-Za-z0-9._/-]*$")]
    private static partial Regex SafeRelativePath();

    [GeneratedRegex(@"^[A-Za-z][A-Za-z0-9_+\-]*(/[A-Za-z0-9_+\-]+)*$")]
    private static partial Regex TimeZoneName();

    // The machine's IANA zone id; Windows ids are converted, anything else is Etc/UTC.
    private static string MachineTimeZone()
    {
        try
        {
            var local = TimeZoneInfo.Local;
            if (local.HasIanaId && IsTimeZoneName(local.Id))
            {
                return local.Id;
            }
            if (TimeZoneInfo.TryConvertWindowsIdToIanaId(local.Id, out var iana) && IsTimeZoneName(iana))
            {
                return iana;
            }
        }
        catch (TimeZoneNotFoundException)
        {
        }
        catch (InvalidTimeZoneException)
        {
        }
        return "Etc/UTC";
    }
}

public sealed record ConfigProblem(string Field, string Message)
{
    public override string ToString() => $"{Field}: {Message.TrimEnd('.')}";
}
