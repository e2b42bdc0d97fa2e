using System.Text.Json.Nodes;
using MediaStack.Core.Config;
using MediaStack.Core.Errors;
using MediaStack.Core.Manifests;
using MediaStack.Core.Sidecars;
using MediaStack.Core.Yaml;

namespace MediaStack.Core.Tests.Manifests;

public class MediaAppBuilderTests
{
    [Fact]
    public void DeploymentMatchesTheSeedTemplateWithTheSeedPreset()
    {
        var app = Generated.Prowlarr(config: MediaStackPresets.Get(MediaStackPreset.Seed));
        var deployment = app.Deployment;

        Assert.Equal("apps/v1", (string?)deployment["apiVersion"]);
        Assert.Equal(["apiVersion", "kind", "metadata", "spec"], deployment.Select(entry => entry.Key));
        Assert.Equal("prowlarr", (string?)deployment["metadata"]!["name"]);
        Assert.Equal("media-stack", (string?)deployment["metadata"]!["namespace"]);
        var labels = new JsonObject { ["app"] = "prowlarr", ["zone"] = "zone2", ["stack"] = "hybrid-media" };
        Assert.True(JsonNode.DeepEquals(labels, deployment["metadata"]!["labels"]));
        Assert.True(JsonNode.DeepEquals(labels, deployment["spec"]!["template"]!["metadata"]!["labels"]));
        Assert.Null(deployment["spec"]!["template"]!["metadata"]!["annotations"]);
        Assert.Equal(1, deployment["spec"]!["replicas"]!.GetValue<long>());
        Assert.Equal("Recreate", (string?)deployment["spec"]!["strategy"]!["type"]);
        Assert.True(JsonNode.DeepEquals(new JsonObject { ["app"] = "prowlarr" }, deployment["spec"]!["selector"]!["matchLabels"]));
        Assert.Equal("managers", (string?)app.Pod["serviceAccountName"]);
        Assert.Equal(1000, app.Pod["securityContext"]!["fsGroup"]!.GetValue<long>());
        Assert.Null(app.Pod["nodeSelector"]);
        var preferred = Generated.Items(app.Pod["affinity"]!["nodeAffinity"]!["preferredDuringSchedulingIgnoredDuringExecution"]).Single();
        Assert.Null(app.Pod["affinity"]!["nodeAffinity"]!["requiredDuringSchedulingIgnoredDuringExecution"]);
        Assert.Equal(100, preferred["weight"]!.GetValue<long>());
        var expression = Generated.Items(preferred["preference"]!["matchExpressions"]).Single();
        Assert.Equal("kubernetes.io/hostname", (string?)expression["key"]);
        Assert.Equal("In", (string?)expression["operator"]);
        Assert.Equal(["wow-ocp-node2", "wow-ocp-node3"], Generated.Strings(expression["values"]));
    }

    // With no config, nothing of anyone's cluster: no node names, no stack label.
    [Fact]
    public void DefaultsNameNoNodeAndNoStack()
    {
        var app = Generated.Prowlarr();

        Assert.Null(app.Pod["affinity"]);
        var labels = new JsonObject { ["app"] = "prowlarr", ["zone"] = "zone2" };
        Assert.True(JsonNode.DeepEquals(labels, app.Deployment["metadata"]!["labels"]));
        Assert.True(JsonNode.DeepEquals(labels, app.Deployment["spec"]!["template"]!["metadata"]!["labels"]));
        Assert.True(JsonNode.DeepEquals(labels, Assert.Single(Generated.Items(app.Kustomization["labels"]))["pairs"]));
        Assert.DoesNotContain("wow-ocp", app.Yaml);
        Assert.DoesNotContain("hybrid-media", app.Yaml);
        Assert.DoesNotContain(":latest", app.Yaml);
    }

