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

    private static readonly ProbeTimeouts Deep = ProbeTimeouts.For(20, deep: true);

    private static PodMountReport GradeDeep(string stdout, bool timedOut = false) =>
        MountGrader.Grade(Plex(), SeedMounts, new ExecResult(timedOut ? null : 0, stdout, "", timedOut), null, Deep, 100000, 50);

    private static string Read(int index, string rc, string? error = null) =>
        $"m\t{index}\tread_rc\t{rc}\nm\t{index}\tread_file\t/mnt/media/zurg/__all__/A/a.mkv\nm\t{index}\tread_bytes\t{(rc == "0" ? 4096 : 0)}" +
        (error is null ? "" : $"\nm\t{index}\tread_err\t{error}") + $"\nm\t{index}\tread_ms\t120";

    [Fact]
    public void A_good_deep_read_keeps_the_count_status_and_names_the_file()
    {
        var report = GradeDeep(Lines(Healthy(0, 25000), Read(0, "0"), Healthy(1, 50), Read(1, "0")));

        Assert.Equal(MountHealth.OK, report["zurg"]!.Status);
        Assert.Equal(4096, report["zurg"]!.ReadBytes);
        Assert.Equal(120, report["zurg"]!.ReadLatencyMs);
        Assert.Contains("read 4096 bytes of /mnt/media/zurg/__all__/A/a.mkv", report["zurg"]!.Reason);
        Assert.True(report.IsHealthy);
    }

    [Fact]
    public void A_backend_that_hangs_or_is_down_behind_a_warm_cache_is_timeout_or_fail()
    {
        var report = GradeDeep(Lines(Healthy(0, 25000), Read(0, "137"), Healthy(1, 50), Read(1, "1", "head: /mnt/media/torbox/torrents/A/a.mkv: Input/output error")));

        Assert.Equal(MountHealth.TIMEOUT, report["zurg"]!.Status);
        Assert.Equal(25000, report["zurg"]!.Entries);
        Assert.Contains("did not finish within 5 s: the backend hangs", report["zurg"]!.Reason);
        Assert.Equal(MountHealth.FAIL, report["torbox"]!.Status);
        Assert.Contains("Input/output error", report["torbox"]!.Reason);
        Assert.Contains("directory cache", report["torbox"]!.Reason);
        Assert.False(report.IsHealthy);
    }

    [Fact]
    public void A_deep_read_cut_off_with_the_exec_is_timeout_and_a_missing_one_fails()
    {
        var cut = GradeDeep("probe\t1\ttimeout\tbackground\n" + Healthy(0, 25000) + "\n" + Healthy(1, 50) + "\n" + Read(1, "0") + "\n", timedOut: true);
        Assert.Equal(MountHealth.TIMEOUT, cut["zurg"]!.Status);
        Assert.Equal(MountHealth.OK, cut["torbox"]!.Status);

        var silent = GradeDeep(Lines(Healthy(0, 25000), Healthy(1, 50), "m\t1\tread_rc\tnone"));
        Assert.Equal(MountHealth.FAIL, silent["zurg"]!.Status);
        Assert.Equal(MountHealth.OK, silent["torbox"]!.Status);
        Assert.Contains("no file within 3 levels", silent["torbox"]!.Reason);
    }

    [Fact]
    public void A_count_that_already_fails_is_not_graded_again_by_the_read()
    {
        var report = GradeDeep(Lines(Healthy(0, 5), Read(0, "137"), Healthy(1, 50), Read(1, "0")));

        Assert.Equal(MountHealth.FAIL, report["zurg"]!.Status);
        Assert.Contains("5 entries", report["zurg"]!.Reason);
    }
}
