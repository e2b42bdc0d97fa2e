using System.Text.Json.Nodes;
using MediaStack.Sandbox.Node.Linux;
using MediaStack.Sandbox.Scenarios;

namespace MediaStack.Sandbox.Tests;

// The built-in media-stack scenario on the API server with the Linux node runtime, observed
// with the machine's real kubectl, as a user (or the module) sees it.
public sealed class MediaStackCluster : LinuxClusterFixture
{
    // The sandbox CLI's `fault` command against this server (as a user would inject one).
    public async Task<(int Exit, string Output)> FaultAsync(params string[] args)
    {
        var psi = new System.Diagnostics.ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "MediaStack.Sandbox.dll"), "fault", .. args, "--kubeconfig", KubeconfigPath])
        { RedirectStandardOutput = true, RedirectStandardError = true };
        using var p = System.Diagnostics.Process.Start(psi)!;
        var output = p.StandardOutput.ReadToEndAsync();
        var error = p.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await p.WaitForExitAsync(cts.Token);
        return (p.ExitCode, await output + await error);
    }

    protected override async Task<Scenario> ScenarioAsync() =>
        Scenario.Parse(await File.ReadAllTextAsync(Scenario.Resolve("media-stack")));
}

public sealed class MediaStackNodeTests(MediaStackCluster cluster) : IClassFixture<MediaStackCluster>
{
    static readonly TimeSpan Up = TimeSpan.FromSeconds(60);
    Kubectl Kubectl => cluster.Kubectl;

    static void SkipUnlessAvailable() => Skip.If(Availability.Reason is not null, Availability.Reason);

    async Task<Kubectl.Result> K(params string[] args) => await Kubectl.Run(["-n", "media-stack", .. args]);

    async Task<string> PodOf(string app, string phase = "Running")
    {
        string name = "";
        await SandboxFixture.WaitFor(async () =>
        {
            name = (await K("get", "pods", "-l", $"app={app}", "--field-selector", $"status.phase={phase}", "-o", "jsonpath={.items[0].metadata.name}")).Stdout;
            return name.Length > 0;
        }, Up, $"no {phase} pod of {app}: {(await K("get", "pods")).Stdout}");
        return name;
    }

    async Task ReadyAsync(string pod, string container) => await SandboxFixture.WaitFor(async () =>
        (await K("get", "pod", pod, "-o", $"jsonpath={{.status.containerStatuses[?(@.name==\"{container}\")].ready}}")).Stdout == "true",
        Up, $"{pod}/{container} never ready: {(await K("get", "pod", pod, "-o", "json")).Stdout}");

    async Task<Kubectl.Result> Exec(string pod, string container, string script) =>
        await K("exec", pod, "-c", container, "--", "sh", "-c", script);

    [SkippableFact]
    public async Task Healthy_plex_shows_both_rclone_mounts_and_25000_entries_through_kubectl_exec()
    {
        SkipUnlessAvailable();
        var plex = await PodOf("plex");
        await ReadyAsync(plex, "plex");
        await ReadyAsync(plex, "rclone-torbox");
        var r = await Exec(plex, "plex", "grep fuse.rclone /proc/self/mountinfo; ls -A /mnt/media/zurg/__all__ | wc -l");
        Assert.True(r.Exit == 0, r.ToString());
        var lines = r.Stdout.Split('\n');
        Assert.Contains(lines, l => l.Contains(" /mnt/media/zurg ") && l.Contains("fuse.rclone zurg:"));
        Assert.Contains(lines, l => l.Contains(" /mnt/media/torbox ") && l.Contains("fuse.rclone torbox:"));
        Assert.Equal("25000", lines[^1].Trim());
        Assert.Matches(@"plex-\S+\s+4/4\s+Running", (await K("get", "pods")).Stdout);
    }

    [SkippableFact]
    public async Task Sonarr_app_container_without_HostToContainer_cannot_list_while_its_sidecar_can()
    {
        SkipUnlessAvailable();
        var sonarr = await PodOf("sonarr");
        await SandboxFixture.WaitFor(async () => (await Exec(sonarr, "rclone-zurg", "grep -q fuse.rclone /proc/self/mountinfo")).Exit == 0, Up, "sonarr's sidecar never mounted");
        var app = await Exec(sonarr, "sonarr", "grep -c fuse.rclone /proc/self/mountinfo; ls -A /mnt/media/zurg/__all__");
        Assert.NotEqual(0, app.Exit);
        Assert.StartsWith("0", app.Stdout);
        Assert.Contains("No such file or directory", app.Stderr);
        Assert.Equal("25000", (await Exec(sonarr, "rclone-zurg", "ls -A /mnt/media/zurg/__all__ | wc -l")).Stdout.Trim());
    }

