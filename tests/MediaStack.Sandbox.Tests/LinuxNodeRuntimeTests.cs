using System.Diagnostics;
using System.Text.Json.Nodes;
using MediaStack.Sandbox.Node.Linux;

namespace MediaStack.Sandbox.Tests;

// The media-stack scenario brought up once on the real node runtime; each test observes one
// behaviour through the runtime API (exec, logs, status, events), as kubectl would see it.
public sealed class MediaStackOnNode : IAsyncLifetime
{
    public const string Ns = "media-stack";
    public NodeRuntimeTestHost Host { get; } = new();

    public async Task InitializeAsync()
    {
        if (Availability.Reason is not null) return;
        await Host.LoadAsync(await File.ReadAllTextAsync(NodeRuntimeTestHost.ScenarioPath()), CancellationToken.None);
        foreach (var d in new[] { "plex", "sonarr", "bazarr", "radarr", "overseerr", "rclone-zurg" }) await Host.StartAsync(d);
    }

    public async Task DisposeAsync() => await Host.DisposeAsync();
}

[CollectionDefinition("node runtime")]
public sealed class NodeRuntimeCollection : ICollectionFixture<MediaStackOnNode>;

[Collection("node runtime")]
public sealed class LinuxNodeRuntimeTests(MediaStackOnNode stack)
{
    const string Ns = MediaStackOnNode.Ns;
    static readonly TimeSpan Up = TimeSpan.FromSeconds(45);
    NodeRuntimeTestHost Host => stack.Host;

    static void SkipUnlessAvailable() => Skip.If(Availability.Reason is not null, Availability.Reason);

    Task ReadyAsync(string pod, string container) => NodeRuntimeTestHost.WaitForAsync(
        () => Host.ContainerStatus(Ns, pod, container)?["ready"]?.GetValue<bool>() == true, Up, () => Host.Describe(Ns, pod));

    async Task<string> OkAsync(string pod, string container, string script)
    {
        var (code, output, error) = await Host.ExecAsync(Ns, pod, container, "sh", "-c", script);
        Assert.True(code == 0, $"exit {code}: {error}\n{output}");
        return output;
    }

    [SkippableFact]
    public async Task Healthy_pod_sees_both_rclone_mounts_and_all_zurg_entries()
    {
        SkipUnlessAvailable();
        await ReadyAsync("plex-x1", "plex");
        await ReadyAsync("plex-x1", "rclone-torbox");
        var lines = (await OkAsync("plex-x1", "plex", "grep fuse.rclone /proc/self/mountinfo; ls -A /mnt/media/zurg/__all__ | wc -l")).Trim().Split('\n');
        Assert.Contains(lines, l => l.Contains(" /mnt/media/zurg ") && l.Contains("fuse.rclone zurg:"));
        Assert.Contains(lines, l => l.Contains(" /mnt/media/torbox ") && l.Contains("fuse.rclone torbox:"));
        Assert.Equal("25000", lines[^1].Trim());
        Assert.Equal("60", (await OkAsync("plex-x1", "plex", "ls -A /mnt/media/torbox/torrents | wc -l")).Trim());
        Assert.Contains(TreeGeneratorVersion, await OkAsync("plex-x1", "plex", "cat /mnt/media/zurg/version.txt; ls -d /mnt/media/zurg/__unplayable__"));
    }

    const string TreeGeneratorVersion = MediaStack.Sandbox.Backends.TreeGenerator.ZurgVersion;

    [SkippableFact]
    public async Task App_without_HostToContainer_sees_no_mount_while_its_sidecar_does()
    {
        SkipUnlessAvailable();
        await NodeRuntimeTestHost.WaitForAsync(() => Host.ContainerStatus(Ns, "sonarr-x1", "rclone-zurg")?["state"]?["running"] is not null
            && Host.ContainerStatus(Ns, "sonarr-x1", "sonarr")?["state"]?["running"] is not null, Up, () => Host.Describe(Ns, "sonarr-x1"));
        await NodeRuntimeTestHost.WaitForAsync(() => Host.ExecAsync(Ns, "sonarr-x1", "rclone-zurg", "sh", "-c", "grep -q fuse.rclone /proc/self/mountinfo").Result.Code == 0,
            Up, () => Host.Describe(Ns, "sonarr-x1"));
        var app = await Host.ExecAsync(Ns, "sonarr-x1", "sonarr", "sh", "-c", "grep -c fuse.rclone /proc/self/mountinfo; ls -A /mnt/media/zurg/__all__");
        Assert.StartsWith("0", app.Out);
        Assert.NotEqual(0, app.Code);
        Assert.Contains("No such file or directory", app.Err);
        Assert.Equal("25000", (await OkAsync("sonarr-x1", "rclone-zurg", "ls -A /mnt/media/zurg/__all__ | wc -l")).Trim());
    }

