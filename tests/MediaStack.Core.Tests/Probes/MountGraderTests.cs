using MediaStack.Core.Cluster;
using MediaStack.Core.Config;
using MediaStack.Core.Pods;
using MediaStack.Core.Probes;
using MediaStack.Core.Tests.Pods;
using MediaStack.Core.Workloads;

namespace MediaStack.Core.Tests.Probes;

public class MountGraderTests
{
    internal static readonly MediaStackConfig Config = Workloads.Manifest.StackConfig;

    private static readonly ProbeTimeouts Timeouts = ProbeTimeouts.For(10);

    // An hour after the pods of PodJson were created: past any startup grace period.
    internal static readonly DateTime Now = PodJson.Created.AddHours(1);

    internal static MediaPod Plex(string phase = "Running", bool sidecars = true, Dictionary<string, string>? waiting = null, bool terminating = false, string? annotation = null) =>
        MediaPodFactory.FromJson(PodJson.Pod(
            "plex-1", sidecars ? ["rclone-zurg", "rclone-torbox", "plex"] : ["plex"], appLabel: "plex", phase: phase,
            args: PodJson.SeedArgs, waiting: waiting, terminating: terminating, annotation: annotation), Config, Now);

    private static string Lines(params string[] facts) =>
        "probe\t1\ttimeout\tnew\n" + string.Join("\n", facts) + "\nend\n";

    private static string Healthy(int index, long count, string fs = "fuse.rclone") =>
        $"m\t{index}\tfstype\t{fs}\nm\t{index}\tsource\tzurg:\nm\t{index}\tstat_rc\t0\nm\t{index}\tstat_err\t\nm\t{index}\tlist_rc\t0\nm\t{index}\tcount\t{count}\nm\t{index}\tms\t40";

    private static PodMountReport Grade(MediaPod pod, ExecResult? exec, string? failure = null, MountCheckOptions? options = null, DateTime? now = null) =>
        MountGrader.Grade(pod, MountGrader.Targets(pod, options?.Mounts), exec, failure, Timeouts, options ?? new MountCheckOptions(), 50, now ?? Now);

    private static PodMountReport Grade(string stdout, MediaPod? pod = null, int maxEntries = 100000) =>
        Grade(pod ?? Plex(), new ExecResult(0, stdout, "", false), options: new MountCheckOptions(MaxEntries: maxEntries));

