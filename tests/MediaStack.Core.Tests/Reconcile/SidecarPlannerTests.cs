using System.Text.Json.Nodes;
using MediaStack.Core.Config;
using MediaStack.Core.Errors;
using MediaStack.Core.Sidecars;
using MediaStack.Core.Sidecars.Reconcile;
using MediaStack.Core.Yaml;

namespace MediaStack.Core.Tests.Reconcile;

public class SidecarPlannerTests
{
    private static readonly MediaStackConfig Config = MediaStackConfig.Default with { TimeZone = "Etc/UTC" };

    private static JsonObject Deployment(string yaml) => YamlReader.ReadDocuments(yaml)[0];

    private const string Bazarr = """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: bazarr
          resourceVersion: "41"
        spec:
          template:
            metadata:
              labels:
                app: bazarr
            spec:
              containers:
              - name: bazarr
                image: lscr.io/linuxserver/bazarr:latest
                volumeMounts:
                - name: media-storage
                  mountPath: /mnt/media
              - name: nginx
                image: nginx
                unknownField: kept
              volumes:
              - name: media-storage
                persistentVolumeClaim:
                  claimName: media-library-pvc
        """;

    private static JsonArray Containers(JsonObject deployment, string list = "containers") =>
        deployment["spec"]!["template"]!["spec"]![list]!.AsArray();

    private static List<string> Names(JsonArray containers) => containers.Select(container => (string)container!["name"]!).ToList();

    [Fact]
    public void AddsEverythingToAnAppWithoutSidecarsAndASecondRunChangesNothing()
    {
        var plan = SidecarPlanner.Plan(Deployment(Bazarr), Config);
        var after = plan.After();

        Assert.Equal("bazarr", plan.AppContainer);
        Assert.Equal(["rclone-zurg", "rclone-torbox", "bazarr", "nginx"], Names(Containers(after)));
        Assert.Equal(["init-dirs"], Names(Containers(after, "initContainers")));
        Assert.True(JsonNode.DeepEquals(DesiredSidecars.SidecarContainer(Config, Config.Mounts[0], SidecarMode.Classic), Containers(after)[0]));
        Assert.True(JsonNode.DeepEquals(DesiredSidecars.InitDirsContainer(Config), Containers(after, "initContainers")[0]));
        Assert.Equal("HostToContainer", (string?)Containers(after)[2]!["volumeMounts"]![0]!["mountPropagation"]);
        Assert.Equal("kept", (string?)Containers(after)[3]!["unknownField"]);
        var volumes = Names(after["spec"]!["template"]!["spec"]!["volumes"]!.AsArray());
        Assert.Equal(["media-storage", "rclone-zurg-config", "rclone-config"], volumes);
        Assert.Contains(plan.Changes, change => change.ToString() == "bazarr: /mnt/media propagation None -> HostToContainer");

        var second = SidecarPlanner.Plan(after, Config);
        Assert.True(second.IsEmpty);
        Assert.Empty(second.Changes);
    }

