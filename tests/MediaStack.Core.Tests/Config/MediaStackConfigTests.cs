using MediaStack.Core.Config;
using MediaStack.Core.Manifests;

namespace MediaStack.Core.Tests.Config;

public class MediaStackConfigTests
{
    [Fact]
    public void DefaultsKeepTheSeedLayoutButNothingOfItsCluster()
    {
        var config = MediaStackConfig.Default;

        Assert.Equal("media-stack", config.Namespace);
        Assert.Equal("/mnt/media", config.MountRoot);
        Assert.Equal("media-storage", config.SharedVolume);
        Assert.Equal("media-library-pvc", config.SharedClaim);
        Assert.Equal("docker.io/rclone/rclone:1.68.2", config.RcloneImage);
        Assert.Equal("docker.io/library/alpine:3.20", config.InitImage);
        Assert.True(ImageReference.IsPinned(config.RcloneImage) && ImageReference.IsPinned(config.InitImage));
        Assert.Empty(config.PreferredNodes);
        Assert.Null(config.StackLabel);
        Assert.Equal("5Gi", config.VfsCacheMaxSize);
        Assert.Equal(100, config.PreferredNodeWeight);
        Assert.Equal("cloud-gateway", config.ServiceAccountFor("zone1"));
        Assert.Equal("managers", config.ServiceAccountFor("zone2"));
        Assert.Equal("plex", config.ServiceAccountFor("zone3"));
        Assert.Equal("discovery", config.ServiceAccountFor("zone4"));
        Assert.Equal("zone2", config.DefaultZone);
        Assert.Null(config.ClusterDomain);
        Assert.Equal(new ResourceSpec("100m", "256Mi", "500m", "1Gi"), config.SidecarResources);
        Assert.Equal(new ResourceSpec("10m", "16Mi", "100m", "64Mi"), config.InitResources);
        Assert.Equal(new ResourceSpec("50m", "128Mi", "500m", "512Mi"), config.LightAppResources);
        Assert.Equal(new ResourceSpec("500m", "512Mi", "2000m", "2Gi"), config.AppResources);
        Assert.Equal(new ResourceSpec("1000m", "2Gi", "4000m", "8Gi"), config.MediaServerResources);
        Assert.Equal(
            [
                new RcloneMount("zurg", "zurg:", "/mnt/media/zurg", "__all__", "rclone-zurg-config", "rclone-zurg-config", 5572, 1000, 100),
                new RcloneMount("torbox", "torbox:", "/mnt/media/torbox", "torrents", "rclone-config", "rclone-config", 5573, 10, 0),
            ],
            config.Mounts);
        Assert.Contains("--vfs-cache-mode=full", config.RcloneArgs);
        Assert.Empty(config.Validate());
    }

    [Fact]
    public void SeedPresetHasTheSeedsNodesAndStackLabel()
    {
        var seed = MediaStackPresets.Get(MediaStackPreset.Seed);

        Assert.Equal(["wow-ocp-node2", "wow-ocp-node3"], seed.PreferredNodes);
        Assert.Equal("hybrid-media", seed.StackLabel);
        Assert.Equal(MediaStackConfig.Default.RcloneImage, seed.RcloneImage);
        Assert.Empty(seed.Validate());
        Assert.Equal(MediaStackConfig.Default.Mounts, MediaStackPresets.Get(MediaStackPreset.Neutral).Mounts);
    }

    [Theory]
    [InlineData("--cache-dir=/tmp")]
    [InlineData("--vfs-cache-max-size=1G")]
    public void CacheFlagsComeFromTheirOwnFields(string flag)
    {
        var problems = (MediaStackConfig.Default with { RcloneArgs = ["--allow-other", flag] }).Validate();

        Assert.Equal("RcloneArgs[1]", Assert.Single(problems).Field);
    }

    [Theory]
    [InlineData("lots")]
    [InlineData("512Ki")]
    public void CacheSizeIsAQuantityOfAtLeastOneMebibyte(string size)
    {
        Assert.Equal("VfsCacheMaxSize", Assert.Single((MediaStackConfig.Default with { VfsCacheMaxSize = size }).Validate()).Field);
    }

