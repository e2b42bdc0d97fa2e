using MediaStack.Core.Errors;
using MediaStack.Core.Manifests;
using MediaStack.Core.Yaml;

namespace MediaStack.Core.Tests.Manifests;

public sealed class MediaAppExporterTests : IDisposable
{
    private readonly string _repo = Directory.CreateTempSubdirectory("mediastack-repo-").FullName;
    private readonly MediaApp _app = Generated.Prowlarr().App;

    public void Dispose() => Directory.Delete(_repo, recursive: true);

    private string BaseFolder => Path.Combine(_repo, "apps", "prowlarr", "base");

    private string[] AllEntries() =>
        Directory.GetFileSystemEntries(_repo, "*", SearchOption.AllDirectories)
            .Select(entry => Path.GetRelativePath(_repo, entry).Replace('\\', '/'))
            .Order(StringComparer.Ordinal)
            .ToArray();

    [Fact]
    public void WritesTheBaseFolderWithOneFilePerObject()
    {
        var written = MediaAppExporter.Write(MediaAppExporter.Plan(_app, _repo), force: false).Files;

        Assert.Equal(
            ["apps", "apps/prowlarr", "apps/prowlarr/base", "apps/prowlarr/base/README.md", "apps/prowlarr/base/deployment.yaml",
             "apps/prowlarr/base/kustomization.yaml", "apps/prowlarr/base/route.yaml", "apps/prowlarr/base/service.yaml"],
            AllEntries());
        Assert.Equal(5, written.Count);
        Assert.All(written, path => Assert.True(File.Exists(path), path));
        Assert.Equal("Deployment", (string?)YamlReader.ReadFile(Path.Combine(BaseFolder, "deployment.yaml")).Single()["kind"]);
        Assert.Equal("Service", (string?)YamlReader.ReadFile(Path.Combine(BaseFolder, "service.yaml")).Single()["kind"]);
        Assert.Equal("Route", (string?)YamlReader.ReadFile(Path.Combine(BaseFolder, "route.yaml")).Single()["kind"]);
        var kustomization = YamlReader.ReadFile(Path.Combine(BaseFolder, "kustomization.yaml")).Single();
        Assert.All(Generated.Strings(kustomization["resources"]), file => Assert.True(File.Exists(Path.Combine(BaseFolder, file!)), file));
        Assert.StartsWith("# ", File.ReadAllText(Path.Combine(BaseFolder, "kustomization.yaml")));
        Assert.Equal(_app.Readme, File.ReadAllText(Path.Combine(BaseFolder, "README.md")));
    }

    [Fact]
    public void PlanListsTheFilesAndWritesNothing()
    {
        var plan = MediaAppExporter.Plan(_app, _repo, _app.BuildArgoApplication("https://github.com/org/gitops.git"));

        Assert.Equal(
            ["apps/prowlarr/base/deployment.yaml", "apps/prowlarr/base/service.yaml", "apps/prowlarr/base/route.yaml",
             "apps/prowlarr/base/kustomization.yaml", "apps/prowlarr/base/README.md", "argocd-apps/prowlarr.yaml"],
            plan.Files.Select(file => file.RelativePath));
        Assert.Empty(AllEntries());
    }

    [Fact]
    public void WritesTheArgoApplicationNextToTheApps()
    {
        var written = MediaAppExporter.Write(MediaAppExporter.Plan(_app, _repo, _app.BuildArgoApplication("https://github.com/org/gitops.git")), force: false).Files;

        var file = Path.Combine(_repo, "argocd-apps", "prowlarr.yaml");
        Assert.Contains(file, written);
        var application = YamlReader.ReadFile(file).Single();
        Assert.Equal("apps/prowlarr/base", (string?)application["spec"]!["source"]!["path"]);
        Assert.Equal(["prowlarr.yaml"], Directory.GetFiles(Path.GetDirectoryName(file)!).Select(Path.GetFileName));
    }