    [SkippableFact]
    public async Task Radarr_unprivileged_sidecar_crash_loops_and_kubectl_logs_show_fusermount3s_error()
    {
        SkipUnlessAvailable();
        var radarr = await PodOf("radarr");
        await SandboxFixture.WaitFor(async () =>
            (await K("get", "pod", radarr, "-o", "jsonpath={.status.containerStatuses[?(@.name==\"rclone-zurg\")].state.waiting.reason}/{.status.containerStatuses[?(@.name==\"rclone-zurg\")].restartCount}")).Stdout
            is var s && s.StartsWith("CrashLoopBackOff/") && int.Parse(s.Split('/')[1]) >= 2, Up, "radarr's sidecar never crash-looped");
        var count = int.Parse((await K("get", "pod", radarr, "-o", "jsonpath={.status.containerStatuses[?(@.name==\"rclone-zurg\")].restartCount}")).Stdout);
        await SandboxFixture.WaitFor(async () => int.Parse((await K("get", "pod", radarr, "-o", "jsonpath={.status.containerStatuses[?(@.name==\"rclone-zurg\")].restartCount}")).Stdout) > count,
            Up, "restarts did not count up");
        Assert.Matches(@"radarr-\S+\s+1/2\s+CrashLoopBackOff", (await K("get", "pods")).Stdout);
        var previous = await K("logs", radarr, "-c", "rclone-zurg", "--previous");
        Assert.True(previous.Exit == 0, previous.ToString());
        Assert.Contains("fusermount3: failed to open /dev/fuse: Operation not permitted", previous.Stdout);
        await SandboxFixture.WaitFor(async () => (await K("logs", radarr, "-c", "rclone-zurg")).Stdout.Contains("fusermount3: failed to open /dev/fuse: Operation not permitted"), Up, "current log lacks the error");
    }

    [SkippableFact]
    public async Task Overseerr_with_missing_secret_stays_ContainerCreating_with_FailedMount()
    {
        SkipUnlessAvailable();
        var pod = await PodOf("overseerr", "Pending");
        await SandboxFixture.WaitFor(async () => (await K("get", "events", "--field-selector", $"involvedObject.name={pod}", "-o", "jsonpath={.items[*].message}")).Stdout
            .Contains("MountVolume.SetUp failed for volume \"rclone-overseerr-config\" : secret \"rclone-overseerr-config\" not found"), Up, "no FailedMount event");
        Assert.Matches(@"overseerr-\S+\s+0/2\s+ContainerCreating", (await K("get", "pods")).Stdout);
    }

    [SkippableFact]
    public async Task Prowlarr_without_privileged_SCC_has_no_pods_and_a_FailedCreate_event()
    {
        SkipUnlessAvailable();
        string rs = "";
        await SandboxFixture.WaitFor(async () => (rs = (await K("get", "rs", "-l", "app=prowlarr", "-o", "jsonpath={.items[0].metadata.name}")).Stdout).Length > 0, Up, "no ReplicaSet");
        await SandboxFixture.WaitFor(async () => (await K("get", "events", "--field-selector", $"involvedObject.name={rs}", "-o", "jsonpath={.items[*].reason}")).Stdout.Contains("FailedCreate"),
            Up, "no FailedCreate event");
        Assert.Equal("", (await K("get", "pods", "-l", "app=prowlarr", "-o", "jsonpath={.items[*].metadata.name}")).Stdout);
    }

    [SkippableFact]
    public async Task Stream_symlink_resolves_in_plex_and_not_in_bazarr()
    {
        SkipUnlessAvailable();
        var plex = await PodOf("plex");
        var bazarr = await PodOf("bazarr");
        await ReadyAsync(plex, "rclone-zurg");
        var link = (await Exec(plex, "plex", "ls /mnt/media/stream/zurg | head -n 1")).Stdout.Trim();
        Assert.Contains("zurg entry", (await Exec(plex, "plex", $"cat /mnt/media/stream/zurg/{link}")).Stdout);
        var broken = await Exec(bazarr, "bazarr", $"readlink /mnt/media/stream/zurg/{link}; cat /mnt/media/stream/zurg/{link}");
        Assert.NotEqual(0, broken.Exit);
        Assert.StartsWith("/mnt/media/zurg/__all__/", broken.Stdout);
    }