    [Fact]
    public void Counts_are_graded_with_each_mounts_thresholds()
    {
        var report = Grade(Lines(Healthy(0, 25000), Healthy(1, 5)));

        var zurg = report["zurg"]!;
        Assert.Equal((MountHealth.OK, 25000L, "OK (25000)"), (zurg.Status, zurg.Entries, zurg.Summary));
        Assert.Equal(("fuse.rclone", 40, "plex", "rclone-zurg"), (zurg.FsType, zurg.LatencyMs, zurg.Container, zurg.ServedBy));
        Assert.Equal(("/mnt/media/zurg/__all__", "25000 entries (OK above 1000)"), (zurg.Path, zurg.Reason));
        Assert.Equal(("plex-1", "media-stack", "wow-ocp-node2"), (zurg.Name, zurg.Namespace, zurg.Node));
        var torbox = report["torbox"]!;
        Assert.Equal((MountHealth.WARN, "5 entries (OK needs more than 10, WARN above 0)"), (torbox.Status, torbox.Reason));
        Assert.Equal(MountHealth.WARN, report.Status);
        Assert.False(report.IsHealthy);
        Assert.Equal(50, report.DurationMs);
        Assert.Null(report.Note);
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
    public void An_empty_mount_fails_and_says_where_it_looked()
    {
        var status = Grade(Lines(Healthy(0, 100), Healthy(1, 50)))["zurg"]!;

        Assert.Equal("FAIL (100)", status.Summary);
        Assert.Equal("100 entries in /mnt/media/zurg/__all__ (needs more than 100): the remote looks empty or the backend is not answering", status.Reason);
    }

    [Fact]
    public void A_capped_count_is_shown_with_a_plus()
    {
        var status = Grade(Lines(Healthy(0, 2001), Healthy(1, 50)), maxEntries: 2000)["zurg"]!;

        Assert.Equal(MountHealth.OK, status.Status);
        Assert.True(status.EntriesCapped);
        Assert.Equal("OK (2000+)", status.Summary);
        Assert.Equal("more than 2000 entries (OK above 1000)", status.Reason);
    }

    [Fact]
    public void Enotconn_is_stale_not_fail()
    {
        var stale = "m\t0\tfstype\tfuse.rclone\nm\t0\tstat_rc\t1\nm\t0\tstat_err\tstat: can't stat '/mnt/media/zurg': Transport endpoint is not connected\nm\t0\tms\t0";
        var status = Grade(Lines(stale, Healthy(1, 50)))["zurg"]!;

        Assert.Equal(MountHealth.STALE, status.Status);
        Assert.Equal("/mnt/media/zurg: Transport endpoint is not connected (the rclone process died without unmounting)", status.Reason);
    }

    [Fact]
    public void A_killed_stat_or_listing_is_timeout()
    {
        var hungStat = "m\t0\tfstype\tfuse.rclone\nm\t0\tstat_rc\t137\nm\t0\tstat_err\tKilled";
        var hungList = "m\t1\tfstype\tfuse.rclone\nm\t1\tstat_rc\t0\nm\t1\tlist_rc\t124\nm\t1\tcount\t0";
        var report = Grade(Lines(hungStat, hungList));

        Assert.Equal(MountHealth.TIMEOUT, report["zurg"]!.Status);
        Assert.Equal($"stat /mnt/media/zurg did not return within {Timeouts.StatSeconds} s: the mount hangs", report["zurg"]!.Reason);
        Assert.Equal(MountHealth.TIMEOUT, report["torbox"]!.Status);
        Assert.Equal($"listing /mnt/media/torbox/torrents did not finish within {Timeouts.ListSeconds} s: the backend or the mount hangs", report["torbox"]!.Reason);
        Assert.Equal(MountHealth.TIMEOUT, report.Status);
    }

    [Fact]
    public void A_directory_without_a_fuse_mount_is_notmounted_and_says_why()
    {
        static string Plain(int index) => $"m\t{index}\tfstype\t-\nm\t{index}\tstat_rc\t0\nm\t{index}\tlist_rc\t2\nm\t{index}\tlist_err\tls: cannot access 'x': No such file or directory\nm\t{index}\tcount\t0\nm\t{index}\tms\t10";
        // In this pod rclone-zurg is running but not ready and rclone-torbox is ready.
        var report = Grade(Lines(Plain(0), Plain(1)));

        Assert.Equal(MountHealth.NOTMOUNTED, report["zurg"]!.Status);
        Assert.Equal("/mnt/media/zurg exists but the app container has no mount there, not the rclone FUSE mount: its sidecar rclone-zurg is not ready (Running, 0 restarts)", report["zurg"]!.Reason);
        Assert.Equal(MountHealth.NOTMOUNTED, report["torbox"]!.Status);
        Assert.Equal("/mnt/media/torbox exists but the app container has no mount there, not the rclone FUSE mount: its sidecar rclone-torbox is running, so the mount does not reach the app: mountPropagation HostToContainer missing on the app container", report["torbox"]!.Reason);
    }

    [Fact]
    public void Another_file_system_on_the_path_is_notmounted_too()
    {
        var status = Grade(Lines(Healthy(0, 5000, "nfs4"), Healthy(1, 50)))["zurg"]!;

        Assert.Equal(MountHealth.NOTMOUNTED, status.Status);
        Assert.StartsWith("/mnt/media/zurg exists but the app container has a nfs4 mount there", status.Reason);
    }

    [Fact]
    public void A_missing_mount_directory_fails_with_the_reason()
    {
        var missing = "m\t0\tfstype\t-\nm\t0\tstat_rc\t1\nm\t0\tstat_err\tstat: cannot statx '/mnt/media/zurg': No such file or directory";
        var status = Grade(Lines(missing, Healthy(1, 50)))["zurg"]!;

        Assert.Equal(MountHealth.FAIL, status.Status);
        Assert.Equal("/mnt/media/zurg does not exist in the app container (init-dirs missing, or the volume is not mounted there)", status.Reason);
    }

    [Fact]
    public void A_failing_listing_on_a_fuse_mount_fails()
    {
        var broken = "m\t0\tfstype\tfuse.rclone\nm\t0\tstat_rc\t0\nm\t0\tlist_rc\t1\nm\t0\tlist_err\tls: /mnt/media/zurg/__all__: Input/output error\nm\t0\tcount\t0";
        var missing = "m\t1\tfstype\tfuse.rclone\nm\t1\tsource\ttorbox:\nm\t1\tstat_rc\t0\nm\t1\tlist_rc\t1\nm\t1\tlist_err\tls: /mnt/media/torbox/torrents: No such file or directory\nm\t1\tcount\t0";
        var report = Grade(Lines(broken, missing));

        Assert.Equal((MountHealth.FAIL, "listing /mnt/media/zurg/__all__ failed: ls: /mnt/media/zurg/__all__: Input/output error"), (report["zurg"]!.Status, report["zurg"]!.Reason));
        Assert.Equal((MountHealth.FAIL, "/mnt/media/torbox/torrents is missing inside the mount (fuse.rclone from torbox:): the remote is empty or unreachable"), (report["torbox"]!.Status, report["torbox"]!.Reason));
    }

    // Changed on purpose: an app that mounts the media root without sidecars cannot see its
    // mounts; it is NOSIDECAR (a failure), no longer a SKIP that passes.
    [Fact]
    public void A_mount_seen_without_HostToContainer_is_only_a_copy_and_warns()
    {
        var json = PodJson.Pod("plex-1", ["rclone-zurg", "rclone-torbox", "plex"], appLabel: "plex", args: PodJson.SeedArgs);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(json, "\"mountPropagation\":\"HostToContainer\""));
        var pod = MediaPodFactory.FromJson(json.Replace(",\"mountPropagation\":\"HostToContainer\"", ""), Config, Now);

        var report = Grade(Lines(Healthy(0, 25000), Healthy(1, 50)), pod);

        var zurg = report["zurg"]!;
        Assert.Equal((MountHealth.WARN, 25000L), (zurg.Status, zurg.Entries));
        Assert.Equal("25000 entries (OK above 1000), but only as a copy made when plex started: its mount of media-storage lacks mountPropagation HostToContainer, so a remount (rclone restarting) never reaches it (MS103)", zurg.Reason);
        Assert.False(report.IsHealthy);
    }

