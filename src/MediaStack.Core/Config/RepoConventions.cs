using System.Text.Json.Nodes;
using MediaStack.Core.Manifests;
using MediaStack.Core.Sidecars;
using MediaStack.Core.Workloads;

namespace MediaStack.Core.Config;

// One convention read from a repository: the value most of its files agree on, the files
// that say so, and the other values with the files that say those.
public sealed record ConventionSetting(string Setting, string Value, IReadOnlyList<string> Sources, IReadOnlyList<ConventionConflict> Conflicts)
{
    public bool HasConflicts => Conflicts.Count > 0;

    // For the table view: "a.yaml, b.yaml" and "x (c.yaml); y (d.yaml)".
    public string SourceSummary => string.Join(", ", Sources);

    public string ConflictSummary => string.Join("; ", Conflicts);

    public override string ToString() => $"{Setting} = {Value}";
}

public sealed record ConventionConflict(string Value, IReadOnlyList<string> Sources)
{
    public override string ToString() => $"{Value} ({string.Join(", ", Sources)})";
}

// The conventions of the media apps already in a GitOps repository, read through the
// workload model (which volume is the media volume, which containers are rclone sidecars
// and init-dirs), laid over a baseline config. A fact no file states keeps the baseline's.
public sealed class RepoConventions
{
    private readonly Dictionary<string, Votes> _votes = new(StringComparer.Ordinal);
    private readonly List<string> _order = [];
    private readonly string _root;

    private RepoConventions(string root) => _root = root;

    public IReadOnlyList<ConventionSetting> Settings { get; private set; } = [];

    public MediaStackConfig Config { get; private set; } = MediaStackConfig.Default;

    // Workload documents that could not be read, as the scan reports them.
    public IReadOnlyList<Errors.MediaStackException> Errors { get; private set; } = [];

    // What the config could not take as the files have it, and what it took instead.
    public IReadOnlyList<string> Notes => _notes;

    private readonly List<string> _notes = [];

    public static RepoConventions Infer(string path, MediaStackConfig baseline)
    {
        var files = ManifestScan.Files(path);
        var root = File.Exists(path) ? Path.GetDirectoryName(Path.GetFullPath(path))! : Path.GetFullPath(path);
        var conventions = new RepoConventions(root);
        var errors = new List<Errors.MediaStackException>();
        var documents = ManifestScan.Documents(path, baseline.ReadLimits).ToList();
        foreach (var document in documents.Where(d => d.Document is not null && d.Kind == "Kustomization" && !d.IsPatch))
        {
            conventions.Vote(nameof(MediaStackConfig.Namespace), WorkloadContainer.Text(document.Document!["namespace"]), document.Source);
        }
        foreach (var (document, workload, error) in ManifestScan.Workloads(documents, baseline))
        {
            if (error is not null)
            {
                errors.Add(error);
            }
            else if (workload is { Kind: WorkloadKind.MediaApp } && !document.IsPatch)
            {
                conventions.Read(workload, document.Source);
            }
        }
        conventions.Errors = errors;
        conventions.Settings = conventions._order.Select(setting => conventions._votes[setting].Setting(setting, conventions.Relative)).ToList();
        conventions.Config = conventions.Apply(baseline);
        return conventions;
    }

    private string Relative(string file) => Path.GetRelativePath(_root, file).Replace('\\', '/');

    private void Vote(string setting, string? value, string file)
    {
        if (string.IsNullOrEmpty(value))
        {
            return;
        }
        if (!_votes.TryGetValue(setting, out var votes))
        {
            _votes[setting] = votes = new Votes();
            _order.Add(setting);
        }
        votes.Add(value, file);
    }