    // Requests and limits follow what the app is: a light indexer, an *arr, a media server.
    [Theory]
    [InlineData("prowlarr", "lscr.io/linuxserver/prowlarr:1.24.3", null, "50m", "128Mi", "500m", "512Mi")]
    [InlineData("subs", "lscr.io/linuxserver/bazarr:1.4.5", null, "50m", "128Mi", "500m", "512Mi")]
    [InlineData("sonarr", "lscr.io/linuxserver/sonarr:4.0.11", null, "500m", "512Mi", "2", "2Gi")]
    [InlineData("plex", "docker.io/plexinc/pms-docker:1.41.3.9314-a0bfb8370", null, "1", "2Gi", "4", "8Gi")]
    [InlineData("jellyfin", "docker.io/jellyfin/jellyfin:10.10.3", null, "1", "2Gi", "4", "8Gi")]
    [InlineData("prowlarr", "lscr.io/linuxserver/prowlarr:1.24.3", AppClass.MediaServer, "1", "2Gi", "4", "8Gi")]
    public void ResourcesFollowTheAppClass(string name, string image, AppClass? appClass, string cpuRequest, string memoryRequest, string cpuLimit, string memoryLimit)
    {
        var app = new Generated(new MediaAppSpec(name, image, 8080) { Class = appClass });

        AssertResources(app.Container(name), cpuRequest, memoryRequest, cpuLimit, memoryLimit);
        Assert.Equal(appClass ?? AppClasses.Of(name, image), app.App.Class);
    }

    [Fact]
    public void InitDirsCreatesEveryMountPoint()
    {
        var app = Generated.Prowlarr();

        var init = Assert.Single(app.InitContainers);
        Assert.Equal("init-dirs", (string?)init["name"]);
        Assert.Equal("docker.io/library/alpine:3.20", (string?)init["image"]);
        var command = Generated.Strings(init["command"]);
        Assert.Equal(["/bin/sh", "-c"], command.Take(2));
        Assert.Contains("mkdir -p /mnt/media/zurg /mnt/media/torbox\n", command[2]);
        var mount = Assert.Single(Generated.Items(init["volumeMounts"]));
        Assert.Equal("/mnt/media", (string?)mount["mountPath"]);
        Assert.Null(mount["mountPropagation"]);
        AssertResources(init, "10m", "16Mi", "100m", "64Mi");
    }

    [Theory]
    [InlineData("zurg", "zurg:", "/mnt/media/zurg", "rclone-zurg-config", 5572)]
    [InlineData("torbox", "torbox:", "/mnt/media/torbox", "rclone-config", 5573)]
    public void ClassicSidecarHasEveryFieldOfTheParityTable(string name, string remote, string path, string secret, int rcPort)
    {
        var app = Generated.Prowlarr();

        var sidecar = app.Container($"rclone-{name}");
        Assert.Contains(sidecar, app.Containers);
        Assert.Equal("docker.io/rclone/rclone:1.68.2", (string?)sidecar["image"]);
        Assert.Null(sidecar["restartPolicy"]);
        Assert.True(sidecar["securityContext"]!["privileged"]!.GetValue<bool>());
        Assert.Equal(
            [
                "mount", remote, path, "--config=/config/rclone/rclone.conf", "--allow-other", "--vfs-cache-mode=full",
                "--poll-interval=10s", "--dir-cache-time=10s", "--attr-timeout=10s", "--rc", "--rc-no-auth",
                $"--rc-addr=127.0.0.1:{rcPort}", "--log-level=INFO", "--cache-dir=/cache", "--vfs-cache-max-size=5G",
            ],
            Generated.Strings(sidecar["args"]));
        var mounts = Generated.Items(sidecar["volumeMounts"]);
        Assert.Equal("media-storage", (string?)mounts[0]["name"]);
        Assert.Equal("/mnt/media", (string?)mounts[0]["mountPath"]);
        Assert.Equal("Bidirectional", (string?)mounts[0]["mountPropagation"]);
        Assert.Equal(secret, (string?)mounts[1]["name"]);
        Assert.Equal("/config/rclone", (string?)mounts[1]["mountPath"]);
        Assert.True(mounts[1]["readOnly"]!.GetValue<bool>());
        Assert.Equal($"rclone-{name}-cache", (string?)mounts[2]["name"]);
        Assert.Equal("/cache", (string?)mounts[2]["mountPath"]);
        AssertResources(sidecar, "100m", "256Mi", "500m", "1Gi");
        // The probes read the mount table; they never touch the FUSE path.
        var mountCheck = DesiredSidecars.MountCheck(MediaStackConfig.Default.Mounts.Single(m => m.Name == name));
        Assert.StartsWith($"awk -v path={path} -v type=fuse.rclone ", mountCheck);
        AssertExecProbe(sidecar["livenessProbe"], mountCheck, 30, 30, 10, 3);
        AssertExecProbe(sidecar["startupProbe"], mountCheck, 10, 5, 5, 12);
        Assert.Equal(["fusermount3", "-uz", path], Generated.Strings(sidecar["lifecycle"]!["preStop"]!["exec"]!["command"]));
    }