    [Fact]
    public void DefaultTimeZoneIsAnIanaIdNotTheSeedsCity()
    {
        var zone = MediaStackConfig.Default.TimeZone;

        Assert.True(MediaStackConfig.IsTimeZoneName(zone), zone);
    }

    [Theory]
    [InlineData(1001, "OK")]
    [InlineData(1000, "WARN")]
    [InlineData(101, "WARN")]
    [InlineData(100, "FAIL")]
    [InlineData(0, "FAIL")]
    public void ZurgGradingFollowsItsThresholds(long entries, string grade)
    {
        Assert.Equal(grade, MediaStackConfig.Default.Mounts[0].Grade(entries).ToString());
    }

    [Theory]
    [InlineData(11, "OK")]
    [InlineData(10, "WARN")]
    [InlineData(1, "WARN")]
    [InlineData(0, "FAIL")]
    public void TorboxGradingFollowsItsThresholds(long entries, string grade)
    {
        Assert.Equal(grade, MediaStackConfig.Default.Mounts[1].Grade(entries).ToString());
    }

    [Fact]
    public void MountNamesTheContainerAndTheProbeDirectory()
    {
        var zurg = MediaStackConfig.Default.Mounts[0];

        Assert.Equal("rclone-zurg", zurg.ContainerName);
        Assert.Equal("/mnt/media/zurg/__all__", zurg.ProbeFullPath);
        Assert.Equal("/mnt/media/zurg", (zurg with { ProbePath = "" }).ProbeFullPath);
    }

    [Fact]
    public void ValidateReportsEveryProblemWithItsFieldPath()
    {
        var defaults = MediaStackConfig.Default;
        var config = defaults with
        {
            Namespace = "Media_Stack",
            DefaultZone = "zone9",
            AppResources = defaults.AppResources with { CpuRequest = "3", MemoryLimit = "lots" },
            Mounts =
            [
                defaults.Mounts[0],
                defaults.Mounts[1] with { RcPort = 0, MountPath = "/elsewhere/torbox" },
                defaults.Mounts[0] with { Name = "zurg", ProbePath = "../escape" },
            ],
        };

        var fields = config.Validate().Select(problem => problem.Field).ToList();

        Assert.Contains("Namespace", fields);
        Assert.Contains("DefaultZone", fields);
        Assert.Contains("AppResources.CpuRequest", fields);
        Assert.Contains("AppResources.MemoryLimit", fields);
        Assert.Contains("Mounts[1].RcPort", fields);
        Assert.Contains("Mounts[1].MountPath", fields);
        Assert.Contains("Mounts[2].Name", fields);
        Assert.Contains("Mounts[2].ProbePath", fields);
        Assert.Contains("Mounts[2].RcPort", fields);
        Assert.DoesNotContain(fields, field => field.StartsWith("Mounts[0]", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("/mnt/media")]
    [InlineData("/mnt/media/../etc")]
    [InlineData("relative/zurg")]
    [InlineData("/mnt/media/with space")]
    public void MountPathMustBeASafeSubdirectoryOfTheRoot(string mountPath)
    {
        var config = MediaStackConfig.Default with { Mounts = [MediaStackConfig.Default.Mounts[0] with { MountPath = mountPath }] };

        Assert.Contains(config.Validate(), problem => problem.Field == "Mounts[0].MountPath");
    }

    [Fact]
    public void TwoMountsMayShareASecretVolumeOnlyForTheSameSecret()
    {
        var defaults = MediaStackConfig.Default;
        var same = defaults with { Mounts = [defaults.Mounts[0], defaults.Mounts[1] with { Secret = "rclone-zurg-config", SecretVolume = "rclone-zurg-config" }] };
        var clash = defaults with { Mounts = [defaults.Mounts[0], defaults.Mounts[1] with { SecretVolume = "rclone-zurg-config" }] };

        Assert.Empty(same.Validate());
        Assert.Contains(clash.Validate(), problem => problem.Field == "Mounts[1].SecretVolume");
    }

    [Fact]
    public void RcAddrIsNotASharedArgument()
    {
        var config = MediaStackConfig.Default with { RcloneArgs = ["--allow-other", "--rc-addr=:5572"] };

        Assert.Contains(config.Validate(), problem => problem.Field == "RcloneArgs[1]");
    }
}
