using System.Text.Json.Nodes;
using MediaStack.Core.Apps;
using MediaStack.Core.Config;
using MediaStack.Core.Sidecars;

namespace MediaStack.Core.Tests.Pods;

// Deployments -> MediaApp and the one-line sidecar setup summary.
public class MediaAppReaderTests
{
    private static JsonObject Deployment(string name, JsonArray containers, JsonArray? initContainers = null, int ready = 1) => new()
    {
        ["apiVersion"] = "apps/v1",
        ["kind"] = "Deployment",
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = "media-stack", ["labels"] = new JsonObject { ["zone"] = "zone3" } },
        ["spec"] = new JsonObject
        {
            ["replicas"] = 1,
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
        var (app, summary) = MediaAppReader.FromDeployment(Deployment("plex", [Rclone("zurg"), Rclone("torbox"), App("plex")]), MediaStackConfig.Default, MediaAppReader.ClusterSource);

        Assert.Equal(("plex", "media-stack", "zone3"), (app.Name, app.Namespace, app.Zone));
        Assert.Equal(("lscr.io/linuxserver/plex:latest", 8989), (app.Image, app.Port));
        Assert.Equal(SidecarMode.Classic, app.SidecarMode);
        Assert.Equal(["zurg", "torbox"], app.Mounts.Select(mount => mount.Name));
        Assert.Equal("Cluster", app.Source);
        Assert.Equal(("plex", "1/1", "classic: zurg, torbox; app HostToContainer"), (summary.AppContainer, summary.Ready, summary.SidecarSetup));
        Assert.True(summary.SidecarSetupHealthy);
    }

    [Fact]
    public void Native_sidecars_and_what_is_wrong_are_named()
    {
        var (app, summary) = MediaAppReader.FromDeployment(
            Deployment("sonarr", [App("sonarr", propagation: null)], [Rclone("zurg", privileged: false, propagation: "None", native: true)], ready: 0),
            MediaStackConfig.Default, MediaAppReader.FileSource, "apps/sonarr/base/deployment.yaml");

        Assert.Equal(SidecarMode.Native, app.SidecarMode);
        Assert.Equal("apps/sonarr/base/deployment.yaml", app.Path);
        Assert.Equal("0/1", summary.Ready);
        Assert.Equal("native: zurg; app None; not privileged: rclone-zurg; not Bidirectional: rclone-zurg", summary.SidecarSetup);
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
        var (_, legacy) = MediaAppReader.FromDeployment(Deployment("rclone-zurg", [standalone]), MediaStackConfig.Default, MediaAppReader.ClusterSource);
        Assert.Equal("standalone rclone (zurg: at /mnt/media/zurg): its mount reaches no other pod", legacy.SidecarSetup);

        var (bare, plain) = MediaAppReader.FromDeployment(Deployment("bazarr", [App("bazarr")]), MediaStackConfig.Default, MediaAppReader.ClusterSource);
        Assert.Null(bare.SidecarMode);
        Assert.Empty(bare.Mounts);
        Assert.Equal("no rclone sidecars", plain.SidecarSetup);
        Assert.False(plain.SidecarSetupHealthy);
    }
}