    [Fact]
    public void AppContainerReceivesMountsAndIsNeverPrivileged()
    {
        var app = Generated.Prowlarr();

        Assert.Equal(["rclone-zurg", "rclone-torbox", "prowlarr"], app.Containers.Select(container => (string?)container["name"]));
        var main = app.Container("prowlarr");
        Assert.Equal("lscr.io/linuxserver/prowlarr:1.24.3", (string?)main["image"]);
        Assert.Null(main["securityContext"]);
        var env = Generated.Items(main["env"]).ToDictionary(entry => (string)entry["name"]!, entry => (string?)entry["value"]);
        Assert.Equal(["PUID", "PGID", "TZ", "UMASK"], env.Keys);
        Assert.Equal("1000", env["PUID"]);
        Assert.Equal("1000", env["PGID"]);
        Assert.Equal(MediaStackConfig.Default.TimeZone, env["TZ"]);
        Assert.Equal("022", env["UMASK"]);
        var port = Assert.Single(Generated.Items(main["ports"]));
        Assert.Equal(9696, port["containerPort"]!.GetValue<long>());
        Assert.Equal("http", (string?)port["name"]);
        Assert.Equal("TCP", (string?)port["protocol"]);
        var mounts = Generated.Items(main["volumeMounts"]);
        Assert.Equal(["/config", "/config/rclone", "/mnt/media"], mounts.Select(mount => (string?)mount["mountPath"]));
        Assert.Equal("config/prowlarr", (string?)mounts[0]["subPath"]);
        Assert.Equal("config/rclone", (string?)mounts[1]["subPath"]);
        Assert.Equal("HostToContainer", (string?)mounts[2]["mountPropagation"]);
        Assert.All(mounts, mount => Assert.Equal("media-storage", (string?)mount["name"]));
        AssertTcpProbe(main["livenessProbe"], 9696, 40, 20, 5, 3);
        AssertTcpProbe(main["readinessProbe"], 9696, 20, 10, 5, 3);
        AssertResources(main, "50m", "128Mi", "500m", "512Mi");
    }

    [Fact]
    public void VolumesAreThePvcAndReadOnlySecrets()
    {
        var app = Generated.Prowlarr();

        Assert.Equal(["media-storage", "rclone-zurg-config", "rclone-zurg-cache", "rclone-config", "rclone-torbox-cache"], app.Volumes.Select(volume => (string?)volume["name"]));
        Assert.Equal("media-library-pvc", (string?)app.Volumes[0]["persistentVolumeClaim"]!["claimName"]);
        Assert.Equal("rclone-zurg-config", (string?)app.Volumes[1]["secret"]!["secretName"]);
        Assert.Equal("rclone-config", (string?)app.Volumes[3]["secret"]!["secretName"]);
        Assert.All(app.Volumes.Where(volume => volume["secret"] is not null), volume => Assert.Equal(256, volume["secret"]!["defaultMode"]!.GetValue<long>()));
        Assert.Equal(["10Gi", "10Gi"], app.Volumes.Where(volume => volume["emptyDir"] is not null).Select(volume => (string?)volume["emptyDir"]!["sizeLimit"]));
    }

    [Fact]
    public void ServiceAndRouteMatchTheSeed()
    {
        var app = Generated.Prowlarr();

        Assert.Equal("v1", (string?)app.Service["apiVersion"]);
        Assert.Equal("ClusterIP", (string?)app.Service["spec"]!["type"]);
        Assert.Equal("prowlarr", (string?)app.Service["spec"]!["selector"]!["app"]);
        var port = Assert.Single(Generated.Items(app.Service["spec"]!["ports"]));
        Assert.Equal(9696, port["port"]!.GetValue<long>());
        Assert.Equal(9696, port["targetPort"]!.GetValue<long>());
        Assert.Equal("http", (string?)port["name"]);
        Assert.Equal("None", (string?)app.Service["spec"]!["sessionAffinity"]);

        Assert.Equal("route.openshift.io/v1", (string?)app.Route["apiVersion"]);
        Assert.Equal("5m", (string?)app.Route["metadata"]!["annotations"]!["haproxy.router.openshift.io/timeout"]);
        Assert.Null(app.Route["spec"]!["host"]);
        Assert.Equal("Service", (string?)app.Route["spec"]!["to"]!["kind"]);
        Assert.Equal("prowlarr", (string?)app.Route["spec"]!["to"]!["name"]);
        Assert.Equal("http", (string?)app.Route["spec"]!["port"]!["targetPort"]);
        Assert.Equal("edge", (string?)app.Route["spec"]!["tls"]!["termination"]);
        Assert.Equal("Redirect", (string?)app.Route["spec"]!["tls"]!["insecureEdgeTerminationPolicy"]);
    }

