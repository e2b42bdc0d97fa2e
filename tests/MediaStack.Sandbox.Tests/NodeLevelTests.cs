using System.Text.Json.Nodes;
using MediaStack.Sandbox.Backends;
using MediaStack.Sandbox.Json;
using MediaStack.Sandbox.Node.Linux;
using MediaStack.Sandbox.Scenarios;

namespace MediaStack.Sandbox.Tests;

// The built-in node-level scenario's readers and provider on the Linux node runtime, with
// the readers started first and the DaemonSet applied after them, so that its FUSE mounts
// are made while the readers run (what HostToContainer is about). The StatefulSet is left
// out: the Pester suite drives it.
public sealed class NodeLevelCluster : LinuxClusterFixture
{
    public static readonly TimeSpan Up = TimeSpan.FromSeconds(120);

    public BackendServer Zurg { get; } = new("zurg", "zurg", 2000, 9999, "/mnt/media/zurg");

    JsonObject _provider = new();

    protected override async Task<Scenario> ScenarioAsync()
    {
        var scenario = Scenario.Parse(await File.ReadAllTextAsync(Scenario.Resolve("node-level")));
        _provider = scenario.Objects.Single(o => o.Str("kind") == "DaemonSet");
        return scenario with { Objects = scenario.Objects.Where(o => o.Str("kind") is not ("DaemonSet" or "StatefulSet")).ToList() };
    }

    protected override async Task StartedAsync()
    {
        foreach (var app in new[] { "plex", "sonarr", "tdarr" })
            await SandboxFixture.WaitFor(async () => (await Kubectl.Run("-n", "media-stack", "get", "pods", "-l", $"app={app}", "-o",
                "jsonpath={.items[*].status.conditions[?(@.type==\"Ready\")].status}")).Stdout == "True", Up, $"{app} never became ready");
        var created = await Kubectl.RunWithInput(_provider.ToJsonString(), "create", "-f", "-");
        Assert.True(created.Exit == 0, created.ToString());
        var rollout = await Kubectl.Run("-n", "rclone", "rollout", "status", "daemonset/rclone-node", $"--timeout={Up.TotalSeconds:0}s");
        Assert.True(rollout.Exit == 0, rollout.ToString());
    }
}

public sealed class NodeLevelTests(NodeLevelCluster cluster) : IClassFixture<NodeLevelCluster>
{
    const string NotConnected = "Transport endpoint is not connected";

    static void SkipUnlessAvailable() => Skip.If(Availability.Reason is not null, Availability.Reason);

    async Task<Kubectl.Result> K(string ns, params string[] args) => await cluster.Kubectl.Run(["-n", ns, .. args]);

    async Task<Kubectl.Result> Exec(string ns, string pod, string container, string script) =>
        await K(ns, "exec", pod, "-c", container, "--", "sh", "-c", script);

    async Task<string> PodOf(string ns, string selector, string node)
    {
        var name = "";
        await SandboxFixture.WaitFor(async () =>
        {
            var pods = JsonNode.Parse((await K(ns, "get", "pods", "-l", selector, "-o", "json")).Stdout)!["items"]!.AsArray();
            name = pods.FirstOrDefault(p => p!["spec"]!["nodeName"]?.GetValue<string>() == node && p["metadata"]!["deletionTimestamp"] is null
                && p["status"]!["phase"]!.GetValue<string>() == "Running")?["metadata"]!["name"]!.GetValue<string>() ?? "";
            return name.Length > 0;
        }, NodeLevelCluster.Up, $"no running pod {selector} on {node}");
        return name;
    }

    // A file of the zurg tree as every reader sees it below /mnt/media/zurg.
    string ZurgFile(int i) => $"{cluster.Zurg.MountPath}/{TreeGenerator.FilePath(cluster.Zurg, i)}";

    async Task SeesZurg(string ns, string pod, string container) => await SandboxFixture.WaitFor(async () =>
        (await Exec(ns, pod, container, $"cat '{ZurgFile(7)}'")).Stdout.Contains("zurg entry"), NodeLevelCluster.Up, $"{pod} never saw the zurg tree");

