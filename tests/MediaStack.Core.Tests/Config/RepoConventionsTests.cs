using System.Text.Json.Nodes;
using MediaStack.Core.Config;
using MediaStack.Core.Manifests;
using MediaStack.Core.Tests.Corpus;
using MediaStack.Core.Yaml;

namespace MediaStack.Core.Tests.Config;

// -FromRepo on the corpus: each repository's own conventions, where each came from, and
// where its files disagree.
public class RepoConventionsTests
{
    private static readonly MediaStackConfig Baseline = MediaStackConfig.Default with { TimeZone = "Etc/UTC" };

    private static string Repo(string layout) => Path.Combine(CorpusRepository.CorpusFolder(), layout, "repo");

    private static RepoConventions Infer(string layout) => RepoConventions.Infer(Repo(layout), Baseline);

    private static ConventionSetting Setting(RepoConventions conventions, string name) => conventions.Settings.Single(setting => setting.Setting == name);

    public static TheoryData<string> Layouts() => new(CorpusRepository.Layouts());

    [Theory]
    [MemberData(nameof(Layouts))]
    public void Every_layout_gives_a_valid_config(string layout)
    {
        var conventions = Infer(layout);

        Assert.Empty(conventions.Config.Validate());
        Assert.All(conventions.Settings, setting => Assert.NotEmpty(setting.Sources));
    }

    // A repository made with the seed gives back the seed's conventions, from its one file.
    [Fact]
    public void Seed_template_gives_back_the_seed_conventions()
    {
        var conventions = Infer("seed-template");
        var config = conventions.Config;

        Assert.Equal(["wow-ocp-node2", "wow-ocp-node3"], config.PreferredNodes);
        Assert.Equal("hybrid-media", config.StackLabel);
        Assert.Equal("managers", config.ZoneServiceAccounts["zone2"]);
        Assert.Equal("zone2", config.DefaultZone);
        Assert.Equal(("media-storage", "media-library-pvc", "/mnt/media"), (config.SharedVolume, config.SharedClaim, config.MountRoot));
        Assert.Equal("docker.io/rclone/rclone:latest", config.RcloneImage);
        Assert.Equal(Baseline.Mounts, config.Mounts);
        Assert.Equal(Baseline.RcloneArgs, config.RcloneArgs);
        Assert.Equal(["apps/bazarr/base/deployment.yaml"], Setting(conventions, "PreferredNodes").Sources);
        Assert.Equal(["apps/bazarr/base/kustomization.yaml", "apps/bazarr/base/deployment.yaml"], Setting(conventions, "Namespace").Sources);
        Assert.DoesNotContain(conventions.Settings, setting => setting.HasConflicts);
    }

    // New-MediaApp with the learned config writes the repository's own shape.
    [Fact]
    public void An_app_generated_from_the_seed_template_conventions_matches_the_repository()
    {
        var config = Infer("seed-template").Config;
        var repo = YamlReader.ReadDocuments(File.ReadAllText(Path.Combine(Repo("seed-template"), "apps/bazarr/base/deployment.yaml"))).Single(document => (string?)document["kind"] == "Deployment");
        var generated = MediaAppBuilder.Build(new MediaAppSpec("bazarr", "lscr.io/linuxserver/bazarr:1.4.5", 6767), config).Deployment;

        foreach (var path in new[] { "metadata.labels", "spec.template.metadata.labels", "spec.template.spec.affinity", "spec.template.spec.serviceAccountName", "spec.template.spec.volumes[0]" })
        {
            Assert.True(JsonNode.DeepEquals(At(repo, path), At(generated, path)), $"{path}: {At(repo, path)?.ToJsonString()} != {At(generated, path)?.ToJsonString()}");
        }
        Assert.Equal(
            Names(At(repo, "spec.template.spec.volumes")).Where(name => !name.EndsWith("-cache", StringComparison.Ordinal)),
            Names(At(generated, "spec.template.spec.volumes")).Where(name => !name.EndsWith("-cache", StringComparison.Ordinal)));
    }