    [Fact]
    public void RouteHostComesFromTheClusterDomainOrIsGivenOutright()
    {
        Assert.Equal("prowlarr.apps.example.com", (string?)Generated.Prowlarr(spec => spec with { ClusterDomain = "example.com" }).Route["spec"]!["host"]);
        Assert.Equal("prowlarr.apps.lab.internal", (string?)Generated.Prowlarr(config: MediaStackConfig.Default with { ClusterDomain = "lab.internal" }).Route["spec"]!["host"]);
        Assert.Equal("indexer.example.org", (string?)Generated.Prowlarr(spec => spec with { ClusterDomain = "example.com", RouteHost = "indexer.example.org" }).Route["spec"]!["host"]);
    }

    [Fact]
    public void KustomizationListsTheFilesAndLeavesSelectorsAlone()
    {
        var kustomization = Generated.Prowlarr().Kustomization;

        Assert.Equal("kustomize.config.k8s.io/v1beta1", (string?)kustomization["apiVersion"]);
        Assert.Equal("media-stack", (string?)kustomization["namespace"]);
        Assert.Equal(["deployment.yaml", "service.yaml", "route.yaml"], Generated.Strings(kustomization["resources"]));
        Assert.Null(kustomization["commonLabels"]);
        var labels = Assert.Single(Generated.Items(kustomization["labels"]));
        Assert.False(labels["includeSelectors"]!.GetValue<bool>());
        Assert.True(JsonNode.DeepEquals(new JsonObject { ["app"] = "prowlarr", ["zone"] = "zone2" }, labels["pairs"]));
    }

    [Fact]
    public void NothingUnrenderedAnywhere()
    {
        var app = Generated.Prowlarr();

        Assert.DoesNotContain("{{", app.Yaml + YamlWriter.Write(app.App.Kustomization!) + app.App.Readme);
        Assert.DoesNotContain("checksum/", app.Yaml);
    }

    [Fact]
    public void NoSidecarReallyGeneratesWithoutSidecars()
    {
        var app = Generated.Prowlarr(spec => spec with { NoSidecar = true });

        Assert.Null(app.Pod["initContainers"]);
        Assert.Equal(["prowlarr"], app.Containers.Select(container => (string?)container["name"]));
        Assert.Equal(["media-storage"], app.Volumes.Select(volume => (string?)volume["name"]));
        Assert.DoesNotContain("mountPropagation", app.Yaml);
        Assert.DoesNotContain("privileged", app.Yaml);
        Assert.Empty(app.App.Sidecars);
        Assert.Empty(app.App.Mounts);
        Assert.Null(app.App.SidecarMode);
    }

    [Fact]
    public void NativeModeRunsSidecarsAsInitContainersGatedOnTheFuseMount()
    {
        var app = Generated.Prowlarr(spec => spec with { SidecarMode = SidecarMode.Native });

        Assert.Equal(["init-dirs", "rclone-zurg", "rclone-torbox"], app.InitContainers.Select(container => (string?)container["name"]));
        Assert.Equal(["prowlarr"], app.Containers.Select(container => (string?)container["name"]));
        foreach (var (name, path) in new[] { ("rclone-zurg", "/mnt/media/zurg"), ("rclone-torbox", "/mnt/media/torbox") })
        {
            var sidecar = app.Container(name);
            Assert.Equal("Always", (string?)sidecar["restartPolicy"]);
            Assert.True(sidecar["securityContext"]!["privileged"]!.GetValue<bool>());
            Assert.Equal(["fusermount3", "-uz", path], Generated.Strings(sidecar["lifecycle"]!["preStop"]!["exec"]!["command"]));
            var script = Generated.Strings(sidecar["startupProbe"]!["exec"]!["command"])[2]!;
            Assert.Contains("/proc/self/mountinfo", script);
            Assert.Contains("fuse.rclone", script);
            Assert.Contains($"path={path} ", script);
        }
        Assert.Null(app.Container("init-dirs")["restartPolicy"]);
        Assert.Equal(["rclone-zurg", "rclone-torbox"], app.App.Sidecars);
        Assert.Equal(SidecarMode.Native, app.App.SidecarMode);
    }