    [SkippableFact]
    public async Task Unprivileged_sidecar_with_host_dev_fuse_crash_loops_with_fusermount3_error_in_current_and_previous_log()
    {
        SkipUnlessAvailable();
        await NodeRuntimeTestHost.WaitForAsync(() => (Host.ContainerStatus(Ns, "radarr-x1", "rclone-zurg")?["restartCount"]?.GetValue<int>() ?? 0) >= 2
            && Host.Runtime.ReadLog(Ns, "radarr-x1", "rclone-zurg", previous: true) is not null, Up, () => Host.Describe(Ns, "radarr-x1"));
        await NodeRuntimeTestHost.WaitForAsync(() => (string?)Host.ContainerStatus(Ns, "radarr-x1", "rclone-zurg")?["state"]?["waiting"]?["reason"] == "CrashLoopBackOff",
            Up, () => Host.Describe(Ns, "radarr-x1"));
        var status = Host.ContainerStatus(Ns, "radarr-x1", "rclone-zurg")!;
        Assert.NotEqual(0, status["lastState"]!["terminated"]!["exitCode"]!.GetValue<int>());
        const string fuseError = "fusermount3: failed to open /dev/fuse: Operation not permitted";
        Assert.Contains(fuseError, Host.Runtime.ReadLog(Ns, "radarr-x1", "rclone-zurg", previous: true));
        await NodeRuntimeTestHost.WaitForAsync(() => Host.Runtime.ReadLog(Ns, "radarr-x1", "rclone-zurg", false)?.Contains(fuseError) == true,
            Up, () => Host.Describe(Ns, "radarr-x1"));
        Assert.Contains(Host.Events, e => e.Name == "radarr-x1" && e.Reason == "BackOff");
        Assert.DoesNotContain("/dev/fuse", await OkAsync("radarr-x1", "radarr", "ls /dev"));
    }

    [SkippableFact]
    public async Task Unprivileged_sidecar_without_dev_fuse_fails_with_fuse_device_not_found()
    {
        SkipUnlessAvailable();
        var pod = Host.PodFor("radarr", "nodev");
        var sidecar = ((JsonArray)pod["spec"]!["containers"]!).Single(c => (string?)c!["name"] == "rclone-zurg")!;
        var mounts = (JsonArray)sidecar["volumeMounts"]!;
        mounts.Remove(mounts.Single(m => (string?)m!["name"] == "fuse-device"));
        sidecar["securityContext"] = new JsonObject { ["capabilities"] = new JsonObject { ["add"] = new JsonArray("SYS_ADMIN") } };
        await Host.Runtime.StartPodAsync(pod, CancellationToken.None);
        await NodeRuntimeTestHost.WaitForAsync(() => Host.Runtime.ReadLog(Ns, "radarr-nodev", "rclone-zurg", false)?.Contains("fusermount3: fuse device not found, try 'modprobe fuse' first") == true,
            Up, () => Host.Describe(Ns, "radarr-nodev"));
        // capabilities.add reaches the bounding set of an unprivileged container.
        var capBnd = (await Host.ExecAsync(Ns, "radarr-nodev", "radarr", "grep", "CapBnd", "/proc/self/status")).Out;
        Assert.Equal(0xa80425fbUL, Convert.ToUInt64(capBnd.Split('\t')[1].Trim(), 16));
        // The crash-looping sidecar runs only for moments between back-offs: catch one of them
        // when we can (a sampled "running" state may never be seen, so that is not waited for).
        var sidecarCaps = (Code: -1, Out: "", Err: "");
        for (var until = DateTime.UtcNow + TimeSpan.FromSeconds(20); sidecarCaps.Code != 0 && DateTime.UtcNow < until; await Task.Delay(100))
        {
            if (Host.ContainerStatus(Ns, "radarr-nodev", "rclone-zurg")?["state"]?["running"] is not null)
                sidecarCaps = await Host.ExecAsync(Ns, "radarr-nodev", "rclone-zurg", "grep", "CapBnd", "/proc/self/status");
        }
        if (sidecarCaps.Code == 0)
            Assert.Equal(0xa80425fbUL | 1UL << 21, Convert.ToUInt64(sidecarCaps.Out.Split('\t')[1].Trim(), 16));
        await Host.Runtime.StopPodAsync(Ns, "radarr-nodev", (string)pod["metadata"]!["uid"]!, 1, CancellationToken.None);
    }