    [SkippableFact]
    public async Task Patching_a_sonarr_copy_to_HostToContainer_rolls_out_a_pod_that_sees_the_mount()
    {
        SkipUnlessAvailable();
        // A copy, so that the scenario's sonarr keeps showing the broken shape to other tests.
        var copy = JsonNode.Parse((await K("get", "deploy", "sonarr", "-o", "json")).Stdout)!.AsObject();
        copy["metadata"] = new JsonObject { ["name"] = "sonarr-fixed", ["namespace"] = "media-stack" };
        copy.Remove("status");
        copy["spec"]!["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["app"] = "sonarr-fixed" } };
        copy["spec"]!["template"]!["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["app"] = "sonarr-fixed" } };
        var created = await Kubectl.RunWithInput(copy.ToJsonString(), "create", "-f", "-");
        Assert.True(created.Exit == 0, created.ToString());
        var before = await PodOf("sonarr-fixed");
        Assert.NotEqual(0, (await Exec(before, "sonarr", "ls /mnt/media/zurg/__all__ >/dev/null")).Exit);

        var patch = """{"spec":{"template":{"spec":{"containers":[{"name":"sonarr","volumeMounts":[{"mountPath":"/mnt/media","name":"media-storage","mountPropagation":"HostToContainer"}]}]}}}}""";
        var r = await K("patch", "deploy", "sonarr-fixed", "--type=strategic", "-p", patch);
        Assert.True(r.Exit == 0, r.ToString());
        string after = "";
        await SandboxFixture.WaitFor(async () => (after = (await K("get", "pods", "-l", "app=sonarr-fixed", "--field-selector", "status.phase=Running", "-o", "jsonpath={.items[*].metadata.name}")).Stdout) is var n
            && n.Length > 0 && !n.Contains(before), Up, "no new sonarr-fixed pod");
        await SandboxFixture.WaitFor(async () => (await Exec(after, "sonarr", "ls -A /mnt/media/zurg/__all__ | wc -l")).Stdout.Trim() == "25000", Up,
            "the new pod does not see the zurg mount");
    }

    [SkippableFact]
    public async Task Sigkill_fault_on_plex_rclone_zurg_gives_ENOTCONN_then_the_restarted_sidecar_remounts()
    {
        SkipUnlessAvailable();
        var plex = await PodOf("plex");
        await ReadyAsync(plex, "rclone-zurg");
        await ReadyAsync(plex, "plex");
        var restarts = int.Parse((await K("get", "pod", plex, "-o", "jsonpath={.status.containerStatuses[?(@.name==\"rclone-zurg\")].restartCount}")).Stdout);
        await cluster.Runtime.ApplyFaultAsync("kill-container", new JsonObject { ["namespace"] = "media-stack", ["pod"] = plex, ["container"] = "rclone-zurg" }, CancellationToken.None);
        var stale = await Exec(plex, "plex", "for i in 1 2 3 4 5; do ls /mnt/media/zurg 2>&1; sleep 0.1; done; true");
        Assert.Contains("Transport endpoint is not connected", stale.Stdout);
        await SandboxFixture.WaitFor(async () =>
            (await K("get", "pod", plex, "-o", "jsonpath={.status.containerStatuses[?(@.name==\"rclone-zurg\")].restartCount}/{.status.containerStatuses[?(@.name==\"rclone-zurg\")].ready}")).Stdout
            == $"{restarts + 1}/true", Up, "rclone-zurg did not come back");
        Assert.Equal("25000", (await Exec(plex, "plex", "ls -A /mnt/media/zurg/__all__ | wc -l")).Stdout.Trim());
    }

    [SkippableFact]
    public async Task Backend_faults_injected_with_the_cli_show_in_kubectl_exec()
    {
        SkipUnlessAvailable();
        var plex = await PodOf("plex");
        await ReadyAsync(plex, "rclone-zurg");
        // busybox 1.35's `wget -T` crashes; timeout bounds the request instead.
        const string get = "timeout -s KILL 5 wget -q -O /dev/null http://127.0.0.1:9999/version.txt";
        try
        {
            Assert.Equal(0, (await Exec(plex, "rclone-zurg", get)).Exit);

            var slow = await cluster.FaultAsync("slow-backend", "backend=zurg", "latencyMs=600");
            Assert.True(slow.Exit == 0, slow.Output);
            var watch = System.Diagnostics.Stopwatch.StartNew();
            Assert.Equal(0, (await Exec(plex, "rclone-zurg", get)).Exit);
            Assert.True(watch.ElapsedMilliseconds >= 600, $"{watch.ElapsedMilliseconds} ms");

            var stop = await cluster.FaultAsync("stop-backend", "backend=zurg");
            Assert.True(stop.Exit == 0, stop.Output);
            var refused = await Exec(plex, "rclone-zurg", "wget -O /dev/null http://127.0.0.1:9999/version.txt");
            Assert.NotEqual(0, refused.Exit);
            Assert.Contains("Connection refused", refused.Stderr);

            Assert.Equal(0, (await cluster.FaultAsync("restore-backend", "backend=zurg")).Exit);
            Assert.Equal(0, (await Exec(plex, "rclone-zurg", get)).Exit);

            // Hung: the app's FUSE call on a never-listed entry blocks until the backend answers.
            await ReadyAsync(plex, "plex");
            var entry = MediaStack.Sandbox.Backends.TreeGenerator.EntryName(new("zurg", "zurg", 25000, 9999, "/mnt/media/zurg"), 24_321);
            Assert.Equal(0, (await cluster.FaultAsync("hang-backend", "backend=zurg")).Exit);
            var listing = Exec(plex, "plex", $"ls /mnt/media/zurg/__all__/{entry}/");
            await Task.Delay(TimeSpan.FromSeconds(4));
            Assert.False(listing.IsCompleted, "a FUSE call on a hung backend returned");
            Assert.Equal(0, (await cluster.FaultAsync("restore-backend", "backend=zurg")).Exit);
            var listed = await listing;
            Assert.True(listed.Exit == 0, listed.ToString());
            Assert.Contains(entry + ".mkv", listed.Stdout);
        }
        finally
        {
            await cluster.FaultAsync("restore-backend", "backend=zurg");
        }
    }
}