    [Fact]
    public void AThirdMountInTheConfigGetsItsOwnSidecarDirectoryAndSecret()
    {
        var defaults = MediaStackConfig.Default;
        var config = defaults with
        {
            Mounts = [.. defaults.Mounts, new RcloneMount("pcloud", "pcloud:media", "/mnt/media/pcloud", "", "rclone-pcloud", "rclone-pcloud", 5574, 5, 0)],
        };

        var app = Generated.Prowlarr(config: config);

        var sidecar = app.Container("rclone-pcloud");
        Assert.Equal(["mount", "pcloud:media", "/mnt/media/pcloud"], Generated.Strings(sidecar["args"]).Take(3));
        Assert.Contains("--rc-addr=127.0.0.1:5574", Generated.Strings(sidecar["args"]));
        Assert.Contains("mkdir -p /mnt/media/zurg /mnt/media/torbox /mnt/media/pcloud\n", Generated.Strings(app.Container("init-dirs")["command"])[2]);
        Assert.Contains(app.Volumes, volume => (string?)volume["secret"]?["secretName"] == "rclone-pcloud");
        Assert.Equal(["rclone-zurg", "rclone-torbox", "rclone-pcloud", "prowlarr"], app.Containers.Select(container => (string?)container["name"]));
    }

    [Theory]
    [InlineData("zone1", "cloud-gateway")]
    [InlineData("zone2", "managers")]
    [InlineData("zone3", "plex")]
    [InlineData("zone4", "discovery")]
    public void ServiceAccountFollowsTheZone(string zone, string account)
    {
        var app = Generated.Prowlarr(spec => spec with { Zone = zone });

        Assert.Equal(account, (string?)app.Pod["serviceAccountName"]);
        Assert.Equal(zone, (string?)app.Deployment["metadata"]!["labels"]!["zone"]);
        Assert.Equal(zone, (string?)app.Service["metadata"]!["labels"]!["zone"]);
    }

    [Fact]
    public void EveryOptionReachesTheManifests()
    {
        var app = Generated.Prowlarr(spec => spec with
        {
            Namespace = "media",
            ServiceAccount = "indexers",
            CpuRequest = "0.25",
            MemoryRequest = "256Mi",
            CpuLimit = "1",
            MemoryLimit = "1024Mi",
            TimeZone = "Europe/Paris",
            Environment = new Dictionary<string, string> { ["PUID"] = "1001", ["DOCKER_MODS"] = "linuxserver/mods:universal-cron" },
            Replicas = 0,
        });

        Assert.Equal("media", (string?)app.Deployment["metadata"]!["namespace"]);
        Assert.Equal("media", (string?)app.Route["metadata"]!["namespace"]);
        Assert.Equal("media", (string?)app.Kustomization["namespace"]);
        Assert.Equal("indexers", (string?)app.Pod["serviceAccountName"]);
        Assert.Equal(0, app.Deployment["spec"]!["replicas"]!.GetValue<long>());
        AssertResources(app.Container("prowlarr"), "250m", "256Mi", "1", "1Gi");
        var env = Generated.Items(app.Container("prowlarr")["env"]).Select(entry => $"{entry["name"]}={entry["value"]}");
        Assert.Equal(["PUID=1001", "PGID=1000", "TZ=Europe/Paris", "UMASK=022", "DOCKER_MODS=linuxserver/mods:universal-cron"], env);
        Assert.Equal("media", app.App.Namespace);
        Assert.Equal("indexers", app.App.ServiceAccount);
    }