    [Fact]
    public void An_app_without_sidecars_is_nosidecar_without_an_exec()
    {
        var pod = Plex(sidecars: false);
        var mounts = MountGrader.Targets(pod, null);

        Assert.False(MountGrader.NeedsExec(pod, mounts, new MountCheckOptions(), Now));
        Assert.Empty(MountGrader.ProbeTargets(mounts));
        var report = Grade(pod, null);
        Assert.Equal([MountHealth.NOSIDECAR, MountHealth.NOSIDECAR], report.Mounts.Select(mount => mount.Status));
        Assert.Equal(MountHealth.NOSIDECAR, report.Status);
        Assert.False(report.IsHealthy);
        Assert.Equal("none", report["zurg"]!.ServedBy);
        Assert.Equal("plex expects /mnt/media/zurg, but no rclone sidecar of the pod mounts it and the media volume is not a node-level host path: it stays an empty folder (Add-RcloneSidecar adds the sidecar)", report["zurg"]!.Reason);
        Assert.Equal("zurg=NOSIDECAR torbox=NOSIDECAR", report.Summary);
    }

    [Fact]
    public void A_missing_sidecar_fails_even_when_the_others_are_fine()
    {
        var pod = MediaPodFactory.FromJson(PodJson.Pod("plex-1", ["rclone-zurg", "plex"], appLabel: "plex", args: PodJson.SeedArgs), Config, Now);
        var mounts = MountGrader.Targets(pod, null);

        Assert.True(MountGrader.NeedsExec(pod, mounts, new MountCheckOptions(), Now));
        Assert.Equal(["zurg"], MountGrader.ProbeTargets(mounts).Select(target => target.Name));
        var report = Grade(pod, new ExecResult(0, Lines(Healthy(0, 5000)), "", false));
        Assert.Equal("zurg=OK (5000) torbox=NOSIDECAR", report.Summary);
        Assert.False(report.IsHealthy);
    }

    [Theory]
    [InlineData("CrashLoopBackOff")]
    [InlineData("ImagePullBackOff")]
    [InlineData("CreateContainerConfigError")]
    public void A_pod_stuck_for_a_reason_that_waiting_does_not_fix_is_notready_at_once(string reason)
    {
        var pod = Plex(phase: "Pending", waiting: new() { ["plex"] = reason, ["rclone-zurg"] = "ContainerCreating", ["rclone-torbox"] = "ContainerCreating" });
        var justCreated = PodJson.Created.AddSeconds(5);

        Assert.False(MountGrader.NeedsExec(pod, MountGrader.Targets(pod, null), new MountCheckOptions(), justCreated));
        var report = Grade(pod, null, now: justCreated);

        Assert.All(report.Mounts, mount => Assert.Equal(MountHealth.NOTREADY, mount.Status));
        Assert.Equal($"the pod is Pending (rclone-zurg: ContainerCreating; rclone-torbox: ContainerCreating; plex: {reason}): the app cannot see its mounts", report["zurg"]!.Reason);
        Assert.False(report.IsHealthy);
    }

