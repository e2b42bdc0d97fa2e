using MediaStack.Core.Cluster;
using MediaStack.Core.Pods;
using MediaStack.Core.Probes;
using MediaStack.Core.Tests.Pods;

namespace MediaStack.Core.Tests.Probes;

public class MountGraderTests
{
    internal static readonly MountProbeTarget[] SeedMounts =
    [
        new("zurg", "/mnt/media/zurg", "__all__", 1000, 100),
        new("torbox", "/mnt/media/torbox", "torrents", 10, 0),
    ];

    private static readonly ProbeTimeouts Timeouts = ProbeTimeouts.For(10);

    internal static MediaPod Plex(string phase = "Running", bool sidecars = true) => MediaPodFactory.FromJson(PodJson.Pod(
        "plex-1", sidecars ? ["rclone-zurg", "rclone-torbox", "plex"] : ["plex"], appLabel: "plex", phase: phase,
        args: new() { ["rclone-zurg"] = PodJson.ZurgArgs, ["rclone-torbox"] = PodJson.TorboxArgs }));

    private static string Lines(params string[] facts) =>
        "probe\t1\ttimeout\tnew\n" + string.Join("\n", facts) + "\nend\n";

    private static string Healthy(int index, long count, string fs = "fuse.rclone") =>
        $"m\t{index}\tfstype\t{fs}\nm\t{index}\tsource\tzurg:\nm\t{index}\tstat_rc\t0\nm\t{index}\tstat_err\t\nm\t{index}\tlist_rc\t0\nm\t{index}\tcount\t{count}\nm\t{index}\tms\t40";

    private static PodMountReport Grade(string stdout, MediaPod? pod = null, int maxEntries = 100000) =>
        MountGrader.Grade(pod ?? Plex(), SeedMounts, new ExecResult(0, stdout, "", false), null, Timeouts, maxEntries, 50);

    [Fact]
    public void Counts_are_graded_with_each_mounts_thresholds()
    {
        var report = Grade(Lines(Healthy(0, 25000), Healthy(1, 5)));

        Assert.Equal(MountHealth.OK, report["zurg"]!.Status);
        Assert.Equal(25000, report["zurg"]!.Entries);
        Assert.Equal("OK (25000)", report["zurg"]!.Summary);
        Assert.Equal("fuse.rclone", report["zurg"]!.FsType);
        Assert.Equal(40, report["zurg"]!.LatencyMs);
        Assert.Equal("plex", report["zurg"]!.Container);
        Assert.Equal(MountHealth.WARN, report["torbox"]!.Status);
        Assert.Equal(MountHealth.WARN, report.Status);
        Assert.False(report.IsHealthy);
    }

    [Theory]
    [InlineData(1001, MountHealth.OK)]
    [InlineData(1000, MountHealth.WARN)]
    [InlineData(101, MountHealth.WARN)]
    [InlineData(100, MountHealth.FAIL)]
    [InlineData(0, MountHealth.FAIL)]
    public void Seed_thresholds_for_zurg(long count, MountHealth expected)
    {
        Assert.Equal(expected, Grade(Lines(Healthy(0, count), Healthy(1, 50)))["zurg"]!.Status);
    }

    [Fact]
    public void A_capped_count_is_shown_with_a_plus()
    {
        var status = Grade(Lines(Healthy(0, 2001), Healthy(1, 50)), maxEntries: 2000)["zurg"]!;

        Assert.Equal(MountHealth.OK, status.Status);
        Assert.True(status.EntriesCapped);
        Assert.Equal("OK (2000+)", status.Summary);
    }

    [Fact]
    public void Enotconn_is_stale_not_fail()
    {
        var stale = "m\t0\tfstype\tfuse.rclone\nm\t0\tstat_rc\t1\nm\t0\tstat_err\tstat: can't stat '/mnt/media/zurg': Transport endpoint is not connected\nm\t0\tms\t0";
        var status = Grade(Lines(stale, Healthy(1, 50)))["zurg"]!;

        Assert.Equal(MountHealth.STALE, status.Status);
        Assert.Contains("Transport endpoint is not connected", status.Reason);
    }

    [Fact]
    public void A_killed_stat_or_listing_is_timeout()
    {
        var hungStat = "m\t0\tfstype\tfuse.rclone\nm\t0\tstat_rc\t137\nm\t0\tstat_err\tKilled";
        var hungList = "m\t1\tfstype\tfuse.rclone\nm\t1\tstat_rc\t0\nm\t1\tlist_rc\t137\nm\t1\tcount\t0";
        var report = Grade(Lines(hungStat, hungList));

        Assert.Equal(MountHealth.TIMEOUT, report["zurg"]!.Status);
        Assert.Contains("did not return within 2 s", report["zurg"]!.Reason);
        Assert.Equal(MountHealth.TIMEOUT, report["torbox"]!.Status);
        Assert.Equal(MountHealth.TIMEOUT, report.Status);
    }