    private void Read(Workload workload, string file)
    {
        Vote(nameof(MediaStackConfig.Namespace), workload.Namespace, file);
        if (workload.Label("zone") is { } zone)
        {
            Vote($"{nameof(MediaStackConfig.ZoneServiceAccounts)}.{zone}", workload.ServiceAccount, file);
            Vote(nameof(MediaStackConfig.DefaultZone), zone, file);
        }
        Vote(nameof(MediaStackConfig.StackLabel), workload.Label("stack"), file);
        var preferred = (WorkloadContainer.At(workload.PodSpec, "affinity", "nodeAffinity", "preferredDuringSchedulingIgnoredDuringExecution") as JsonArray ?? [])
            .OfType<JsonObject>()
            .Select(term => (Weight: term["weight"], Nodes: (term["preference"]?["matchExpressions"] as JsonArray ?? []).OfType<JsonObject>()
                .Where(expression => WorkloadContainer.Text(expression["key"]) == "kubernetes.io/hostname" && WorkloadContainer.Text(expression["operator"]) == "In")
                .SelectMany(expression => (expression["values"] as JsonArray ?? []).Select(WorkloadContainer.Text).OfType<string>())
                .ToList()))
            .FirstOrDefault(term => term.Nodes.Count > 0);
        if (preferred.Nodes is { Count: > 0 })
        {
            Vote(nameof(MediaStackConfig.PreferredNodes), string.Join(",", preferred.Nodes), file);
            Vote(nameof(MediaStackConfig.PreferredNodeWeight), WorkloadContainer.Text(preferred.Weight), file);
        }
        if (workload.MediaVolume is { } media)
        {
            Vote(nameof(MediaStackConfig.SharedVolume), media.Name, file);
            Vote(nameof(MediaStackConfig.SharedClaim), media.ClaimName, file);
        }
        Vote(nameof(MediaStackConfig.MountRoot), workload.MediaRoot, file);
        foreach (var initDirs in workload.InitDirs)
        {
            Vote(nameof(MediaStackConfig.InitImage), initDirs.Image, file);
        }
        foreach (var sidecar in workload.RcloneMounts)
        {
            ReadSidecar(workload, sidecar, file);
        }
    }

    private void ReadSidecar(Workload workload, WorkloadContainer sidecar, string file)
    {
        var rclone = sidecar.Rclone!;
        Vote(nameof(MediaStackConfig.RcloneImage), sidecar.Image, file);
        var name = MountName(rclone.Remote);
        var at = $"{nameof(MediaStackConfig.Mounts)}.{name}";
        Vote($"{at}.{nameof(RcloneMount.Remote)}", rclone.Remote, file);
        Vote($"{at}.{nameof(RcloneMount.MountPath)}", rclone.MountPoint, file);
        if (rclone.RcPort is { } port)
        {
            Vote($"{at}.{nameof(RcloneMount.RcPort)}", port.ToString(System.Globalization.CultureInfo.InvariantCulture), file);
        }
        // The secret it reads its rclone.conf from: a secret volume it mounts.
        foreach (var (mount, _) in sidecar.VolumeMounts)
        {
            var volumeName = WorkloadContainer.Text(mount["name"]);
            if (volumeName is not null && workload.Volume(volumeName)?["secret"]?["secretName"] is { } secret)
            {
                Vote($"{at}.{nameof(RcloneMount.Secret)}", WorkloadContainer.Text(secret), file);
                Vote($"{at}.{nameof(RcloneMount.SecretVolume)}", volumeName, file);
                Vote(nameof(MediaStackConfig.RcloneConfigDir), WorkloadContainer.Text(mount["mountPath"])?.TrimEnd('/'), file);
                break;
            }
        }
        var words = (sidecar.Command.Count == 0 ? sidecar.Args : sidecar.Command.Concat(sidecar.Args)).ToList();
        if (words.Count > 0 && words.All(word => !word.Contains(' ')))
        {
            var flags = words.SkipWhile(word => word != "mount").Skip(1).Where(word => word.StartsWith("--", StringComparison.Ordinal)).ToList();
            Vote(nameof(MediaStackConfig.VfsCacheMaxSize), QuantityOf(Flag(flags, "--vfs-cache-max-size")), file);
            var shared = flags.Where(flag => !OwnFlags.Any(own => flag == own || flag.StartsWith(own + "=", StringComparison.Ordinal))).ToList();
            if (shared.Count > 0)
            {
                Vote(nameof(MediaStackConfig.RcloneArgs), string.Join(" ", shared), file);
            }
        }
    }

