using MediaStack.Sandbox.Node.Linux;

namespace MediaStack.Sandbox.Tests;

// The media-stack scenario on the real node runtime, observed through the runtime API.
[Collection("node runtime")]
public sealed class LinuxNodeRuntimeTests
{
    const string Ns = "media-stack";
    static readonly TimeSpan Up = TimeSpan.FromSeconds(45);

    [SkippableFact]
    public async Task Healthy_pod_sees_both_rclone_mounts_and_all_zurg_entries()
    {
        Skip.If(Availability.Reason is not null, Availability.Reason);
        await using var host = new NodeRuntimeTestHost();
        await host.LoadAsync(await File.ReadAllTextAsync(NodeRuntimeTestHost.ScenarioPath()), CancellationToken.None);
        await host.StartAsync("plex");
        await NodeRuntimeTestHost.WaitForAsync(() => host.ContainerStatus(Ns, "plex-x1", "plex")?["ready"]?.GetValue<bool>() == true, Up,
            () => host.Describe(Ns, "plex-x1"));
        var (code, output, error) = await host.ExecAsync(Ns, "plex-x1", "plex", "sh", "-c", "grep fuse.rclone /proc/self/mountinfo; ls -A /mnt/media/zurg/__all__ | wc -l");
        Assert.True(code == 0, error);
        var lines = output.Trim().Split('\n');
        Assert.True(lines.Length == 3, output + host.Describe(Ns, "plex-x1"));
        Assert.Contains(lines, l => l.Contains(" /mnt/media/zurg ") && l.Contains("fuse.rclone") && l.Contains("zurg:"));
        Assert.Contains(lines, l => l.Contains(" /mnt/media/torbox ") && l.Contains("fuse.rclone"));
        Assert.Equal("25000", lines[^1].Trim());
    }
}