    [Fact]
    public void A_directory_without_a_fuse_mount_is_notmounted_and_says_why()
    {
        static string Plain(int index) => $"m\t{index}\tfstype\t-\nm\t{index}\tstat_rc\t0\nm\t{index}\tlist_rc\t2\nm\t{index}\tlist_err\tls: cannot access 'x': No such file or directory\nm\t{index}\tcount\t0\nm\t{index}\tms\t10";
        // In this pod rclone-zurg is not ready and rclone-torbox is.
        var report = Grade(Lines(Plain(0), Plain(1)));

        Assert.Equal(MountHealth.NOTMOUNTED, report["zurg"]!.Status);
        Assert.Contains("sidecar rclone-zurg is not ready", report["zurg"]!.Reason);
        Assert.Equal(MountHealth.NOTMOUNTED, report["torbox"]!.Status);
        Assert.Contains("HostToContainer missing on the app container", report["torbox"]!.Reason);
    }

    [Fact]
    public void A_missing_mount_directory_fails_with_the_reason()
    {
        var missing = "m\t0\tfstype\t-\nm\t0\tstat_rc\t1\nm\t0\tstat_err\tstat: cannot statx '/mnt/media/zurg': No such file or directory";
        var status = Grade(Lines(missing, Healthy(1, 50)))["zurg"]!;

        Assert.Equal(MountHealth.FAIL, status.Status);
        Assert.Contains("does not exist", status.Reason);
    }

    [Fact]
    public void A_failing_listing_on_a_fuse_mount_fails()
    {
        var broken = "m\t0\tfstype\tfuse.rclone\nm\t0\tstat_rc\t0\nm\t0\tlist_rc\t1\nm\t0\tlist_err\tls: /mnt/media/zurg/__all__: Input/output error\nm\t0\tcount\t0";
        var status = Grade(Lines(broken, Healthy(1, 50)))["zurg"]!;

        Assert.Equal(MountHealth.FAIL, status.Status);
        Assert.Contains("Input/output error", status.Reason);
    }

    [Fact]
    public void Pods_not_running_or_without_sidecars_are_skipped_without_an_exec()
    {
        Assert.False(MountGrader.NeedsExec(Plex(phase: "Pending"), SeedMounts));
        Assert.False(MountGrader.NeedsExec(Plex(sidecars: false), SeedMounts));
        Assert.True(MountGrader.NeedsExec(Plex(), SeedMounts));

        var report = MountGrader.Grade(Plex(sidecars: false), SeedMounts, null, null, Timeouts, 1000, 0);
        Assert.All(report.Mounts, mount => Assert.Equal(MountHealth.SKIP, mount.Status));
        Assert.Equal(MountHealth.SKIP, report.Status);
        Assert.True(report.IsHealthy);
        Assert.Contains("no rclone sidecar", report["zurg"]!.Reason);
    }

    [Fact]
    public void A_cancelled_exec_is_timeout_and_a_refused_one_fails()
    {
        var timedOut = MountGrader.Grade(Plex(), SeedMounts, new ExecResult(null, "", "", true), null, Timeouts, 1000, 11000);
        Assert.All(timedOut.Mounts, mount => Assert.Equal(MountHealth.TIMEOUT, mount.Status));

        var refused = MountGrader.Grade(Plex(), SeedMounts, null, "Permission denied (403)", Timeouts, 1000, 5);
        Assert.All(refused.Mounts, mount => Assert.Equal(MountHealth.FAIL, mount.Status));
        Assert.Contains("403", refused["zurg"]!.Reason);

        var noShell = MountGrader.Grade(Plex(), SeedMounts, new ExecResult(null, "", "", false, "exec: \"sh\": executable file not found"), null, Timeouts, 1000, 5);
        Assert.Contains("executable file not found", noShell["torbox"]!.Reason);
    }

    [Fact]
    public void A_cut_off_exec_keeps_the_mounts_it_finished()
    {
        var partial = "probe\t1\ttimeout\tbackground\n" + Healthy(1, 50) + "\nm\t0\tfstype\tfuse.rclone\nm\t0\tstat_rc\t0\n";
        var report = MountGrader.Grade(Plex(), SeedMounts, new ExecResult(null, partial, "", true), null, Timeouts, 1000, 11000);

        Assert.Equal(MountHealth.TIMEOUT, report["zurg"]!.Status);
        Assert.Equal(MountHealth.OK, report["torbox"]!.Status);
    }

    [Fact]
    public void Summary_lists_every_mount()
    {
        Assert.Equal("zurg=OK (25000) torbox=OK (50)", Grade(Lines(Healthy(0, 25000), Healthy(1, 50))).Summary);
    }
}