    // Flags the config sets per mount rather than in RcloneArgs.
    private static readonly string[] OwnFlags = ["--rc-addr", "--cache-dir", "--vfs-cache-max-size"];

    private static string? Flag(IEnumerable<string> flags, string name) =>
        flags.Where(flag => flag.StartsWith(name + "=", StringComparison.Ordinal)).Select(flag => flag[(name.Length + 1)..]).FirstOrDefault();

    // rclone sizes are binary (10G = 10 GiB; a bare number is KiB).
    private static string? QuantityOf(string? size)
    {
        if (string.IsNullOrEmpty(size))
        {
            return null;
        }
        var suffix = char.ToUpperInvariant(size[^1]);
        var number = char.IsAsciiLetter(size[^1]) ? size[..^1] : size;
        var unit = suffix switch { 'K' => "Ki", 'M' => "Mi", 'G' => "Gi", 'T' => "Ti", 'P' => "Pi", _ when char.IsAsciiDigit(suffix) => "Ki", _ => null };
        return unit is not null && number.Length > 0 && number.All(char.IsAsciiDigit) ? number + unit : null;
    }

    // zurg: -> zurg; "my remote:" -> my-remote.
    private static string MountName(string remote)
    {
        var name = new string(remote[..Math.Max(remote.IndexOf(':'), 0)].ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-').ToArray()).Trim('-');
        return name.Length == 0 ? "remote" : name;
    }

    private string? Winner(string setting) => _votes.TryGetValue(setting, out var votes) ? votes.Winner : null;

    private MediaStackConfig Apply(MediaStackConfig baseline)
    {
        var config = baseline;
        string Or(string setting, string current) => Winner(setting) ?? current;
        config = config with
        {
            Namespace = Or(nameof(MediaStackConfig.Namespace), config.Namespace),
            StackLabel = Winner(nameof(MediaStackConfig.StackLabel)) ?? config.StackLabel,
            SharedVolume = Or(nameof(MediaStackConfig.SharedVolume), config.SharedVolume),
            SharedClaim = Or(nameof(MediaStackConfig.SharedClaim), config.SharedClaim),
            MountRoot = Or(nameof(MediaStackConfig.MountRoot), config.MountRoot),
            RcloneImage = Or(nameof(MediaStackConfig.RcloneImage), config.RcloneImage),
            InitImage = Or(nameof(MediaStackConfig.InitImage), config.InitImage),
            RcloneConfigDir = Or(nameof(MediaStackConfig.RcloneConfigDir), config.RcloneConfigDir),
            VfsCacheMaxSize = Or(nameof(MediaStackConfig.VfsCacheMaxSize), config.VfsCacheMaxSize),
        };
        if (Winner(nameof(MediaStackConfig.PreferredNodes)) is { } nodes)
        {
            config = config with
            {
                PreferredNodes = nodes.Split(','),
                PreferredNodeWeight = int.TryParse(Winner(nameof(MediaStackConfig.PreferredNodeWeight)), out var weight) ? weight : config.PreferredNodeWeight,
            };
        }
        if (Winner(nameof(MediaStackConfig.RcloneArgs)) is { } args)
        {
            config = config with { RcloneArgs = args.Split(' ') };
        }
        var zonePrefix = nameof(MediaStackConfig.ZoneServiceAccounts) + ".";
        var zones = _order.Where(setting => setting.StartsWith(zonePrefix, StringComparison.Ordinal))
            .ToDictionary(setting => setting[zonePrefix.Length..], setting => Winner(setting)!);
        if (zones.Count > 0)
        {
            // The baseline's other zones stay: the repository may not use every zone yet.
            var merged = config.ZoneServiceAccounts.ToDictionary();
            foreach (var (zone, account) in zones)
            {
                merged[zone] = account;
            }
            config = config with { ZoneServiceAccounts = merged, DefaultZone = Winner(nameof(MediaStackConfig.DefaultZone))! };
        }
        var mountPrefix = nameof(MediaStackConfig.Mounts) + ".";
        var names = _order.Where(setting => setting.StartsWith(mountPrefix, StringComparison.Ordinal) && setting.EndsWith("." + nameof(RcloneMount.Remote), StringComparison.Ordinal))
            .Select(setting => setting[mountPrefix.Length..^(nameof(RcloneMount.Remote).Length + 1)]).ToList();
        var mounts = new List<RcloneMount>();
        foreach (var mount in names.Select(name => Mount(baseline, name)))
        {
            // Every mount sits under the one MountRoot, each sidecar of a pod on its own port.
            if (!mount.MountPath.StartsWith(config.MountRoot.TrimEnd('/') + "/", StringComparison.Ordinal))
            {
                _notes.Add($"Mounts.{mount.Name}: {mount.MountPath} is outside MountRoot {config.MountRoot}; the mount is left out.");
                continue;
            }
            var port = mount.RcPort;
            while (mounts.Any(other => other.RcPort == port))
            {
                port++;
            }
            if (port != mount.RcPort)
            {
                _notes.Add($"Mounts.{mount.Name}: rc port {mount.RcPort} is also another mount's; it gets {port}.");
            }
            mounts.Add(mount with { RcPort = port });
        }
        if (mounts.Count > 0)
        {
            config = config with { Mounts = mounts };
        }
        return config;
    }

    // A mount the repository has, on top of the baseline's mount of the same remote (which
    // keeps its probe path and thresholds); a new remote is probed at its root.
    private RcloneMount Mount(MediaStackConfig baseline, string name)
    {
        var at = $"{nameof(MediaStackConfig.Mounts)}.{name}";
        var remote = Winner($"{at}.{nameof(RcloneMount.Remote)}")!;
        var known = baseline.Mounts.FirstOrDefault(mount => mount.Remote == remote || mount.Name == name);
        var mount = known ?? new RcloneMount(name, remote, "", "", $"rclone-{name}-config", $"rclone-{name}-config", 5572, 0, 0);
        return mount with
        {
            Remote = remote,
            MountPath = Winner($"{at}.{nameof(RcloneMount.MountPath)}") ?? mount.MountPath,
            RcPort = int.TryParse(Winner($"{at}.{nameof(RcloneMount.RcPort)}"), out var port) ? port : mount.RcPort,
            Secret = Winner($"{at}.{nameof(RcloneMount.Secret)}") ?? mount.Secret,
            SecretVolume = Winner($"{at}.{nameof(RcloneMount.SecretVolume)}") ?? mount.SecretVolume,
        };
    }

    // The files behind each value of one setting; the value of the most files wins, the
    // first seen on a tie.
    private sealed class Votes
    {
        private readonly List<(string Value, List<string> Files)> _values = [];

        public void Add(string value, string file)
        {
            var index = _values.FindIndex(entry => entry.Value == value);
            if (index < 0)
            {
                _values.Add((value, [file]));
            }
            else if (!_values[index].Files.Contains(file))
            {
                _values[index].Files.Add(file);
            }
        }

        private IEnumerable<(string Value, List<string> Files)> Ranked =>
            _values.Select((entry, index) => (entry, index)).OrderByDescending(item => item.entry.Files.Count).ThenBy(item => item.index).Select(item => item.entry);

        public string Winner => Ranked.First().Value;

        public ConventionSetting Setting(string name, Func<string, string> relative)
        {
            var ranked = Ranked.ToList();
            return new ConventionSetting(name, ranked[0].Value, ranked[0].Files.Select(relative).ToList(),
                ranked.Skip(1).Select(entry => new ConventionConflict(entry.Value, entry.Files.Select(relative).ToList())).ToList());
        }
    }
}