    // A copy of plex under another name on another node: a HostToContainer reader of its own.
    async Task<string> Reader(string name, string node, string? propagation = "HostToContainer")
    {
        var copy = JsonNode.Parse((await K("media-stack", "get", "deploy", "plex", "-o", "json")).Stdout)!.AsObject();
        copy["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = "media-stack" };
        copy.Remove("status");
        copy["spec"]!["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["app"] = name } };
        copy["spec"]!["template"]!["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["app"] = name } };
        copy["spec"]!["template"]!["spec"]!["nodeSelector"] = new JsonObject { ["kubernetes.io/hostname"] = node };
        var mount = copy["spec"]!["template"]!["spec"]!["containers"]![0]!["volumeMounts"]![0]!.AsObject();
        if (propagation is null) mount.Remove("mountPropagation");
        var created = await cluster.Kubectl.RunWithInput(copy.ToJsonString(), "create", "-f", "-");
        Assert.True(created.Exit == 0, created.ToString());
        return await PodOf("media-stack", $"app={name}", node);
    }

    [SkippableFact]
    public async Task The_providers_mount_reaches_the_HostToContainer_reader_on_its_node_and_no_other()
    {
        SkipUnlessAvailable();
        var plex = await PodOf("media-stack", "app=plex", "wow-ocp-node2");
        await SeesZurg("media-stack", plex, "plex");
        var seen = await Exec("media-stack", plex, "plex", $"ls -l '{ZurgFile(7)}'; ls -A /mnt/media/zurg/__all__ | wc -l; grep fuse.rclone /proc/self/mountinfo");
        Assert.True(seen.Exit == 0, seen.ToString());
        var lines = seen.Stdout.Split('\n');
        Assert.EndsWith(TreeGenerator.FileName(cluster.Zurg, 7), lines[0]);
        Assert.Equal("2000", lines[1].Trim());
        Assert.Contains(lines, l => l.Contains(" /mnt/media/zurg ") && l.Contains("fuse.rclone zurg:"));
        Assert.Contains(lines, l => l.Contains(" /mnt/media/torbox ") && l.Contains("fuse.rclone torbox:"));

        // sonarr (None, same node, started before the mount): the folder, not the mount.
        var sonarr = await PodOf("media-stack", "app=sonarr", "wow-ocp-node2");
        var none = await Exec("media-stack", sonarr, "sonarr", "grep -c fuse.rclone /proc/self/mountinfo; ls -A /mnt/media/zurg; ls /mnt/media");
        Assert.Equal("0\ntorbox\nzurg", none.Stdout);
        // tdarr (HostToContainer, on the node no provider runs on): not even the folder.
        var tdarr = await PodOf("media-stack", "app=tdarr", "wow-ocp-node4");
        var unserved = await Exec("media-stack", tdarr, "tdarr", "ls -A /mnt/media; ls /mnt/media/zurg");
        Assert.NotEqual(0, unserved.Exit);
        Assert.Equal("", unserved.Stdout);
        Assert.Contains("No such file or directory", unserved.Stderr);

        // /mnt/cloud is the node's own: a file the node2 provider writes there is plex's too,
        // and not what node3's provider sees.
        var node2 = await PodOf("rclone", "app=rclone-node", "wow-ocp-node2");
        var node3 = await PodOf("rclone", "app=rclone-node", "wow-ocp-node3");
        try
        {
            Assert.Equal(0, (await Exec("rclone", node2, "torbox", "echo node2 > /mnt/media/written-on-node2")).Exit);
            Assert.Equal("node2", (await Exec("media-stack", plex, "plex", "cat /mnt/media/written-on-node2")).Stdout);
            Assert.Contains("No such file or directory", (await Exec("rclone", node3, "torbox", "cat /mnt/media/written-on-node2")).Stderr);
        }
        finally { await Exec("rclone", node2, "torbox", "rm -f /mnt/media/written-on-node2"); }

        // Nothing of it on the machine itself: no node trees in its /tmp, no FUSE mount.
        Assert.False(Directory.Exists("/tmp/nodes"));
        Assert.DoesNotContain(File.ReadAllLines("/proc/self/mountinfo"), l => l.Contains("/nodes/wow-ocp-node"));
    }

    [SkippableFact]
    public async Task A_None_reader_started_after_the_mount_holds_a_private_copy_that_dies_with_its_rclone()
    {
        SkipUnlessAvailable();
        var late = await Reader("sonarr-late", "wow-ocp-node2", propagation: null);
        // runc binds the host path recursively: the mount that existed at start is there...
        await SeesZurg("media-stack", late, "plex");

        // ... but a new provider pod's mount never reaches it.
        var provider = await PodOf("rclone", "app=rclone-node", "wow-ocp-node2");
        var deleted = await K("rclone", "delete", "pod", provider, "--wait=false");
        Assert.True(deleted.Exit == 0, deleted.ToString());
        await SandboxFixture.WaitFor(async () => (await PodOf("rclone", "app=rclone-node", "wow-ocp-node2")) != provider, NodeLevelCluster.Up, "no new provider pod");
        var plex = await PodOf("media-stack", "app=plex", "wow-ocp-node2");
        await SeesZurg("media-stack", plex, "plex");
        await SandboxFixture.WaitFor(async () => (await Exec("media-stack", late, "plex", "ls /mnt/media/zurg 2>&1")).Stdout.Contains(NotConnected),
            NodeLevelCluster.Up, "the None reader's copy did not go stale");
        var sonarr = await PodOf("media-stack", "app=sonarr", "wow-ocp-node2");
        Assert.Equal("0", (await Exec("media-stack", sonarr, "sonarr", "grep -c fuse.rclone /proc/self/mountinfo")).Stdout);
    }

    // A bare pod on node2 reading a host path of the given type at /data.
    static string HostPathPod(string name, string path, string type) => $$$"""
        {"apiVersion":"v1","kind":"Pod","metadata":{"name":"{{{name}}}","namespace":"media-stack"},
         "spec":{"serviceAccountName":"media-apps","nodeSelector":{"kubernetes.io/hostname":"wow-ocp-node2"},
          "containers":[{"name":"reader","image":"docker.io/library/alpine:3.20","command":["sh","-c","sleep 3600"],
            "volumeMounts":[{"name":"host","mountPath":"/data"}]}],
          "volumes":[{"name":"host","hostPath":{"path":"{{{path}}}","type":"{{{type}}}"}}]}}
        """;

    async Task<string> FailedMount(string pod)
    {
        var message = "";
        await SandboxFixture.WaitFor(async () => (message = (await K("media-stack", "get", "events", "--field-selector", $"involvedObject.name={pod},reason=FailedMount",
            "-o", "jsonpath={.items[0].message}")).Stdout).Length > 0, NodeLevelCluster.Up, $"no FailedMount event for {pod}");
        return message;
    }

    [SkippableFact]
    public async Task A_host_path_of_the_wrong_type_keeps_the_pod_in_ContainerCreating_with_kubelets_FailedMount_until_it_is_right()
    {
        SkipUnlessAvailable();
        foreach (var (name, path, type) in new[] { ("waits-for-dir", "/mnt/cloud/extra", "Directory"), ("wants-a-file", "/mnt/cloud", "File") })
        {
            var created = await cluster.Kubectl.RunWithInput(HostPathPod(name, path, type), "create", "-f", "-");
            Assert.True(created.Exit == 0, created.ToString());
        }
        Assert.Equal("MountVolume.SetUp failed for volume \"host\" : hostPath /mnt/cloud/extra doesn't exist", await FailedMount("waits-for-dir"));
        Assert.Equal("MountVolume.SetUp failed for volume \"host\" : hostPath type check failed: /mnt/cloud is not a file, it's a Directory", await FailedMount("wants-a-file"));
        Assert.Matches(@"(?m)^waits-for-dir\s+0/1\s+ContainerCreating\s", (await K("media-stack", "get", "pods")).Stdout);

        // The node's provider makes the directory (its /mnt/media is /mnt/cloud): the pod starts.
        var provider = await PodOf("rclone", "app=rclone-node", "wow-ocp-node2");
        try
        {
            Assert.Equal(0, (await Exec("rclone", provider, "torbox", "mkdir /mnt/media/extra && echo here > /mnt/media/extra/file")).Exit);
            await SandboxFixture.WaitFor(async () => (await K("media-stack", "get", "pod", "waits-for-dir", "-o", "jsonpath={.status.phase}")).Stdout == "Running",
                NodeLevelCluster.Up, "the pod did not start once its directory existed");
            await SandboxFixture.WaitFor(async () => (await Exec("media-stack", "waits-for-dir", "reader", "cat /data/file")).Stdout == "here",
                NodeLevelCluster.Up, "the pod does not see the node's directory");
        }
        finally
        {
            await K("media-stack", "delete", "pod", "waits-for-dir", "wants-a-file", "--wait=false");
            await Exec("rclone", provider, "torbox", "rm -rf /mnt/media/extra");
        }
    }

    [SkippableFact]
    public async Task Sigkill_of_the_node_rclone_leaves_readers_ENOTCONN_and_its_restart_refuses_the_stale_mount()
    {
        SkipUnlessAvailable();
        // node3's own reader, so the readers of node2 keep what the other tests look at.
        var reader = await Reader("plex-node3", "wow-ocp-node3");
        await SeesZurg("media-stack", reader, "plex");
        var provider = await PodOf("rclone", "app=rclone-node", "wow-ocp-node3");

        var killed = await cluster.Runtime.ApplyFaultAsync("kill-container",
            new JsonObject { ["namespace"] = "rclone", ["pod"] = provider, ["container"] = "zurg" }, CancellationToken.None);
        Assert.Contains("SIGKILL", killed);
        var stale = await Exec("media-stack", reader, "plex", "ls /mnt/media/zurg 2>&1; ls /mnt/media/torbox | head -n 1");
        Assert.Contains(NotConnected, stale.Stdout);
        Assert.EndsWith("torrents", stale.Stdout);

        // The restarted rclone finds its mount point still mounted (nobody unmounted it) and
        // gives up, as rclone does; the reader keeps the dead mount.
        await SandboxFixture.WaitFor(async () =>
        {
            var logs = await K("rclone", "logs", provider, "-c", "zurg");
            var previous = await K("rclone", "logs", provider, "-c", "zurg", "--previous");
            return (logs.Stdout + previous.Stdout).Contains("Fatal error: directory already mounted, use --allow-non-empty to mount anyway: /mnt/media/zurg");
        }, NodeLevelCluster.Up, "the restarted rclone did not refuse the stale mount");
        Assert.Contains(NotConnected, (await Exec("media-stack", reader, "plex", "ls /mnt/media/zurg 2>&1")).Stdout);
        var plex = await PodOf("media-stack", "app=plex", "wow-ocp-node2");
        await SeesZurg("media-stack", plex, "plex");
    }
}