    [Fact]
    public void CorrectsWrongSidecarsInPlaceWithoutDuplicatingThem()
    {
        var wrong = SidecarPlanner.Plan(Deployment(Bazarr), Config).After();
        var zurg = Containers(wrong)[0]!.AsObject();
        zurg["securityContext"] = new JsonObject { ["privileged"] = false, ["runAsUser"] = 0 };
        zurg["volumeMounts"]![0]!.AsObject().Remove("mountPropagation");
        zurg["args"]!.AsArray()[11] = "--rc-addr=:5572";
        zurg["lifecycle"]!["preStop"]!["exec"]!["command"]![0] = "fusermount";
        zurg["volumeMounts"]!.AsArray().RemoveAt(1);
        zurg["env"] = new JsonArray(new JsonObject { ["name"] = "GOMEMLIMIT", ["value"] = "900MiB" });

        var plan = SidecarPlanner.Plan(wrong, Config);
        var descriptions = plan.Changes.Select(change => change.ToString()).ToList();
        Assert.Contains("rclone-zurg: set privileged", descriptions);
        Assert.Contains("rclone-zurg: /mnt/media propagation None -> Bidirectional", descriptions);
        Assert.Contains("rclone-zurg: args: removed --rc-addr=:5572, added --rc-addr=127.0.0.1:5572", descriptions);
        Assert.Contains("rclone-zurg: corrected lifecycle (fusermount -> fusermount3)", descriptions);
        Assert.Contains("rclone-zurg: mount rclone-zurg-config at /config/rclone", descriptions);

        var fixedZurg = Containers(plan.After())[0]!.AsObject();
        Assert.Equal(4, Containers(plan.After()).Count);
        Assert.Equal(0, (int)fixedZurg["securityContext"]!["runAsUser"]!);
        Assert.True((bool)fixedZurg["securityContext"]!["privileged"]!);
        Assert.Equal("900MiB", (string?)fixedZurg["env"]![0]!["value"]);
        Assert.True(SidecarPlanner.Plan(plan.After(), Config).IsEmpty);
    }

    [Fact]
    public void MountSubsetAddsOnlyThoseSidecarsAndTheirSecrets()
    {
        var plan = SidecarPlanner.Plan(Deployment(Bazarr), Config, new SidecarPlanOptions { Mounts = ["torbox"] });
        var after = plan.After();
        Assert.Equal(["rclone-torbox", "bazarr", "nginx"], Names(Containers(after)));
        Assert.Equal(["media-storage", "rclone-config"], Names(after["spec"]!["template"]!["spec"]!["volumes"]!.AsArray()));
        // init-dirs always creates every configured mount point.
        Assert.Contains("/mnt/media/zurg", Containers(after, "initContainers")[0]!["command"]![2]!.ToString());
    }

    [Fact]
    public void AnUnknownMountIsRefused()
    {
        var error = Assert.Throws<MediaStackException>(() => SidecarPlanner.Plan(Deployment(Bazarr), Config, new SidecarPlanOptions { Mounts = ["gdrive"] }));
        Assert.Equal(ErrorIds.UnknownMount, error.ErrorId);
    }

    [Fact]
    public void NativeModePutsSidecarsAfterInitDirsAndMovesClassicOnes()
    {
        var classic = SidecarPlanner.Plan(Deployment(Bazarr), Config).After();
        var plan = SidecarPlanner.Plan(classic, Config, new SidecarPlanOptions { Mode = SidecarMode.Native });
        var after = plan.After();
        Assert.Equal(["bazarr", "nginx"], Names(Containers(after)));
        Assert.Equal(["init-dirs", "rclone-zurg", "rclone-torbox"], Names(Containers(after, "initContainers")));
        Assert.Equal("Always", (string?)Containers(after, "initContainers")[1]!["restartPolicy"]);
        // Without -SidecarMode the mode already there is kept.
        Assert.True(SidecarPlanner.Plan(after, Config).IsEmpty);
    }

    [Fact]
    public void RemoveUndoesAddExactly()
    {
        var original = Deployment(Bazarr);
        foreach (var mode in new[] { SidecarMode.Classic, SidecarMode.Native })
        {
            var added = SidecarPlanner.Plan(original, Config, new SidecarPlanOptions { Mode = mode }).After();
            var removed = SidecarPlanner.Plan(added, Config, new SidecarPlanOptions { Remove = true });
            Assert.True(JsonNode.DeepEquals(original, removed.After()), removed.After().ToJsonString());
            Assert.True(SidecarPlanner.Plan(removed.After(), Config, new SidecarPlanOptions { Remove = true }).IsEmpty);
        }
    }