    [Fact]
    public void ContainerCreating_is_starting_within_the_grace_period_and_notready_after_it()
    {
        var pod = Plex(phase: "Pending");
        var options = new MountCheckOptions { StartupGraceSec = 90 };

        var early = Grade(pod, null, options: options, now: PodJson.Created.AddSeconds(30));
        var late = Grade(pod, null, options: options, now: PodJson.Created.AddSeconds(90));

        Assert.All(early.Mounts, mount => Assert.Equal(MountHealth.STARTING, mount.Status));
        Assert.Equal("the pod is Pending (rclone-zurg: ContainerCreating; rclone-torbox: ContainerCreating; plex: ContainerCreating), 30 s after start: NOTREADY if it lasts 90 s", early["zurg"]!.Reason);
        Assert.True(early.IsHealthy);
        Assert.Equal(MountHealth.STARTING, early.Status);
        Assert.All(late.Mounts, mount => Assert.Equal(MountHealth.NOTREADY, mount.Status));
        Assert.Equal("the pod is Pending (rclone-zurg: ContainerCreating; rclone-torbox: ContainerCreating; plex: ContainerCreating) for more than 90 s: the app cannot see its mounts", late["zurg"]!.Reason);
        Assert.False(late.IsHealthy);
    }

    [Fact]
    public void Unserved_mounts_stay_nosidecar_in_a_pod_that_is_not_ready()
    {
        var pod = MediaPodFactory.FromJson(PodJson.Pod("plex-1", ["rclone-zurg", "plex"], appLabel: "plex", phase: "Pending", args: PodJson.SeedArgs), Config, Now);

        Assert.Equal("zurg=NOTREADY torbox=NOSIDECAR", Grade(pod, null).Summary);
    }

    [Fact]
    public void Terminating_and_completed_pods_are_skipped_without_a_mount()
    {
        var terminating = Plex(terminating: true);
        var completed = Plex(phase: "Succeeded", waiting: new() { ["plex"] = "Completed" });

        foreach (var (pod, note) in new[] { (terminating, "the pod is terminating"), (completed, "the pod has completed (Succeeded)") })
        {
            Assert.False(MountGrader.NeedsExec(pod, MountGrader.Targets(pod, null), new MountCheckOptions(), Now));
            var report = Grade(pod, null);
            Assert.Empty(report.Mounts);
            Assert.Equal((MountHealth.SKIP, note, $"SKIP ({note})"), (report.Status, report.Note, report.Summary));
            Assert.True(report.IsHealthy);
        }
    }

    [Fact]
    public void Workloads_that_expect_no_mounts_are_skipped_and_say_why()
    {
        var optedOut = Plex(sidecars: false, annotation: "none");
        var gateway = MediaPodFactory.FromJson(PodJson.Pod("zurg-1", ["zurg"], images: new() { ["zurg"] = "ghcr.io/debridmediamanager/zurg-testing:v0.9.3-final" }), Config, Now);
        var unrelated = MediaPodFactory.FromJson(PodJson.Pod("homepage-1", ["homepage"], mediaVolume: false), Config, Now);

        Assert.Equal("the app expects no mounts (annotation mediastack.io/mounts=none)", Grade(optedOut, null).Note);
        Assert.Equal("gateway: zurg serves the cloud to other pods (ghcr.io/debridmediamanager/zurg-testing:v0.9.3-final) and mounts nothing for an app", Grade(gateway, null).Note);
        Assert.Equal("not a media workload: homepage does not mount /mnt/media and the pod runs no rclone mount", Grade(unrelated, null).Note);
        Assert.All(new[] { optedOut, gateway, unrelated }, pod =>
        {
            var report = Grade(pod, null);
            Assert.Equal(MountHealth.SKIP, report.Status);
            Assert.True(report.IsHealthy);
        });
    }

