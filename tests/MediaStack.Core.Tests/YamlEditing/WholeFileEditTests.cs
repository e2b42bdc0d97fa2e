using MediaStack.Core.Config;
using MediaStack.Core.Sidecars;
using MediaStack.Core.Sidecars.Reconcile;
using MediaStack.Core.Yaml.Editing;

namespace MediaStack.Core.Tests.YamlEditing;

// Whole files before and after: a 4-space file with indented sequences, comments, flow
// collections and quoted strings, in LF and CRLF, through the file API (find, edit, write).
public class WholeFileEditTests : IDisposable
{
    private static readonly MediaStackConfig Config = MediaStackConfig.Default with { TimeZone = "Etc/UTC" };
    private readonly string _folder = Directory.CreateTempSubdirectory("mediastack-edit-").FullName;

    private string Place(string text, string name = "deployment.yaml")
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllText(path, text);
        return path;
    }

    private static FileEdit Run(string path, SidecarPlanOptions? options = null)
    {
        var target = Assert.Single(ManifestFiles.FindDeployments(path));
        var plan = SidecarPlanner.Plan(target.Deployment, Config, options);
        return ManifestFiles.Edit(target, plan.Operations);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void AddsSidecarsToTheDeploymentDocumentInTheFileOwnStyle(bool crlf)
    {
        var path = Place(crlf ? Fixtures.Crlf(Fixtures.Bazarr4Space) : Fixtures.Bazarr4Space);
        var edit = Run(_folder);
        ManifestFiles.Write(edit);
        Assert.Equal(crlf ? Fixtures.Crlf(Fixtures.Bazarr4SpaceAdded) : Fixtures.Bazarr4SpaceAdded, File.ReadAllText(path));
        Assert.False(Run(path).Changed);
    }

    [Fact]
    public void RemoveRestoresTheFileByteForByte()
    {
        var path = Place(Fixtures.Bazarr4Space);
        ManifestFiles.Write(Run(path));
        ManifestFiles.Write(Run(path, new SidecarPlanOptions { Remove = true }));
        Assert.Equal(Fixtures.Bazarr4Space, File.ReadAllText(path));
    }

    [Fact]
    public void NativeModeInTheFile()
    {
        var path = Place(Fixtures.Bazarr4Space);
        ManifestFiles.Write(Run(path, new SidecarPlanOptions { Mode = SidecarMode.Native }));
        Assert.Equal(Fixtures.Bazarr4SpaceNative, File.ReadAllText(path));
    }

    [Fact]
    public void AFolderIsSearchedForTheFileHoldingTheDeployment()
    {
        File.WriteAllText(Path.Combine(_folder, "kustomization.yaml"), "resources:\n- deployment.yaml\n");
        Place(Fixtures.Bazarr4Space);
        var found = Assert.Single(ManifestFiles.FindDeployments(_folder));
        Assert.Equal(Path.Combine(_folder, "deployment.yaml"), found.File);
        Assert.Equal(1, found.DocumentIndex);
    }

    [Fact]
    public void BadInputIsReportedAndNothingIsWritten()
    {
        var missing = Assert.Throws<MediaStack.Core.Errors.MediaStackException>(() => ManifestFiles.FindDeployments(Path.Combine(_folder, "nope")));
        Assert.Equal("ManifestPathNotFound", missing.ErrorId);

        var broken = Path.Combine(_folder, "broken.yaml");
        File.WriteAllText(broken, "kind: Deployment\nspec:\n  a: [1, 2\n  b: 3\n");
        var syntax = Assert.Throws<MediaStack.Core.Yaml.YamlSyntaxException>(() => ManifestFiles.FindDeployments(broken));
        Assert.True(syntax.Line >= 3);
        Assert.Contains("broken.yaml(", syntax.Message);

        var service = Path.Combine(_folder, "service.yaml");
        File.WriteAllText(service, "kind: Service\nmetadata: {name: x}\n");
        Assert.Equal("NoDeploymentInFile", Assert.Throws<MediaStack.Core.Errors.MediaStackException>(() => ManifestFiles.FindDeployments(service)).ErrorId);

        if (!OperatingSystem.IsWindows())
        {
            var path = Place(Fixtures.Bazarr4Space);
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
            var edit = Run(path);
            Assert.Equal("PathNotWritable", Assert.Throws<MediaStack.Core.Errors.MediaStackException>(() => ManifestFiles.Write(edit)).ErrorId);
            Assert.Equal(Fixtures.Bazarr4Space, File.ReadAllText(path));
            Assert.Single(Directory.GetFiles(_folder, "*deployment*"));
        }
    }

    public void Dispose()
    {
        Directory.Delete(_folder, recursive: true);
        GC.SuppressFinalize(this);
    }
}