    [Fact]
    public void RemovingOneMountKeepsInitDirsAndTheOtherSidecar()
    {
        var added = SidecarPlanner.Plan(Deployment(Bazarr), Config).After();
        var after = SidecarPlanner.Plan(added, Config, new SidecarPlanOptions { Remove = true, Mounts = ["zurg"] }).After();
        Assert.Equal(["rclone-torbox", "bazarr", "nginx"], Names(Containers(after)));
        Assert.Equal(["init-dirs"], Names(Containers(after, "initContainers")));
        Assert.Equal(["media-storage", "rclone-config"], Names(after["spec"]!["template"]!["spec"]!["volumes"]!.AsArray()));
    }

    [Fact]
    public void TheAppContainerIsNeverSimplyTheFirstContainer()
    {
        var deployment = Deployment("""
            kind: Deployment
            metadata: {name: media}
            spec:
              template:
                metadata:
                  annotations:
                    kubectl.kubernetes.io/default-container: plex
                spec:
                  containers:
                  - name: rclone-zurg
                    image: docker.io/rclone/rclone:latest
                    volumeMounts: [{name: media-storage, mountPath: /mnt/media}]
                  - name: nginx
                    image: nginx
                  - name: plex
                    image: plexinc/pms-docker
            """);
        Assert.Equal("plex", SidecarPlanner.FindAppContainer(deployment, Config, null));
        deployment["spec"]!["template"]!["metadata"]!.AsObject().Remove("annotations");
        var error = Assert.Throws<MediaStackException>(() => SidecarPlanner.Plan(deployment, Config));
        Assert.Equal(ErrorIds.AppContainerNotFound, error.ErrorId);
        Assert.Contains("-AppContainer nginx | plex", error.RecommendedAction);
        var named = SidecarPlanner.Plan(deployment, Config, new SidecarPlanOptions { AppContainer = "plex" });
        Assert.Equal(["rclone-zurg", "rclone-torbox", "nginx", "plex"], Names(Containers(named.After())));
        var wrongName = Assert.Throws<MediaStackException>(() => SidecarPlanner.Plan(deployment, Config, new SidecarPlanOptions { AppContainer = "sonarr" }));
        Assert.Equal(ErrorIds.AppContainerNotFound, wrongName.ErrorId);
    }

    [Fact]
    public void TheClusterPatchTestsTheResourceVersionFirst()
    {
        var patch = SidecarPlanner.Plan(Deployment(Bazarr), Config).ToJsonPatch();
        Assert.Equal("""{"op":"test","path":"/metadata/resourceVersion","value":"41"}""", patch[0]!.ToJsonString());
        Assert.All(patch.Skip(1), operation => Assert.StartsWith("/spec/template/spec/", (string)operation!["path"]!));
    }

    [Fact]
    public void AnythingButADeploymentIsRefused()
    {
        var error = Assert.Throws<MediaStackException>(() => SidecarPlanner.Plan(Deployment("kind: Service\nmetadata: {name: x}\nspec: {}\n"), Config));
        Assert.Equal(ErrorIds.NotADeployment, error.ErrorId);
    }

    [Fact]
    public void ACustomLaunchIsKeptButItsDangerousPartsAreFixed()
    {
        var added = SidecarPlanner.Plan(Deployment(Bazarr), Config).After();
        var zurg = Containers(added)[0]!.AsObject();
        zurg["command"] = new JsonArray("/bin/sh", "-c");
        zurg["args"] = new JsonArray("fusermount -uz /mnt/media/zurg 2>/dev/null; exec rclone mount zurg: /mnt/media/zurg --rc --rc-no-auth --rc-addr :5572");
        var plan = SidecarPlanner.Plan(added, Config);
        Assert.Equal("rclone-zurg: custom command kept; rc bound to 127.0.0.1, fusermount -> fusermount3", Assert.Single(plan.Changes).ToString());
        Assert.Equal("fusermount3 -uz /mnt/media/zurg 2>/dev/null; exec rclone mount zurg: /mnt/media/zurg --rc --rc-no-auth --rc-addr 127.0.0.1:5572",
            (string?)Containers(plan.After())[0]!["args"]![0]);
        Assert.True(SidecarPlanner.Plan(plan.After(), Config).IsEmpty);
    }
}