    [SkippableFact]
    public async Task Missing_secret_keeps_pod_creating_with_FailedMount_until_the_secret_exists()
    {
        SkipUnlessAvailable();
        const string message = "MountVolume.SetUp failed for volume \"rclone-overseerr-config\" : secret \"rclone-overseerr-config\" not found";
        await NodeRuntimeTestHost.WaitForAsync(() => Host.Events.Any(e => e.Name == "overseerr-x1" && e.Reason == "FailedMount" && e.Message == message),
            Up, () => Host.Describe(Ns, "overseerr-x1"));
        Assert.Equal("ContainerCreating", (string?)Host.ContainerStatus(Ns, "overseerr-x1", "overseerr")?["state"]?["waiting"]?["reason"]);
        Assert.Equal("Pending", (string?)Host.Status(Ns, "overseerr-x1")["phase"]);

        var secret = Host.Get("secrets", Ns, "rclone-zurg-config")!;
        secret["metadata"]!["name"] = "rclone-overseerr-config";
        Host.Put(secret);
        await ReadyAsync("overseerr-x1", "overseerr");
        Assert.Equal("Running", (string?)Host.Status(Ns, "overseerr-x1")["phase"]);
    }

    [SkippableFact]
    public async Task Stream_symlink_into_zurg_resolves_in_healthy_pod_only()
    {
        SkipUnlessAvailable();
        await ReadyAsync("plex-x1", "rclone-zurg");
        await ReadyAsync("bazarr-x1", "bazarr");
        var link = (await OkAsync("plex-x1", "plex", "ls /mnt/media/stream/zurg | head -n 1")).Trim();
        Assert.Contains("zurg entry ", await OkAsync("plex-x1", "plex", $"readlink /mnt/media/stream/zurg/{link}; cat /mnt/media/stream/zurg/{link}"));
        var broken = await Host.ExecAsync(Ns, "bazarr-x1", "bazarr", "sh", "-c", $"readlink /mnt/media/stream/zurg/{link}; cat /mnt/media/stream/zurg/{link}");
        Assert.NotEqual(0, broken.Code);
        Assert.StartsWith("/mnt/media/zurg/__all__/", broken.Out);
        Assert.Contains("No such file or directory", broken.Err);
    }

    [SkippableFact]
    public async Task Exec_sees_busybox_in_rclone_and_alpine_images_and_coreutils_in_apps()
    {
        SkipUnlessAvailable();
        await ReadyAsync("plex-x1", "plex");
        Assert.Contains("BusyBox", (await Host.ExecAsync(Ns, "plex-x1", "rclone-zurg", "ls", "--help")).Err);
        Assert.Contains("GNU coreutils", await OkAsync("plex-x1", "plex", "ls --version"));
        Assert.Contains("rclone v1.", await OkAsync("plex-x1", "rclone-zurg", "rclone version"));
        Assert.Equal("400", (await OkAsync("plex-x1", "rclone-zurg", "stat -c %a /config/rclone/rclone.conf")).Trim());
        Assert.Equal("plex-x1", (await OkAsync("plex-x1", "plex", "hostname")).Trim());
        // Unprivileged containers lack CAP_SYS_ADMIN: the app cannot unmount what it receives.
        var umount = await Host.ExecAsync(Ns, "plex-x1", "plex", "umount", "-l", "/mnt/media/torbox");
        Assert.NotEqual(0, umount.Code);
        Assert.Contains("must be superuser", umount.Err);
        const ulong sysAdmin = 1UL << 21;
        async Task<ulong> Bounding(string container) =>
            Convert.ToUInt64((await OkAsync("plex-x1", container, "grep CapBnd /proc/self/status")).Split('\t')[1].Trim(), 16);
        Assert.NotEqual(0UL, await Bounding("rclone-zurg") & sysAdmin);
        Assert.Equal(0xa80425fbUL, await Bounding("plex"));
    }

