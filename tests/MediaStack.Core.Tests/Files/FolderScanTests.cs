using MediaStack.Core.Files;

namespace MediaStack.Core.Tests.Files;

public sealed class FolderScanTests : IDisposable
{
    private readonly string _repo = Directory.CreateTempSubdirectory("mediastack-scan-").FullName;

    public void Dispose() => Directory.Delete(_repo, recursive: true);

    private void Touch(string relative)
    {
        var path = Path.Combine(_repo, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, "kind: ConfigMap\n");
    }

    [Fact]
    public void A_scan_reads_YAML_files_and_never_hidden_files_or_folders()
    {
        foreach (var file in new[]
        {
            "apps/plex/base/deployment.yaml", "apps/plex/base/route.YML", "apps/plex/base/README.md",
            "apps/plex/.base.0f.old/deployment.yaml", "apps/.plex.0f.staging/deployment.yaml",
            ".github/workflows/ci.yml", ".git/config.yaml", "apps/plex/base/.deployment.yaml.0f.tmp", "apps/.hidden.yaml",
        })
        {
            Touch(file);
        }

        Assert.Equal(
            ["apps/plex/base/deployment.yaml", "apps/plex/base/route.YML"],
            FolderScan.YamlFiles(_repo, recursive: true).Select(file => Path.GetRelativePath(_repo, file).Replace('\\', '/')));
        Assert.Equal(["deployment.yaml", "route.YML"], FolderScan.YamlFiles(Path.Combine(_repo, "apps/plex/base"), recursive: false).Select(Path.GetFileName));
    }

    [Fact]
    public void A_hidden_folder_named_explicitly_is_still_read()
    {
        Touch(".staging/deployment.yaml");

        Assert.Single(FolderScan.YamlFiles(Path.Combine(_repo, ".staging"), recursive: true));
    }
}