    private static Workload Prowlarr(string extra = "", string kind = "Deployment", string replicas = "") => Workloads.Manifest.Of($$$$"""
        apiVersion: apps/v1
        kind: {{{{kind}}}}
        metadata: {name: prowlarr, namespace: media-stack, creationTimestamp: "2026-11-29T10:00:00Z"}
        spec:
          {{{{replicas}}}}
          template:
            spec:
              containers:
              - {name: rclone-zurg, image: rclone/rclone, args: [mount, "zurg:", /mnt/media/zurg], securityContext: {privileged: true}, volumeMounts: [{name: media-storage, mountPath: /mnt/media, mountPropagation: Bidirectional}]}
              - {name: prowlarr, image: lscr.io/linuxserver/prowlarr, volumeMounts: [{name: media-storage, mountPath: /mnt/media, mountPropagation: HostToContainer}]}
              volumes: [{name: media-storage, persistentVolumeClaim: {claimName: media-library-pvc}}]
        {{{{extra}}}}
        """);

    [Fact]
    public void A_media_app_without_any_pod_is_notready_with_the_controllers_reason()
    {
        const string refused = """
            status:
              conditions:
              - {type: Available, status: "False", reason: MinimumReplicasUnavailable}
              - {type: ReplicaFailure, status: "True", reason: FailedCreate, message: 'pods "prowlarr-5d9" is forbidden: unable to validate against any security context constraint'}
            """;
        var created = new DateTime(2026, 11, 29, 10, 0, 0, DateTimeKind.Utc);

        var report = MountGrader.WithoutPods(Prowlarr(refused), null, new MountCheckOptions(), created.AddSeconds(5))!;

        Assert.Equal(("deployment/prowlarr", "media-stack", "prowlarr"), (report.Name, report.Namespace, report.Container));
        Assert.Equal(["zurg NOTREADY", "torbox NOTREADY"], report.Mounts.Select(mount => $"{mount.Mount} {mount.Status}"));
        Assert.Equal("deployment/prowlarr wants 1 pod(s) and has none: pods \"prowlarr-5d9\" is forbidden: unable to validate against any security context constraint: the app cannot see its mounts", report["zurg"]!.Reason);
        Assert.False(report.IsHealthy);
    }

    [Fact]
    public void A_young_workload_without_a_pod_is_starting_then_notready()
    {
        var created = new DateTime(2026, 11, 29, 10, 0, 0, DateTimeKind.Utc);
        var options = new MountCheckOptions { StartupGraceSec = 60, Mounts = ["zurg"] };

        var young = MountGrader.WithoutPods(Prowlarr(), options.Mounts, options, created.AddSeconds(10))!;
        var old = MountGrader.WithoutPods(Prowlarr(), options.Mounts, options, created.AddSeconds(61))!;

        Assert.Equal(["zurg STARTING"], young.Mounts.Select(mount => $"{mount.Mount} {mount.Status}"));
        Assert.Equal("deployment/prowlarr wants 1 pod(s) and has none yet: the app cannot see its mounts", young["zurg"]!.Reason);
        Assert.Equal(["zurg NOTREADY"], old.Mounts.Select(mount => $"{mount.Mount} {mount.Status}"));
        Assert.Equal("deployment/prowlarr wants 1 pod(s) and has none after 60 s: the app cannot see its mounts", old["zurg"]!.Reason);
    }

    [Theory]
    // Scaled to zero on purpose, a DaemonSet no node takes, a gateway: nothing is owed.
    [InlineData("", "Deployment", "replicas: 0", true)]
    [InlineData("status: {desiredNumberScheduled: 0}", "DaemonSet", "", true)]
    [InlineData("", "DaemonSet", "", true)]
    [InlineData("status: {desiredNumberScheduled: 2}", "DaemonSet", "", false)]
    [InlineData("", "StatefulSet", "replicas: 3", false)]
    [InlineData("", "Deployment", "", false)]
    public void Only_workloads_that_want_pods_are_owed_them(string status, string kind, string replicas, bool none)
    {
        var workload = Prowlarr(status, kind, replicas);

        Assert.Equal(none, MountGrader.WithoutPods(workload, null, new MountCheckOptions(), Now) is null);
    }

    [Fact]
    public void A_gateway_without_pods_is_owed_nothing()
    {
        var gateway = Workloads.Manifest.Of("""
            kind: Deployment
            metadata: {name: zurg}
            spec: {template: {spec: {containers: [{name: zurg, image: ghcr.io/debridmediamanager/zurg-testing:v0.9.3-final}]}}}
            """);

        Assert.Null(MountGrader.WithoutPods(gateway, null, new MountCheckOptions(), Now));
    }

