using System.Text;
using MediaStack.Core.Config;

namespace MediaStack.Core.Tests.Config;

// Touches process environment variables: not run in parallel with itself.
[Collection(nameof(EnvironmentVariables))]
public sealed class MediaStackConfigStoreTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("mediastack-config-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string Write(string json)
    {
        var file = Path.Combine(_folder, "config.json");
        File.WriteAllText(file, json);
        return file;
    }

    [Fact]
    public void MissingDefaultFileMeansDefaults()
    {
        using var _ = new EnvironmentVariables(("MEDIASTACK_CONFIG", Path.Combine(_folder, "absent.json")));

        Assert.Equal(MediaStackConfigStore.ToJson(MediaStackConfig.Default), MediaStackConfigStore.ToJson(MediaStackConfigStore.Load()));
    }

    [Fact]
    public void MissingExplicitFileIsAnError()
    {
        var error = Assert.Throws<MediaStack.Core.Errors.MediaStackException>(() => MediaStackConfigStore.Load(Path.Combine(_folder, "absent.json")));

        Assert.Equal("ConfigFileNotFound", error.ErrorId);
    }

    [Fact]
    public void PathComesFromTheEnvironmentVariableThenTheUserConfigFolder()
    {
        var explicitFile = Path.Combine(_folder, "elsewhere.json");
        using (new EnvironmentVariables(("MEDIASTACK_CONFIG", explicitFile)))
        {
            Assert.Equal(explicitFile, MediaStackConfigStore.DefaultPath);
        }
        if (!OperatingSystem.IsWindows())
        {
            using var _ = new EnvironmentVariables(("MEDIASTACK_CONFIG", null), ("XDG_CONFIG_HOME", _folder));
            Assert.Equal(Path.Combine(_folder, "MediaStack", "config.json"), MediaStackConfigStore.DefaultPath);
        }
    }

    [Fact]
    public void PartialFileOverridesOnlyTheFieldsItNames()
    {
        var file = Write("""
            {
              // comments are allowed
              "namespace": "media",
              "appResources": { "cpuLimit": "4" },
              "zoneServiceAccounts": { "zone5": "extras" },
            }
            """);

        var config = MediaStackConfigStore.Load(file);

        Assert.Equal("media", config.Namespace);
        Assert.Equal(new ResourceSpec("500m", "512Mi", "4", "2Gi"), config.AppResources);
        Assert.Equal("extras", config.ServiceAccountFor("zone5"));
        Assert.Equal("managers", config.ServiceAccountFor("zone2"));
        Assert.Equal(MediaStackConfig.Default.Mounts, config.Mounts);
        Assert.Equal("/mnt/media", config.MountRoot);
    }

    [Fact]
    public void AThirdMountInTheFileIsKept()
    {
        var file = Write("""
            { "mounts": [
              { "name": "zurg", "remote": "zurg:", "mountPath": "/mnt/media/zurg", "probePath": "__all__", "secret": "rclone-zurg-config", "secretVolume": "rclone-zurg-config", "rcPort": 5572, "okAbove": 1000, "warnAbove": 100 },
              { "name": "pcloud", "remote": "pcloud:media", "mountPath": "/mnt/media/pcloud", "probePath": "", "secret": "rclone-pcloud", "secretVolume": "rclone-pcloud", "rcPort": 5574, "okAbove": 5, "warnAbove": 0 }
            ] }
            """);

        var config = MediaStackConfigStore.Load(file);

        Assert.Equal(["zurg", "pcloud"], config.Mounts.Select(mount => mount.Name));
        Assert.Equal(5574, config.Mounts[1].RcPort);
    }

    [Theory]
    [InlineData("{ \"namespace\": ", "line")]
    [InlineData("[1, 2]", "(file)")]
    [InlineData("{ \"mounts\": [ { \"name\": \"zurg\", \"rcPort\": \"high\" } ] }", "mounts[0].rcPort")]
    [InlineData("{ \"nameSpace\": \"x\", \"colour\": \"blue\" }", "colour")]
    [InlineData("{ \"mounts\": [ { \"name\": \"zurg\", \"remote\": \"zurg:\", \"mountPath\": \"/mnt/media/zurg\", \"probePath\": \"\", \"secret\": \"s\", \"secretVolume\": \"s\", \"rcPort\": 70000, \"okAbove\": 1, \"warnAbove\": 0 } ] }", "Mounts[0].RcPort")]
    [InlineData("{ \"defaultZone\": \"zone7\" }", "DefaultZone")]
    [InlineData("{ \"appResources\": { \"cpuRequest\": \"3\" } }", "AppResources.CpuRequest")]
    [InlineData("{ \"mounts\": null }", "Mounts")]
    [InlineData("{ \"preferredNodes\": null, \"mountRoot\": null }", "PreferredNodes")]
    [InlineData("{ \"appResources\": null }", "AppResources")]
    [InlineData("{ \"mounts\": [ null ] }", "Mounts[0]")]
    public void UnusableFileIsConfigFileInvalidNamingTheField(string json, string field)
    {
        var file = Write(json);

        var error = Assert.Throws<ConfigException>(() => MediaStackConfigStore.Load(file));

        Assert.Equal("ConfigFileInvalid", error.ErrorId);
        Assert.Equal(file, error.Target);
        Assert.Contains(error.Problems, problem => problem.Field.StartsWith(field, StringComparison.Ordinal));
        Assert.Contains(field, error.Message);
    }

    [Fact]
    public void LoadOrDefaultKeepsTheDefaultsAndReportsTheProblem()
    {
        var file = Write("{ \"namespace\": \"Not A Label\" }");

        var config = MediaStackConfigStore.LoadOrDefault(file, out var problem);

        Assert.Equal("media-stack", config.Namespace);
        Assert.Equal("ConfigFileInvalid", problem?.ErrorId);
    }

    [Fact]
    public void SaveThenLoadRoundTripsAndLeavesNoTemporaryFile()
    {
        var file = Path.Combine(_folder, "nested", "config.json");
        var config = MediaStackConfig.Default with
        {
            Namespace = "media",
            ClusterDomain = "example.com",
            TimeZone = "Europe/Paris",
            Mounts = [MediaStackConfig.Default.Mounts[1]],
        };

        Assert.Equal(file, MediaStackConfigStore.Save(config, file));
        var loaded = MediaStackConfigStore.Load(file);

        Assert.Equal(MediaStackConfigStore.ToJson(config), MediaStackConfigStore.ToJson(loaded));
        Assert.Equal(["config.json"], Directory.GetFiles(Path.GetDirectoryName(file)!).Select(Path.GetFileName));
        Assert.Contains("\"clusterDomain\": \"example.com\"", File.ReadAllText(file));
    }

    [Fact]
    public void SavingAnInvalidConfigChangesNothing()
    {
        var file = Write("{ \"namespace\": \"media\" }");

        var error = Assert.Throws<ConfigException>(() =>
            MediaStackConfigStore.Save(MediaStackConfig.Default with { Mounts = [MediaStackConfig.Default.Mounts[0] with { RcPort = -1 }] }, file));

        Assert.Equal("ConfigInvalid", error.ErrorId);
        Assert.Contains(error.Problems, problem => problem.Field == "Mounts[0].RcPort");
        Assert.Equal("{ \"namespace\": \"media\" }", File.ReadAllText(file));
    }

    [Fact]
    public void SavingOverACrlfFileKeepsOneKindOfLineEndingAndTheEncoding()
    {
        var file = Path.Combine(_folder, "config.json");
        File.WriteAllBytes(file, [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes("{\r\n  \"namespace\": \"media\"\r\n}\r\n")]);

        MediaStackConfigStore.Save(MediaStackConfigStore.Load(file) with { TimeZone = "Europe/Paris" }, file);

        var bytes = File.ReadAllBytes(file);
        Assert.Equal(Encoding.UTF8.GetPreamble(), bytes.Take(3));
        var text = Encoding.UTF8.GetString(bytes, 3, bytes.Length - 3);
        Assert.Equal(text.Count(c => c == '\n'), text.Split("\r\n").Length - 1);
        Assert.EndsWith("}\r\n", text);
        Assert.DoesNotContain("\r\n\r\n", text);
        Assert.Equal("Europe/Paris", MediaStackConfigStore.Load(file).TimeZone);
    }

    [Fact]
    public void ANewConfigFileHasLfLineEndingsOnly()
    {
        var file = Path.Combine(_folder, "new", "config.json");

        MediaStackConfigStore.Save(MediaStackConfig.Default, file);

        var text = File.ReadAllText(file);
        Assert.DoesNotContain('\r', text);
        Assert.EndsWith("}\n", text);
    }

    [Fact]
    public void AUtf16ConfigFromWindowsPowerShellLoads()
    {
        var file = Path.Combine(_folder, "config.json");
        File.WriteAllBytes(file, [.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes("{ // Zürich office\r\n  \"timeZone\": \"Europe/Zurich\" }\r\n")]);

        Assert.Equal("Europe/Zurich", MediaStackConfigStore.Load(file).TimeZone);
    }

    [Fact]
    public void ACp1252ConfigIsFileEncodingInvalidAndTheDefaultsStay()
    {
        var file = Path.Combine(_folder, "config.json");
        File.WriteAllBytes(file, Encoding.Latin1.GetBytes("{ // Zürich office\n  \"timeZone\": \"Europe/Zurich\" }"));

        var config = MediaStackConfigStore.LoadOrDefault(file, out var problem);

        Assert.Equal("FileEncodingInvalid", problem?.ErrorId);
        Assert.Equal(MediaStackConfig.Default.TimeZone, config.TimeZone);
    }

    [Fact]
    public void AFolderGivenAsTheConfigPathSaysItIsAFolder()
    {
        var error = Assert.Throws<MediaStack.Core.Errors.MediaStackException>(() => MediaStackConfigStore.Load(_folder));

        Assert.Equal("ConfigFileNotFound", error.ErrorId);
        Assert.Contains("is a folder", error.Message);
        Assert.Contains("is a folder", Assert.Throws<MediaStack.Core.Errors.MediaStackException>(() => MediaStackConfigStore.Save(MediaStackConfig.Default, _folder)).Message);
    }

    [Fact]
    public void SavingWhereNoFolderCanBeMadeIsPathNotWritable()
    {
        var blocker = Write("{}");

        var error = Assert.Throws<MediaStack.Core.Errors.MediaStackException>(() =>
            MediaStackConfigStore.Save(MediaStackConfig.Default, Path.Combine(blocker, "config.json")));

        Assert.Equal("PathNotWritable", error.ErrorId);
    }
}

// Sets environment variables for one test and puts the old values back.
[CollectionDefinition(nameof(EnvironmentVariables), DisableParallelization = true)]
public sealed class EnvironmentVariables : IDisposable
{
    private readonly List<(string Name, string? Old)> _saved = [];

    public EnvironmentVariables(params (string Name, string? Value)[] variables)
    {
        foreach (var (name, value) in variables)
        {
            _saved.Add((name, Environment.GetEnvironmentVariable(name)));
            Environment.SetEnvironmentVariable(name, value);
        }
    }

    public void Dispose()
    {
        foreach (var (name, old) in _saved)
        {
            Environment.SetEnvironmentVariable(name, old);
        }
    }
}