    [Fact]
    public void Where_files_disagree_the_most_files_win_and_the_others_are_named()
    {
        var conventions = Infer("sidecars-first");
        var secretVolume = Setting(conventions, "Mounts.zurg.SecretVolume");

        Assert.Equal("media", conventions.Config.Namespace);
        Assert.Equal(("zurg-rclone", "torbox-rclone"), (conventions.Config.Mounts[0].SecretVolume, conventions.Config.Mounts[1].SecretVolume));
        Assert.Equal(["apps/plex/plex.yaml", "apps/sonarr/sonarr.yaml"], secretVolume.Sources);
        var conflict = Assert.Single(secretVolume.Conflicts);
        Assert.Equal("rclone-zurg-config", conflict.Value);
        Assert.Equal(["apps/radarr/radarr.yaml"], conflict.Sources);
        Assert.Equal("busybox:1.36", conventions.Config.InitImage);
        Assert.Equal("docker.io/rclone/rclone:latest", Assert.Single(Setting(conventions, "RcloneImage").Conflicts).Value);
        // A value nothing states stays the baseline's.
        Assert.Null(conventions.Config.StackLabel);
        Assert.Empty(conventions.Config.PreferredNodes);
    }

    [Fact]
    public void A_helm_rendered_repository_gives_its_own_root_remote_and_secret()
    {
        var config = Infer("helm-rendered").Config;

        Assert.Equal(("media", "media", "/data", "/rclone"), (config.Namespace, config.SharedVolume, config.MountRoot, config.RcloneConfigDir));
        var mount = Assert.Single(config.Mounts);
        Assert.Equal(("realdebrid", "realdebrid:", "/data/realdebrid", "sonarr-rclone", "rclone-conf"), (mount.Name, mount.Remote, mount.MountPath, mount.Secret, mount.SecretVolume));
        Assert.Equal("rclone/rclone:1.68.2", config.RcloneImage);
    }

    // What the config cannot hold as the files have it is said, and the rest still saved.
    [Fact]
    public void A_mount_outside_the_root_and_a_shared_rc_port_are_noted()
    {
        var odd = Infer("native-and-odd");
        var deprecated = Infer("deprecated-fields");

        Assert.Equal(["zurg"], odd.Config.Mounts.Select(mount => mount.Name));
        Assert.Contains(odd.Notes, note => note.StartsWith("Mounts.nas: /music/share is outside MountRoot /mnt/media", StringComparison.Ordinal));
        Assert.Equal("music", Assert.Single(Setting(odd, "Namespace").Conflicts).Value);
        Assert.Equal([5572, 5573], deprecated.Config.Mounts.Select(mount => mount.RcPort));
        Assert.Equal(["Mounts.torbox: rc port 5572 is also another mount's; it gets 5573."], deprecated.Notes);
    }

    [Fact]
    public void A_repository_without_media_apps_leaves_the_baseline()
    {
        var folder = Directory.CreateTempSubdirectory("mediastack-conventions-");
        try
        {
            File.WriteAllText(Path.Combine(folder.FullName, "cm.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x, namespace: other}\n");

            var conventions = RepoConventions.Infer(folder.FullName, Baseline);

            Assert.Empty(conventions.Settings);
            Assert.Equal(MediaStackConfigStore.ToJson(Baseline), MediaStackConfigStore.ToJson(conventions.Config));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private static JsonNode? At(JsonNode? node, string path)
    {
        foreach (var part in path.Split('.'))
        {
            var bracket = part.IndexOf('[');
            node = bracket < 0 ? node?[part] : node?[part[..bracket]]?[int.Parse(part[(bracket + 1)..^1], System.Globalization.CultureInfo.InvariantCulture)];
        }
        return node;
    }

    private static IEnumerable<string> Names(JsonNode? list) => (list as JsonArray ?? []).Select(item => (string)item!["name"]!);
}