    [SkippableFact]
    public async Task Each_pod_has_its_own_loopback_only_network()
    {
        SkipUnlessAvailable();
        await ReadyAsync("plex-x1", "rclone-zurg");
        await NodeRuntimeTestHost.WaitForAsync(() => Host.ContainerStatus(Ns, "sonarr-x1", "rclone-zurg")?["state"]?["running"] is not null, Up, () => Host.Describe(Ns, "sonarr-x1"));
        // Both pods' rclone-zurg bind 127.0.0.1:5572 and answer their own rc.
        foreach (var pod in new[] { "plex-x1", "sonarr-x1" })
        {
            Assert.Equal(0, Host.ContainerStatus(Ns, pod, "rclone-zurg")!["restartCount"]!.GetValue<int>());
            Assert.Contains("\"version\"", await OkAsync(pod, "rclone-zurg", "rclone rc --url http://127.0.0.1:5572/ core/version"));
        }
        var interfaces = (await OkAsync("plex-x1", "plex", "tail -n +3 /proc/net/dev | cut -d: -f1 | tr -d ' '")).Trim();
        Assert.Equal("lo", interfaces);
    }

    [SkippableFact]
    public async Task Sigkill_of_rclone_leaves_a_stale_mount_and_the_restarted_sidecar_remounts_for_the_app()
    {
        SkipUnlessAvailable();
        var pod = await Host.StartAsync("plex", "kill");
        await ReadyAsync("plex-kill", "rclone-zurg");
        await ReadyAsync("plex-kill", "plex");
        Assert.Equal("25000", (await OkAsync("plex-kill", "plex", "ls -A /mnt/media/zurg/__all__ | wc -l")).Trim());

        await Host.Runtime.ApplyFaultAsync("kill-container", new JsonObject { ["namespace"] = Ns, ["pod"] = "plex-kill", ["container"] = "rclone-zurg" }, CancellationToken.None);
        // Requests in flight when the daemon died end ECONNABORTED; every later one ENOTCONN.
        var stale = await OkAsync("plex-kill", "plex", "for i in 1 2 3 4 5; do ls /mnt/media/zurg 2>&1; sleep 0.1; done; true");
        Assert.Contains("Transport endpoint is not connected", stale);

        await NodeRuntimeTestHost.WaitForAsync(() => Host.ContainerStatus(Ns, "plex-kill", "rclone-zurg") is { } s
            && s["restartCount"]!.GetValue<int>() == 1 && s["ready"]!.GetValue<bool>(), Up, () => Host.Describe(Ns, "plex-kill"));
        Assert.True(137 == Host.ContainerStatus(Ns, "plex-kill", "rclone-zurg")!["lastState"]!["terminated"]!["exitCode"]!.GetValue<int>(), Host.Describe(Ns, "plex-kill"));
        Assert.Equal("25000", (await OkAsync("plex-kill", "plex", "ls -A /mnt/media/zurg/__all__ | wc -l")).Trim());
        Assert.Equal(1, (await OkAsync("plex-kill", "plex", "grep -c ' /mnt/media/zurg ' /proc/self/mountinfo")).Trim().Length);
        await Host.Runtime.StopPodAsync(Ns, "plex-kill", (string)pod["metadata"]!["uid"]!, 1, CancellationToken.None);
    }

    [SkippableFact]
    public async Task Classic_sidecar_restarted_over_a_stale_mount_fails_like_on_a_real_node()
    {
        SkipUnlessAvailable();
        await NodeRuntimeTestHost.WaitForAsync(() => Host.ExecAsync(Ns, "sonarr-x1", "rclone-torbox", "sh", "-c", "grep -q fuse.rclone /proc/self/mountinfo").Result.Code == 0,
            Up, () => Host.Describe(Ns, "sonarr-x1"));
        await Host.Runtime.ApplyFaultAsync("kill-container", new JsonObject { ["namespace"] = Ns, ["pod"] = "sonarr-x1", ["container"] = "rclone-torbox" }, CancellationToken.None);
        await NodeRuntimeTestHost.WaitForAsync(() => Host.Runtime.ReadLog(Ns, "sonarr-x1", "rclone-torbox", false) is { } log
            && log.Contains("Fatal error"), Up, () => Host.Describe(Ns, "sonarr-x1"));
        Assert.Contains("Fatal error: directory already mounted, use --allow-non-empty to mount anyway: /mnt/media/torbox",
            Host.Runtime.ReadLog(Ns, "sonarr-x1", "rclone-torbox", false));
        // The app (None) never saw the mount; the sidecar now crash-loops on the stale one.
        await NodeRuntimeTestHost.WaitForAsync(() => (Host.ContainerStatus(Ns, "sonarr-x1", "rclone-torbox")?["restartCount"]?.GetValue<int>() ?? 0) >= 2,
            Up, () => Host.Describe(Ns, "sonarr-x1"));
    }