    [Theory]
    [InlineData("../x", null, 9696, null, null, null, "InvalidAppName")]
    [InlineData("Prowlarr", null, 9696, null, null, null, "InvalidAppName")]
    [InlineData("rclone-zurg", null, 9696, null, null, null, "InvalidAppName")]
    [InlineData("init-dirs", null, 9696, null, null, null, "InvalidAppName")]
    [InlineData("con", null, 9696, null, null, null, "InvalidAppName")]
    [InlineData("aux", null, 9696, null, null, null, "InvalidAppName")]
    [InlineData("nul", null, 9696, null, null, null, "InvalidAppName")]
    [InlineData("lpt1", null, 9696, null, null, null, "InvalidAppName")]
    [InlineData("com9", null, 9696, null, null, null, "InvalidAppName")]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", null, 9696, null, null, null, "InvalidAppName")]
    [InlineData("prowlarr", "", 9696, null, null, null, "InvalidImageReference")]
    [InlineData("prowlarr", "LSCR.io/Prowlarr", 9696, null, null, null, "InvalidImageReference")]
    [InlineData("prowlarr", null, 0, null, null, null, "InvalidPort")]
    [InlineData("prowlarr", null, 65536, null, null, null, "InvalidPort")]
    [InlineData("prowlarr", null, 9696, "zone9", null, null, "UnknownZone")]
    [InlineData("prowlarr", null, 9696, null, "lots", null, "InvalidQuantity")]
    [InlineData("prowlarr", null, 9696, null, "3", null, "RequestAboveLimit")]
    [InlineData("prowlarr", null, 9696, null, null, "4Gi", "RequestAboveLimit")]
    public void BadInputHasAStableErrorId(string name, string? image, int port, string? zone, string? cpuRequest, string? memoryRequest, string errorId)
    {
        var spec = new MediaAppSpec(name, image ?? "lscr.io/linuxserver/prowlarr:latest", port)
        {
            Zone = zone,
            CpuRequest = cpuRequest,
            MemoryRequest = memoryRequest,
        };

        var error = Assert.Throws<MediaStackException>(() => MediaAppBuilder.Build(spec, MediaStackConfig.Default));

        Assert.Equal(errorId, error.ErrorId);
        Assert.Equal(ErrorCategory.InvalidArgument, error.Category);
    }

    [Theory]
    [InlineData("Replicas", "InvalidReplicas")]
    [InlineData("Environment", "InvalidEnvironment")]
    [InlineData("TimeZone", "InvalidTimeZone")]
    [InlineData("RouteHost", "InvalidRouteHost")]
    [InlineData("ClusterDomain", "InvalidRouteHost")]
    [InlineData("Namespace", "InvalidNamespace")]
    [InlineData("ServiceAccount", "InvalidServiceAccount")]
    public void BadOptionsHaveAStableErrorId(string option, string errorId)
    {
        var spec = new MediaAppSpec("prowlarr", "lscr.io/linuxserver/prowlarr:latest", 9696);
        spec = option switch
        {
            "Replicas" => spec with { Replicas = -1 },
            "Environment" => spec with { Environment = new Dictionary<string, string> { ["1BAD"] = "x" } },
            "TimeZone" => spec with { TimeZone = "New York" },
            "RouteHost" => spec with { RouteHost = "bad_host.example.com" },
            "ClusterDomain" => spec with { ClusterDomain = "-bad" },
            "Namespace" => spec with { Namespace = "Media" },
            _ => spec with { ServiceAccount = "Bad Account" },
        };

        Assert.Equal(errorId, Assert.Throws<MediaStackException>(() => MediaAppBuilder.Build(spec, MediaStackConfig.Default)).ErrorId);
    }

    [Fact]
    public void AnInvalidConfigIsRefusedBeforeAnythingIsBuilt()
    {
        var config = MediaStackConfig.Default with { DefaultZone = "nowhere" };

        var error = Assert.Throws<ConfigException>(() => MediaAppBuilder.Build(new MediaAppSpec("prowlarr", "lscr.io/linuxserver/prowlarr:latest", 9696), config));

        Assert.Equal("ConfigInvalid", error.ErrorId);
        Assert.Contains(error.Problems, problem => problem.Field == "DefaultZone");
    }

