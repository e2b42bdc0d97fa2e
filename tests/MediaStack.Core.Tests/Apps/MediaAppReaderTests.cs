using System.Text.Json.Nodes;
using MediaStack.Core.Apps;
using MediaStack.Core.Config;
using MediaStack.Core.Sidecars;
using MediaStack.Core.Workloads;

namespace MediaStack.Core.Tests.Apps;

// Workloads -> MediaApp and the one-line sidecar setup summary, both from the workload model.
public class MediaAppReaderTests
{
    private static readonly MediaStackConfig Config = Workloads.Manifest.StackConfig;

    private static JsonObject Deployment(string name, JsonArray containers, JsonArray? initContainers = null, int ready = 1) => new()
    {
        ["apiVersion"] = "apps/v1",
        ["kind"] = "Deployment",
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = "media-stack", ["labels"] = new JsonObject { ["zone"] = "zone3" } },
        ["spec"] = new JsonObject
        {
            ["replicas"] = 1,
            ["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["app"] = name } },
            ["template"] = new JsonObject
            {
                ["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["app"] = name } },
                ["spec"] = new JsonObject { ["containers"] = containers, ["initContainers"] = initContainers ?? [] },
            },
        },
        ["status"] = new JsonObject { ["readyReplicas"] = ready },
    };

    private static JsonObject Rclone(string mount, bool privileged = true, string propagation = "Bidirectional", bool native = false)
    {
        var container = new JsonObject
        {
            ["name"] = $"rclone-{mount}",
            ["image"] = "docker.io/rclone/rclone:latest",
            ["args"] = new JsonArray("mount", $"{mount}:", $"/mnt/media/{mount}", "--allow-other"),
            ["securityContext"] = new JsonObject { ["privileged"] = privileged },
            ["volumeMounts"] = new JsonArray(new JsonObject { ["name"] = "media-storage", ["mountPath"] = "/mnt/media", ["mountPropagation"] = propagation }),
        };
        if (native)
        {
            container["restartPolicy"] = "Always";
        }
        return container;
    }

    private static JsonObject App(string name, string? propagation = "HostToContainer")
    {
        var mount = new JsonObject { ["name"] = "media-storage", ["mountPath"] = "/mnt/media" };
        if (propagation is not null)
        {
            mount["mountPropagation"] = propagation;
        }
        return new JsonObject
        {
            ["name"] = name,
            ["image"] = $"lscr.io/linuxserver/{name}:latest",
            ["ports"] = new JsonArray(new JsonObject { ["containerPort"] = 8989 }),
            ["volumeMounts"] = new JsonArray(mount),
        };
    }

    [Fact]
    public void A_healthy_classic_app()
    {
        var (app, summary) = MediaAppReader.FromResource(Deployment("plex", [Rclone("zurg"), Rclone("torbox"), App("plex")]), Config, MediaAppReader.ClusterSource);

        Assert.Equal(("plex", "media-stack", "zone3"), (app.Name, app.Namespace, app.Zone));
        Assert.Equal(("lscr.io/linuxserver/plex:latest", 8989), (app.Image, app.Port));
        Assert.Equal(SidecarMode.Classic, app.SidecarMode);
        Assert.Equal(["zurg", "torbox"], app.Mounts.Select(mount => mount.Name));
        Assert.Equal("Cluster", app.Source);
        Assert.Equal(("plex", "1/1", "classic: zurg, torbox; app HostToContainer"), (summary.AppContainer, summary.Ready, summary.SidecarSetup));
        Assert.True(summary.SidecarSetupHealthy);
        Assert.Equal("HostToContainer", summary.AppPropagation);
        Assert.Equal(["rclone-zurg", "rclone-torbox"], summary.RcloneSidecars);
        Assert.Equal(("Deployment", WorkloadKind.MediaApp, "plex"), (app.ResourceKind, app.Kind, app.AppContainer));
        Assert.Equal(["rclone-zurg", "rclone-torbox"], app.Sidecars);
        Assert.Equal("rclone-zurg,rclone-torbox", app.SidecarSummary);
        Assert.Equal("app=plex", app.Selector);
        Assert.Equal("default", app.ServiceAccount);
    }

    [Fact]
    public void Native_sidecars_and_what_is_wrong_are_named()
    {
        var (app, summary) = MediaAppReader.FromResource(
            Deployment("sonarr", [App("sonarr", propagation: null)], [Rclone("zurg", privileged: false, propagation: "None", native: true)], ready: 0),
            Config, MediaAppReader.FileSource, "apps/sonarr/base/deployment.yaml");

        Assert.Equal(SidecarMode.Native, app.SidecarMode);
        Assert.Equal("apps/sonarr/base/deployment.yaml", app.Path);
        Assert.Equal("0/1", summary.Ready);
        // The torbox mount the app expects has no sidecar: said too.
        Assert.Equal("native: zurg; app None; not privileged: rclone-zurg; not Bidirectional: rclone-zurg; no sidecar for: torbox", summary.SidecarSetup);
        Assert.False(summary.SidecarSetupHealthy);
    }

    [Fact]
    public void A_standalone_rclone_deployment_and_an_app_without_sidecars()
    {
        var standalone = new JsonObject
        {
            ["name"] = "rclone",
            ["image"] = "docker.io/rclone/rclone:latest",
            ["args"] = new JsonArray("mount", "zurg:", "/mnt/media/zurg"),
        };
        var (_, legacy) = MediaAppReader.FromResource(Deployment("rclone-zurg", [standalone]), Config, MediaAppReader.ClusterSource);
        Assert.Equal("legacy standalone rclone (only rclone mounts (zurg: at /mnt/media/zurg) and no app: the mount reaches no other pod)", legacy.SidecarSetup);
        Assert.Null(legacy.AppContainer);

        var (bare, plain) = MediaAppReader.FromResource(Deployment("bazarr", [App("bazarr")]), Config, MediaAppReader.ClusterSource);
        Assert.Null(bare.SidecarMode);
        Assert.Empty(bare.Mounts);
        Assert.Equal("no rclone sidecars; no sidecar for: zurg, torbox", plain.SidecarSetup);
        Assert.False(plain.SidecarSetupHealthy);
        Assert.Equal("<none>", bare.SidecarSummary);
    }

    [Fact]
    public void Node_level_mounts_gateways_and_unrelated_workloads_are_named()
    {
        var nodeServed = Deployment("plex", [App("plex")]);
        nodeServed["spec"]!["template"]!["spec"]!["volumes"] = new JsonArray(new JsonObject { ["name"] = "media-storage", ["hostPath"] = new JsonObject { ["path"] = "/var/mnt/cloud" } });
        var zurg = new JsonObject { ["name"] = "zurg", ["image"] = "ghcr.io/debridmediamanager/zurg-testing:v0.9.3-final" };
        var homepage = new JsonObject { ["name"] = "homepage", ["image"] = "ghcr.io/gethomepage/homepage:latest" };

        var (node, nodeSummary) = MediaAppReader.FromResource(nodeServed, Config, MediaAppReader.ClusterSource);
        var (_, gateway) = MediaAppReader.FromResource(Deployment("zurg", [zurg]), Config, MediaAppReader.ClusterSource);
        var (other, unrelated) = MediaAppReader.FromResource(Deployment("homepage", [homepage]), Config, MediaAppReader.ClusterSource);

        Assert.Equal(("node-level mounts through media-storage (hostPath /var/mnt/cloud); app HostToContainer", true), (nodeSummary.SidecarSetup, nodeSummary.SidecarSetupHealthy));
        Assert.Null(node.SidecarMode);
        Assert.Empty(node.Mounts);
        Assert.Equal(("gateway (zurg serves the cloud to other pods (ghcr.io/debridmediamanager/zurg-testing:v0.9.3-final) and mounts nothing for an app)", false), (gateway.SidecarSetup, gateway.SidecarSetupHealthy));
        Assert.Equal(("not a media workload", false), (unrelated.SidecarSetup, unrelated.SidecarSetupHealthy));
        Assert.Equal(WorkloadKind.Unrelated, other.Kind);
    }

    [Fact]
    public void A_statefulset_and_a_bare_pod_are_read_too()
    {
        var statefulSet = Deployment("audiobookshelf", [Rclone("zurg"), App("audiobookshelf")], ready: 0);
        statefulSet["kind"] = "StatefulSet";
        statefulSet["spec"]!["replicas"] = 2;
        var pod = new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Pod",
            ["metadata"] = new JsonObject { ["name"] = "media-shell", ["namespace"] = "tools" },
            ["spec"] = new JsonObject { ["serviceAccount"] = "debug", ["containers"] = new JsonArray(App("shell")) },
        };

        var (app, summary) = MediaAppReader.FromResource(statefulSet, Config, MediaAppReader.FileSource, "apps/abs.yaml");
        var (shell, shellSummary) = MediaAppReader.FromResource(pod, Config, MediaAppReader.PipelineSource);

        Assert.Equal(("StatefulSet", "0/2", SidecarMode.Classic), (app.ResourceKind, summary.Ready, app.SidecarMode));
        Assert.Equal(["zurg"], app.Mounts.Select(mount => mount.Name));
        Assert.Equal(("Pod", "tools", "debug", "0/1", "Pipeline"), (shell.ResourceKind, shell.Namespace, shell.ServiceAccount, shellSummary.Ready, shell.Source));
        Assert.Null(shell.Selector);
        Assert.Same(app.Workload.Resource, app.Deployment);
    }

    [Fact]
    public void A_daemonset_is_ready_by_its_nodes_not_by_replicas_it_does_not_have()
    {
        var provider = Deployment("rclone-node", [Rclone("zurg")]);
        provider["kind"] = "DaemonSet";
        provider["spec"]!.AsObject().Remove("replicas");
        provider["status"] = new JsonObject { ["desiredNumberScheduled"] = 2, ["currentNumberScheduled"] = 2, ["numberReady"] = 1 };

        var (app, summary) = MediaAppReader.FromResource(provider, Config, MediaAppReader.ClusterSource);

        Assert.Equal((WorkloadKind.NodeMountProvider, "1/2"), (app.Kind, summary.Ready));
    }
}
