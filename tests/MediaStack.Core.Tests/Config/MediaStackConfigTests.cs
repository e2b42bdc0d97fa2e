using MediaStack.Core.Config;

namespace MediaStack.Core.Tests.Config;

public class MediaStackConfigTests
{
    [Fact]
    public void DefaultsReproduceTheSeedConventions()
    {
        var config = MediaStackConfig.Default;

        Assert.Equal("media-stack", config.Namespace);
        Assert.Equal("/mnt/media", config.MountRoot);
        Assert.Equal("media-storage", config.SharedVolume);
        Assert.Equal("media-library-pvc", config.SharedClaim);
        Assert.Equal("docker.io/rclone/rclone:latest", config.RcloneImage);
        Assert.Equal("docker.io/alpine:latest", config.InitImage);
        Assert.Equal(["wow-ocp-node2", "wow-ocp-node3"], config.PreferredNodes);
        Assert.Equal(100, config.PreferredNodeWeight);
        Assert.Equal("cloud-gateway", config.ServiceAccountFor("zone1"));
        Assert.Equal("managers", config.ServiceAccountFor("zone2"));
        Assert.Equal("plex", config.ServiceAccountFor("zone3"));
        Assert.Equal("discovery", config.ServiceAccountFor("zone4"));
        Assert.Equal("zone2", config.DefaultZone);
        Assert.Null(config.ClusterDomain);
        Assert.Equal(new ResourceSpec("100m", "256Mi", "500m", "1Gi"), config.SidecarResources);
        Assert.Equal(new ResourceSpec("10m", "16Mi", "100m", "64Mi"), config.InitResources);
        Assert.Equal(new ResourceSpec("500m", "512Mi", "2000m", "2Gi"), config.AppResources);
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