    [SkippableFact]
    public async Task Backend_faults_are_seen_from_inside_pods()
    {
        SkipUnlessAvailable();
        await ReadyAsync("plex-x1", "rclone-torbox");
        // busybox 1.35's `wget -T` crashes; timeout bounds the request instead.
        const string get = "timeout -s KILL 3 wget -q -O /dev/null http://127.0.0.1:9998/torrents/";
        async Task<(int Code, string Err, long Ms)> Fetch()
        {
            var sw = Stopwatch.StartNew();
            var r = await Host.ExecAsync(Ns, "plex-x1", "rclone-torbox", "sh", "-c", get);
            return (r.Code, r.Err, sw.ElapsedMilliseconds);
        }
        JsonObject Args() => new() { ["backend"] = "torbox", ["latencyMs"] = "400" };
        try
        {
            var baseline = await Fetch();
            Assert.True(baseline.Code == 0, baseline.Err);

            await Host.Runtime.ApplyFaultAsync("slow-backend", Args(), CancellationToken.None);
            var slow = await Fetch();
            Assert.True(slow.Code == 0, $"exit {slow.Code} after {slow.Ms} ms: {slow.Err}");
            Assert.True(slow.Ms >= 400, $"{slow.Ms} ms");

            await Host.Runtime.ApplyFaultAsync("stop-backend", Args(), CancellationToken.None);
            var stopped = await Fetch();
            Assert.NotEqual(0, stopped.Code);
            Assert.Contains("Connection refused", (await Host.ExecAsync(Ns, "plex-x1", "rclone-torbox", "sh", "-c", "wget -O /dev/null http://127.0.0.1:9998/")).Err);

            await Host.Runtime.ApplyFaultAsync("hang-backend", Args(), CancellationToken.None);
            var hung = await Fetch();
            Assert.NotEqual(0, hung.Code);
            Assert.True(hung.Ms >= 2500, $"{hung.Ms} ms: {hung.Err}");
            // A FUSE call that needs the backend hangs too. rclone has already read the request,
            // so the kernel waits uninterruptibly: even SIGKILL (timeout -s KILL) takes effect
            // only once the backend answers (here: when it is restored).
            var entry = MediaStack.Sandbox.Backends.TreeGenerator.EntryName(new("torbox", "torbox", 60, 9998, "/mnt/media/torbox"), 59);
            var fuse = Host.ExecAsync(Ns, "plex-x1", "plex", "timeout", "-s", "KILL", "2", "ls", $"/mnt/media/torbox/torrents/{entry}/");
            await Task.Delay(TimeSpan.FromSeconds(4));
            Assert.False(fuse.IsCompleted, "the FUSE call on a hung backend returned");

            await Host.Runtime.ApplyFaultAsync("restore-backend", Args(), CancellationToken.None);
            Assert.Same(fuse, await Task.WhenAny(fuse, Task.Delay(TimeSpan.FromSeconds(30))));
            Assert.Equal(137, (await fuse).Code);
            // The first request right after the restore is sometimes reset (about one run in
            // five, not root-caused: the relay releases the hung connections at that moment);
            // the backend must answer again within a few tries.
            var restored = await Fetch();
            for (var attempt = 0; attempt < 10 && restored.Code != 0; attempt++)
            {
                await Task.Delay(500);
                restored = await Fetch();
            }
            Assert.True(restored.Code == 0, $"exit {restored.Code} after {restored.Ms} ms: {restored.Err}");
        }
        finally
        {
            await Host.Runtime.ApplyFaultAsync("restore-backend", Args(), CancellationToken.None);
        }
    }
}