    [Fact]
    public void ArgoApplicationSyncsTheBaseFolderWithPruneAndSelfHeal()
    {
        var app = Generated.Prowlarr().App;

        var application = YamlReader.ReadDocuments(YamlWriter.Write(app.BuildArgoApplication("https://github.com/org/gitops.git"))).Single();

        Assert.Equal("argoproj.io/v1alpha1", (string?)application["apiVersion"]);
        Assert.Equal("Application", (string?)application["kind"]);
        Assert.Equal("prowlarr", (string?)application["metadata"]!["name"]);
        Assert.Equal("openshift-gitops", (string?)application["metadata"]!["namespace"]);
        Assert.Equal("default", (string?)application["spec"]!["project"]);
        Assert.Equal("https://github.com/org/gitops.git", (string?)application["spec"]!["source"]!["repoURL"]);
        Assert.Equal("apps/prowlarr/base", (string?)application["spec"]!["source"]!["path"]);
        Assert.Equal("main", (string?)application["spec"]!["source"]!["targetRevision"]);
        Assert.Equal("https://kubernetes.default.svc", (string?)application["spec"]!["destination"]!["server"]);
        Assert.Equal("media-stack", (string?)application["spec"]!["destination"]!["namespace"]);
        Assert.True(application["spec"]!["syncPolicy"]!["automated"]!["prune"]!.GetValue<bool>());
        Assert.True(application["spec"]!["syncPolicy"]!["automated"]!["selfHeal"]!.GetValue<bool>());
        Assert.Equal("release", (string?)app.BuildArgoApplication("git@github.com:org/gitops.git", "release")["spec"]!["source"]!["targetRevision"]);
        Assert.Equal("InvalidRepoUrl", Assert.Throws<MediaStackException>(() => app.BuildArgoApplication("")).ErrorId);
    }

    [Fact]
    public void ReadmeDescribesTheApp()
    {
        var readme = Generated.Prowlarr(spec => spec with { ClusterDomain = "example.com" }).App.Readme!;

        Assert.StartsWith("# prowlarr\n", readme);
        Assert.Contains("| Zone | zone2 |", readme);
        Assert.Contains("`lscr.io/linuxserver/prowlarr:1.24.3`", readme);
        Assert.Contains("| Port | 9696 |", readme);
        Assert.Contains("request 50m, limit 500m", readme);
        Assert.Contains("request 128Mi, limit 512Mi", readme);
        Assert.Contains("http://prowlarr.media-stack.svc:9696", readme);
        Assert.Contains("https://prowlarr.apps.example.com", readme);
        Assert.Contains("git add apps/prowlarr/base", readme);
        Assert.Contains("oc logs -n media-stack deployment/prowlarr -c rclone-zurg", readme);
        Assert.Contains("oc get route prowlarr -n media-stack", Generated.Prowlarr().App.Readme);
    }

    [Fact]
    public void QuantitiesArePrintedCanonically()
    {
        var app = Generated.Prowlarr(spec => spec with { CpuLimit = "2000m", MemoryRequest = "0.5Gi" });

        Assert.Contains("cpu: \"2\"\n", app.Yaml);
        AssertResources(app.Container("prowlarr"), "50m", "512Mi", "2", "512Mi");
    }

    private static void AssertResources(JsonNode container, string cpuRequest, string memoryRequest, string cpuLimit, string memoryLimit)
    {
        var resources = container["resources"]!;
        Assert.Equal(cpuRequest, (string?)resources["requests"]!["cpu"]);
        Assert.Equal(memoryRequest, (string?)resources["requests"]!["memory"]);
        Assert.Equal(cpuLimit, (string?)resources["limits"]!["cpu"]);
        Assert.Equal(memoryLimit, (string?)resources["limits"]!["memory"]);
    }

    private static void AssertExecProbe(JsonNode? probe, string script, int delay, int period, int timeout, int failures)
    {
        Assert.NotNull(probe);
        Assert.Equal(["/bin/sh", "-c", script], Generated.Strings(probe["exec"]!["command"]));
        AssertTiming(probe, delay, period, timeout, failures);
    }

    private static void AssertTcpProbe(JsonNode? probe, int port, int delay, int period, int timeout, int failures)
    {
        Assert.NotNull(probe);
        Assert.Equal(port, probe["tcpSocket"]!["port"]!.GetValue<long>());
        AssertTiming(probe, delay, period, timeout, failures);
    }

    private static void AssertTiming(JsonNode probe, int delay, int period, int timeout, int failures)
    {
        Assert.Equal(delay, probe["initialDelaySeconds"]!.GetValue<long>());
        Assert.Equal(period, probe["periodSeconds"]!.GetValue<long>());
        Assert.Equal(timeout, probe["timeoutSeconds"]!.GetValue<long>());
        Assert.Equal(failures, probe["failureThreshold"]!.GetValue<long>());
    }
}