    [Fact]
    public void AnExistingAppFolderIsRefusedAndLeftAlone()
    {
        var existing = Path.Combine(BaseFolder, "deployment.yaml");
        Directory.CreateDirectory(BaseFolder);
        File.WriteAllText(existing, "kind: Handmade\n");
        var before = AllEntries();

        var error = Assert.Throws<MediaStackException>(() => MediaAppExporter.Write(MediaAppExporter.Plan(_app, _repo), force: false));

        Assert.Equal("AppFolderExists", error.ErrorId);
        Assert.Equal(ErrorCategory.ResourceExists, error.Category);
        Assert.Equal(before, AllEntries());
        Assert.Equal("kind: Handmade\n", File.ReadAllText(existing));
    }

    [Fact]
    public void ForceReplacesTheBaseFolderAndKeepsOverlays()
    {
        var overlay = Path.Combine(_repo, "apps", "prowlarr", "overlays", "prod", "kustomization.yaml");
        Directory.CreateDirectory(Path.GetDirectoryName(overlay)!);
        File.WriteAllText(overlay, "resources:\n- ../../base\n");
        Directory.CreateDirectory(BaseFolder);
        File.WriteAllText(Path.Combine(BaseFolder, "stale.yaml"), "kind: Stale\n");

        MediaAppExporter.Write(MediaAppExporter.Plan(_app, _repo), force: true);

        Assert.False(File.Exists(Path.Combine(BaseFolder, "stale.yaml")));
        Assert.True(File.Exists(Path.Combine(BaseFolder, "deployment.yaml")));
        Assert.Equal("resources:\n- ../../base\n", File.ReadAllText(overlay));
        Assert.Equal(["base", "overlays"], Directory.GetFileSystemEntries(Path.Combine(_repo, "apps", "prowlarr")).Select(Path.GetFileName).Order());
        Assert.Equal(["prowlarr"], Directory.GetFileSystemEntries(Path.Combine(_repo, "apps")).Select(Path.GetFileName));
    }

    [Fact]
    public void LeftoversOfAnInterruptedExportAreRemovedAndNeverReadAsApps()
    {
        // What a forced export on Windows could leave when a file in the old base/ was held open.
        var app = Path.Combine(_repo, "apps", "prowlarr");
        var old = Path.Combine(app, ".base.0123.old");
        var staging = Path.Combine(_repo, "apps", ".prowlarr.4567.staging");
        var argoOld = Path.Combine(_repo, "argocd-apps", ".prowlarr.yaml.89ab.old");
        foreach (var folder in new[] { old, staging })
        {
            Directory.CreateDirectory(folder);
            File.WriteAllText(Path.Combine(folder, "deployment.yaml"), YamlWriter.Write(_app.Deployment));
        }
        Directory.CreateDirectory(Path.GetDirectoryName(argoOld)!);
        File.WriteAllText(argoOld, "kind: Application\n");
        MediaAppExporter.Write(MediaAppExporter.Plan(_app, _repo), force: true);
        // Not scanned: only the real base/ is an app.
        Assert.Equal([Path.Combine(BaseFolder, "deployment.yaml")], MediaStack.Core.Files.FolderScan.YamlFiles(_repo, recursive: true).Where(file => file.EndsWith("deployment.yaml")));

        // Old enough to be a leftover rather than an export in progress.
        foreach (var entry in new[] { old, staging, argoOld })
        {
            Directory.SetLastWriteTimeUtc(entry, DateTime.UtcNow.AddHours(-1));
        }
        var result = MediaAppExporter.Write(MediaAppExporter.Plan(_app, _repo), force: true);

        Assert.Empty(result.Leftovers);
        Assert.False(Directory.Exists(old));
        Assert.False(Directory.Exists(staging));
        Assert.False(File.Exists(argoOld));
        Assert.Equal(["apps", "apps/prowlarr", "apps/prowlarr/base"], AllEntries().Where(entry => !entry.StartsWith("apps/prowlarr/base/", StringComparison.Ordinal) && entry != "argocd-apps"));
    }