    [Fact]
    public void Mount_names_narrow_the_targets()
    {
        var pod = Plex();

        Assert.Equal(["torbox"], MountGrader.Targets(pod, ["TorBox"]).Select(mount => mount.Name));
        Assert.Empty(MountGrader.Targets(pod, ["gdrive"]));
        var report = Grade(pod, new ExecResult(0, Lines(Healthy(0, 50)), "", false), options: new MountCheckOptions { Mounts = ["torbox"] });
        Assert.Equal("torbox=OK (50)", report.Summary);
    }

    [Fact]
    public void A_cancelled_exec_is_timeout_and_a_refused_one_fails()
    {
        var timedOut = Grade(Plex(), new ExecResult(null, "", "", true));
        Assert.All(timedOut.Mounts, mount => Assert.Equal(MountHealth.TIMEOUT, mount.Status));
        Assert.Equal($"the check did not finish within {Timeouts.Total.TotalSeconds:0} s (a hung mount, or the exec itself hung); it was cancelled", timedOut["zurg"]!.Reason);

        var refused = Grade(Plex(), null, failure: "Permission denied (403)");
        Assert.All(refused.Mounts, mount => Assert.Equal(MountHealth.FAIL, mount.Status));
        Assert.Equal("the check could not run in container plex: Permission denied (403)", refused["zurg"]!.Reason);

        var noShell = Grade(Plex(), new ExecResult(null, "", "", false, "exec: \"sh\": executable file not found"));
        Assert.Equal("the check could not run: exec: \"sh\": executable file not found", noShell["torbox"]!.Reason);

        var failed = Grade(Plex(), new ExecResult(2, "", "sh: syntax error\nmore", false));
        Assert.Equal("the check script failed (exit code 2): sh: syntax error", failed["zurg"]!.Reason);
    }

    [Fact]
    public void A_cut_off_exec_keeps_the_mounts_it_finished()
    {
        var partial = "probe\t1\ttimeout\tbackground\n" + Healthy(1, 50) + "\nm\t0\tfstype\tfuse.rclone\nm\t0\tstat_rc\t0\n";
        var report = Grade(Plex(), new ExecResult(null, partial, "", true));

        Assert.Equal(MountHealth.TIMEOUT, report["zurg"]!.Status);
        Assert.Equal(MountHealth.OK, report["torbox"]!.Status);
    }

    [Fact]
    public void Summary_lists_every_mount()
    {
        Assert.Equal("zurg=OK (25000) torbox=OK (50)", Grade(Lines(Healthy(0, 25000), Healthy(1, 50))).Summary);
    }

    [Theory]
    [InlineData(new[] { MountHealth.OK, MountHealth.SKIP }, MountHealth.OK, true)]
    [InlineData(new[] { MountHealth.STARTING, MountHealth.OK }, MountHealth.STARTING, true)]
    [InlineData(new[] { MountHealth.WARN, MountHealth.STARTING }, MountHealth.WARN, false)]
    [InlineData(new[] { MountHealth.NOSIDECAR, MountHealth.NOTMOUNTED }, MountHealth.NOSIDECAR, false)]
    [InlineData(new[] { MountHealth.FAIL, MountHealth.NOTREADY }, MountHealth.NOTREADY, false)]
    [InlineData(new[] { MountHealth.TIMEOUT, MountHealth.STALE }, MountHealth.TIMEOUT, false)]
    [InlineData(new[] { MountHealth.SKIP }, MountHealth.SKIP, true)]
    public void The_worst_status_speaks_for_the_pod_and_only_OK_SKIP_and_STARTING_pass(MountHealth[] statuses, MountHealth worst, bool healthy)
    {
        Assert.Equal(worst, PodMountReport.Worst(statuses));
        Assert.Equal(healthy, statuses.All(PodMountReport.IsPassing));
    }

    private static readonly ProbeTimeouts Deep = ProbeTimeouts.For(20, deep: true);

    private static PodMountReport GradeDeep(string stdout, bool timedOut = false) =>
        MountGrader.Grade(Plex(), MountGrader.Targets(Plex(), null), new ExecResult(timedOut ? null : 0, stdout, "", timedOut), null, Deep, new MountCheckOptions(Deep: true), 50, Now);

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