    [Fact]
    public void AForcedExportLeavesNoStagingOrBackupBehind()
    {
        MediaAppExporter.Write(MediaAppExporter.Plan(_app, _repo, _app.BuildArgoApplication("https://github.com/org/gitops.git")), force: false);

        var result = MediaAppExporter.Write(MediaAppExporter.Plan(_app, _repo, _app.BuildArgoApplication("https://github.com/org/gitops.git")), force: true);

        Assert.Empty(result.Leftovers);
        Assert.DoesNotContain(AllEntries(), entry => entry.Split('/').Any(part => part.StartsWith('.')));
    }

    [Fact]
    public void AnExistingArgoApplicationIsRefusedBeforeAnythingIsWritten()
    {
        var file = Path.Combine(_repo, "argocd-apps", "prowlarr.yaml");
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        File.WriteAllText(file, "kind: Application\n");

        var error = Assert.Throws<MediaStackException>(() =>
            MediaAppExporter.Write(MediaAppExporter.Plan(_app, _repo, _app.BuildArgoApplication("https://github.com/org/gitops.git")), force: false));

        Assert.Equal("ArgoApplicationExists", error.ErrorId);
        Assert.Equal(["argocd-apps", "argocd-apps/prowlarr.yaml"], AllEntries());
        Assert.Equal("kind: Application\n", File.ReadAllText(file));
    }

    [Fact]
    public void ARepositoryPathThatIsAFileIsPathNotWritable()
    {
        var file = Path.Combine(_repo, "not-a-folder");
        File.WriteAllText(file, "x");

        var error = Assert.Throws<MediaStackException>(() => MediaAppExporter.Write(MediaAppExporter.Plan(_app, file), force: false));

        Assert.Equal("PathNotWritable", error.ErrorId);
        Assert.Equal(ErrorCategory.WriteError, error.Category);
        Assert.Equal(["not-a-folder"], AllEntries());
    }

    [Fact]
    public void AFailureHalfWayLeavesNothingBehind()
    {
        // argocd-apps is a file, so the Application cannot be written after the base folder was staged.
        File.WriteAllText(Path.Combine(_repo, "argocd-apps"), "in the way");

        var error = Assert.Throws<MediaStackException>(() =>
            MediaAppExporter.Write(MediaAppExporter.Plan(_app, _repo, _app.BuildArgoApplication("https://github.com/org/gitops.git")), force: false));

        Assert.Equal("PathNotWritable", error.ErrorId);
        Assert.Equal(["argocd-apps"], AllEntries());
    }

    [Fact]
    public void AFailedForcedExportPutsTheOldFilesBack()
    {
        Directory.CreateDirectory(BaseFolder);
        File.WriteAllText(Path.Combine(BaseFolder, "deployment.yaml"), "kind: Old\n");
        File.WriteAllText(Path.Combine(_repo, "argocd-apps"), "in the way");
        var before = AllEntries();

        Assert.Throws<MediaStackException>(() =>
            MediaAppExporter.Write(MediaAppExporter.Plan(_app, _repo, _app.BuildArgoApplication("https://github.com/org/gitops.git")), force: true));

        Assert.Equal(before, AllEntries());
        Assert.Equal("kind: Old\n", File.ReadAllText(Path.Combine(BaseFolder, "deployment.yaml")));
    }

    [Fact]
    public void AnAppHoldingOnlyItsDeploymentCannotBeExported()
    {
        var partial = new MediaApp { Name = "sonarr", Namespace = "media-stack", Deployment = _app.Deployment, Source = "Cluster" };

        Assert.Equal("ExportFailed", Assert.Throws<MediaStackException>(() => MediaAppExporter.Plan(partial, _repo)).ErrorId);
    }
}
