using MediaStack.Core.Config;
using MediaStack.Core.Sidecars;
using MediaStack.Core.Workloads;
using static MediaStack.Core.Tests.Workloads.Manifest;

namespace MediaStack.Core.Tests.Workloads;

// What the one workload model decides, on the shapes other people's manifests have.
public class WorkloadTests
{
    private const string SidecarsFirst = """
        kind: Deployment
        metadata: {name: media}
        spec:
          template:
            spec:
              containers:
              - {name: rclone-zurg, image: docker.io/rclone/rclone, args: [mount, "zurg:", /mnt/media/zurg], volumeMounts: [{name: m, mountPath: /mnt/media, mountPropagation: Bidirectional}]}
              - {name: nginx, image: nginx}
              - {name: server, image: plexinc/pms-docker, volumeMounts: [{name: m, mountPath: /mnt/media}]}
              volumes: [{name: m, persistentVolumeClaim: {claimName: media-library-pvc}}]
        """;

    [Fact]
    public void Sidecars_listed_first_are_never_taken_for_the_app()
    {
        var workload = Of(SidecarsFirst);

        Assert.Equal("server", workload.App!.Name);
        Assert.Equal("first container that is not rclone, a server or a known helper and sees the media root", workload.AppReason);
        Assert.Equal(["rclone-zurg=RcloneMount", "nginx=Helper", "server=App"], Roles(workload));
        Assert.Equal(WorkloadKind.MediaApp, workload.Kind);
        Assert.Equal("app container server with 1 rclone mount sidecar(s)", workload.KindReason);
        Assert.Equal(SidecarMode.Classic, workload.SidecarMode);
    }

    [Fact]
    public void The_default_container_annotation_wins_but_never_names_a_sidecar()
    {
        var annotated = Of(SidecarsFirst.Replace("  template:\n", "  template:\n    metadata: {annotations: {kubectl.kubernetes.io/default-container: nginx}}\n"));
        var plex = Of("""
            kind: Deployment
            metadata: {name: plex}
            spec:
              template:
                metadata: {annotations: {kubectl.kubernetes.io/default-container: web}}
                spec:
                  containers: [{name: helper, image: x}, {name: plex, image: y}, {name: web, image: z}]
            """);

        // nginx is a known helper: the annotation cannot make it the app.
        Assert.Equal("server", annotated.App!.Name);
        Assert.Equal("web", plex.App!.Name);
        Assert.Equal("annotation kubectl.kubernetes.io/default-container", plex.AppReason);
    }

    [Theory]
    [InlineData("metadata: {name: sonarr}", "", "sonarr", "named after the Deployment")]
    [InlineData("metadata: {name: tv}", "metadata: {labels: {app: sonarr}}", "sonarr", "named after the app label")]
    [InlineData("metadata: {name: tv}", "metadata: {labels: {app.kubernetes.io/name: sonarr}}", "sonarr", "named after the app.kubernetes.io/name label")]
    [InlineData("metadata: {name: tv, labels: {app: sonarr}}", "", "sonarr", "named after the app label")]
    public void The_app_is_the_container_named_after_the_workload_or_its_app_labels(string metadata, string templateMetadata, string app, string reason)
    {
        // The helper sees the media root and comes first: a name beats it.
        var workload = Of($$"""
            kind: Deployment
            {{metadata}}
            spec:
              template:
                {{templateMetadata}}
                spec:
                  containers:
                  - {name: rclone-zurg, image: rclone/rclone, args: [mount, "zurg:", /mnt/media/zurg], volumeMounts: [{name: m, mountPath: /mnt/media}]}
                  - {name: helper, image: busybox, volumeMounts: [{name: m, mountPath: /mnt/media}]}
                  - {name: sonarr, image: lscr.io/linuxserver/sonarr}
            """);

        Assert.Equal((app, reason), (workload.App!.Name, workload.AppReason));
    }

    [Fact]
    public void A_live_pod_is_named_after_its_owner()
    {
        var pod = Document("""
            kind: Pod
            metadata: {name: sonarr-7c6b9d8f5-abcde, labels: {app: tv}}
            spec:
              containers: [{name: rclone-zurg, image: rclone/rclone, args: [mount, "zurg:", /mnt/media/zurg]}, {name: helper, image: x}, {name: sonarr, image: y}]
            """);

        var owned = Workload.FromPod(pod, "sonarr", StackConfig);
        var bare = Workload.FromPod(pod, null, StackConfig);

        Assert.Equal(("sonarr", "named after the owning workload"), (owned.App!.Name, owned.AppReason));
        // Without an owner, no name matches and no container sees the media root: the
        // first is looked through, as a guess.
        Assert.Equal(("helper", true), (bare.App!.Name, bare.AppIsGuess));
        Assert.Equal("a guess: none of helper, sonarr is named after the workload, carries the kubectl.kubernetes.io/default-container annotation or sees the media root", bare.AppReason);
        Assert.False(owned.AppIsGuess);
    }

    [Fact]
    public void AppContainer_names_the_app_when_the_model_cannot()
    {
        var workload = Of(Deployment("media", """
            containers:
            - {name: rclone-zurg, image: rclone/rclone, args: [mount, "zurg:", /mnt/media/zurg], volumeMounts: [{name: m, mountPath: /mnt/media}]}
            - {name: one, image: x}
            - {name: two, image: y}
            """), appContainer: "two");

        Assert.Equal(("two", "named by -AppContainer"), (workload.App!.Name, workload.AppReason));
        Assert.Equal(["rclone-zurg=RcloneMount", "one=Other", "two=App"], Roles(workload));
    }

    [Theory]
    [InlineData("{name: webdav, image: docker.io/rclone/rclone:1.68, args: [serve, webdav, \"zurg:\", --addr, \":8080\"]}", "webdav", "rclone serve")]
    [InlineData("{name: cloud, image: docker.io/rclone/rclone, command: [rclone, serve, nfs, \"torbox:\"]}", "cloud", "rclone serve")]
    [InlineData("{name: zurg, image: ghcr.io/debridmediamanager/zurg-testing:v0.9.3-final, volumeMounts: [{name: m, mountPath: /mnt/media}]}", "zurg", "ghcr.io/debridmediamanager/zurg-testing:v0.9.3-final")]
    [InlineData("{name: real-debrid, image: ghcr.io/debridmediamanager/zurg:latest}", "real-debrid", "ghcr.io/debridmediamanager/zurg:latest")]
    public void Servers_make_a_gateway(string container, string name, string how)
    {
        var workload = Of($$$"""
            kind: Deployment
            metadata: {name: cloud-gateway}
            spec:
              template:
                spec:
                  containers: [{{{container}}}]
                  volumes: [{name: m, persistentVolumeClaim: {claimName: media-library-pvc}}]
            """);

        Assert.Equal(WorkloadKind.Gateway, workload.Kind);
        Assert.Equal([$"{name}=Server"], Roles(workload));
        Assert.Equal($"{name} serves the cloud to other pods ({how}) and mounts nothing for an app", workload.KindReason);
        Assert.Null(workload.App);
        Assert.Empty(workload.ExpectedMounts);
    }

    [Theory]
    [InlineData("rdt-client", "rogerfar/rdtclient:latest")]
    [InlineData("riven", "spoked/riven:latest")]
    [InlineData("decypharr", "cy01/blackhole:latest")]
    public void Debrid_download_clients_are_media_apps_not_gateways(string name, string image)
    {
        var workload = Of($$$"""
            kind: Deployment
            metadata: {name: {{{name}}}}
            spec:
              template:
                spec:
                  containers: [{name: {{{name}}}, image: {{{image}}}, volumeMounts: [{name: m, mountPath: /mnt/media}]}]
                  volumes: [{name: m, persistentVolumeClaim: {claimName: media-library-pvc}}]
            """);

        Assert.Equal(WorkloadKind.MediaApp, workload.Kind);
        Assert.Equal($"app container {name} reads /mnt/media", workload.KindReason);
        Assert.Equal(["zurg /mnt/media/zurg (none)", "torbox /mnt/media/torbox (none)"], Expected(workload));
    }

    [Fact]
    public void A_daemonset_mounting_into_a_host_path_is_a_node_mount_provider()
    {
        var workload = Of("""
            kind: DaemonSet
            metadata: {name: rclone-node}
            spec:
              template:
                spec:
                  containers:
                  - {name: zurg, image: rclone/rclone, securityContext: {privileged: true}, args: [mount, "zurg:", /mnt/media/zurg, --allow-other], volumeMounts: [{name: host, mountPath: /mnt/media, mountPropagation: Bidirectional}]}
                  volumes: [{name: host, hostPath: {path: /var/mnt/cloud, type: DirectoryOrCreate}}]
            """);

        Assert.Equal(WorkloadKind.NodeMountProvider, workload.Kind);
        Assert.Equal("DaemonSet mounting zurg: at /mnt/media/zurg on every node it runs on", workload.KindReason);
        Assert.Equal("host (hostPath /var/mnt/cloud)", workload.MediaVolume!.ToString());
        Assert.True(workload.MediaVolume.IsHostPath);
        Assert.Equal("/mnt/media", workload.MediaRoot);
        Assert.Empty(workload.ExpectedMounts);
        Assert.Null(workload.SidecarMode);
    }

    [Theory]
    [InlineData("kind: Pod\nmetadata: {name: rclone-torbox}\nspec: SPEC\n")]
    [InlineData("kind: Deployment\nmetadata: {name: rclone-torbox}\nspec: {template: {spec: SPEC}}\n")]
    public void Rclone_alone_is_the_legacy_standalone_pattern(string shape)
    {
        var yaml = shape.Replace("SPEC", "{containers: [{name: rclone, image: rclone/rclone, args: [mount, \"torbox:\", /data/torbox], volumeMounts: [{name: d, mountPath: /data}]}], volumes: [{name: d, emptyDir: {}}]}");

        var workload = Of(yaml);

        Assert.Equal(WorkloadKind.StandaloneRclone, workload.Kind);
        Assert.Equal("only rclone mounts (torbox: at /data/torbox) and no app: the mount reaches no other pod", workload.KindReason);
        Assert.Equal(["rclone=RcloneMount"], Roles(workload));
        Assert.Equal(("d", "/data"), (workload.MediaVolume!.Name, workload.MediaRoot));
    }

    [Fact]
    public void Rclone_next_to_containers_none_of_which_reads_it_is_a_media_app_with_a_guessed_app()
    {
        // Not the standalone pattern: something in the pod was meant to read the mount, and
        // a check must look (and fail), not skip it as legacy.
        var workload = Of("""
            kind: Deployment
            metadata: {name: media}
            spec:
              template:
                spec:
                  containers:
                  - {name: rclone-zurg, image: docker.io/rclone/rclone:latest, args: [mount, "zurg:", /mnt/media/zurg], volumeMounts: [{name: media-storage, mountPath: /mnt/media}]}
                  - {name: web, image: nginx-unprivileged-app}
                  - {name: worker, image: example/worker}
                  volumes: [{name: media-storage, persistentVolumeClaim: {claimName: media-library-pvc}}]
            """);

        Assert.Equal((WorkloadKind.MediaApp, "web", true), (workload.Kind, workload.App!.Name, workload.AppIsGuess));
        Assert.StartsWith("a guess: none of web, worker", workload.AppReason);
        Assert.Null(workload.AppMediaMount);
        Assert.Contains(workload.ExpectedMounts, mount => mount.Name == "zurg" && mount.Sidecar?.Name == "rclone-zurg");
    }

    [Fact]
    public void A_workload_that_neither_reads_the_media_root_nor_mounts_is_unrelated()
    {
        var workload = Of("""
            kind: Deployment
            metadata: {name: homepage}
            spec: {template: {spec: {containers: [{name: homepage, image: ghcr.io/gethomepage/homepage, volumeMounts: [{name: c, mountPath: /app/config}]}]}}}
            """);

        Assert.Equal(WorkloadKind.Unrelated, workload.Kind);
        Assert.Equal("homepage does not mount /mnt/media and the pod runs no rclone mount", workload.KindReason);
        Assert.Equal(["homepage=App"], Roles(workload));
        Assert.Empty(workload.ExpectedMounts);
        Assert.Null(workload.MediaVolume);
    }

    [Fact]
    public void An_unconfigured_remote_is_expected_under_the_name_of_its_remote()
    {
        var workload = Of(Deployment("jellyfin", """
            containers:
            - {name: rd, image: rclone/rclone, args: [mount, "Real_Debrid:", /mnt/media/rd], volumeMounts: [{name: m, mountPath: /mnt/media, mountPropagation: Bidirectional}]}
            - {name: gdrive, image: rclone/rclone, args: [mount, "gdrive:Movies", /mnt/media/gdrive], volumeMounts: [{name: m, mountPath: /mnt/media, mountPropagation: Bidirectional}]}
            - {name: gdrive2, image: rclone/rclone, args: [mount, "gdrive:Shows", /mnt/media/shows], volumeMounts: [{name: m, mountPath: /mnt/media, mountPropagation: Bidirectional}]}
            - {name: jellyfin, image: jellyfin/jellyfin, volumeMounts: [{name: m, mountPath: /mnt/media, mountPropagation: HostToContainer}]}
            volumes: [{name: m, persistentVolumeClaim: {claimName: media-library-pvc}}]
            """));

        // The configured mounts first (no sidecar serves them), then one per other sidecar.
        Assert.Equal(
            ["zurg /mnt/media/zurg (none)", "torbox /mnt/media/torbox (none)", "real-debrid /mnt/media/rd (rd)", "gdrive /mnt/media/gdrive (gdrive)", "gdrive-2 /mnt/media/shows (gdrive2)"],
            Expected(workload));
        var rd = workload.ExpectedMount("real-debrid")!;
        Assert.Null(rd.Configured);
        Assert.Equal(("Real_Debrid:", "", "/mnt/media/rd", 0L, 0L), (rd.Remote, rd.ProbePath, rd.ProbeFullPath, rd.OkAbove, rd.WarnAbove));
        Assert.Same(workload.Container("rd"), rd.Sidecar);
        Assert.Same(rd, workload.MountServedBy(workload.Container("rd")!));
    }

    [Fact]
    public void A_sidecar_named_otherwise_serves_the_configured_mount_at_its_path()
    {
        var workload = Of(Deployment("plex", """
            containers:
            - {name: realdebrid, image: rclone/rclone, args: [mount, "zurg:", /mnt/media/zurg/], volumeMounts: [{name: m, mountPath: /mnt/media}]}
            - {name: plex, image: plexinc/pms-docker, volumeMounts: [{name: m, mountPath: /mnt/media}]}
            volumes: [{name: m, persistentVolumeClaim: {claimName: media-library-pvc}}]
            """));

        var zurg = workload.ExpectedMount("zurg")!;
        Assert.Equal(("realdebrid", "/mnt/media/zurg", "/mnt/media/zurg/__all__"), (zurg.ServedBy, zurg.MountPath, zurg.ProbeFullPath));
        Assert.Same(StackConfig.Mounts[0], zurg.Configured);
        Assert.Equal("zurg at /mnt/media/zurg (realdebrid)", zurg.ToString());
    }

    [Fact]
    public void An_expected_mount_probes_below_its_path_and_says_what_serves_it()
    {
        var configured = ExpectedMount.From(StackConfig.Mounts[0], "/data/zurg/");
        var unconfigured = ExpectedMount.Unconfigured("gdrive", "/mnt/media/gdrive");

        Assert.Equal(("/data/zurg/__all__", 1000L, 100L, "zurg:", "none", false), (configured.ProbeFullPath, configured.OkAbove, configured.WarnAbove, configured.Remote, configured.ServedBy, configured.IsServed));
        Assert.Equal(("/mnt/media/gdrive", null, "none"), (unconfigured.ProbeFullPath, unconfigured.Remote, unconfigured.ServedBy));
        Assert.Equal(("node", true), ((configured with { ServedByNode = true }).ServedBy, (configured with { ServedByNode = true }).IsServed));
    }

    [Fact]
    public void The_app_may_see_the_media_volume_at_another_path_than_the_sidecars()
    {
        var workload = Of(Deployment("sonarr", """
            containers:
            - {name: rclone-zurg, image: rclone/rclone, args: [mount, "zurg:", /mnt/media/zurg], volumeMounts: [{name: media, mountPath: /mnt/media, mountPropagation: Bidirectional}]}
            - {name: sonarr, image: lscr.io/linuxserver/sonarr, volumeMounts: [{name: media, mountPath: /config, subPath: config/sonarr}, {name: media, mountPath: /data, mountPropagation: HostToContainer}]}
            volumes: [{name: media, persistentVolumeClaim: {claimName: media-library-pvc}}]
            """));

        Assert.Equal("sonarr", workload.App!.Name);
        Assert.Equal(("media", "/mnt/media"), (workload.MediaVolume!.Name, workload.MediaRoot));
        // Both paths are the app's view: the sidecar's mount through the volume, the
        // unserved mount relative to where the app mounts the media volume.
        Assert.Equal(["zurg /data/zurg (rclone-zurg)", "torbox /data/torbox (none)"], Expected(workload));
        Assert.Equal("/data/zurg/__all__", workload.ExpectedMount("zurg")!.ProbeFullPath);
        Assert.Equal(1, workload.AppMediaMount!.Value.Index);
    }

    [Fact]
    public void The_app_container_rule_sees_media_roots_other_than_the_configured_one()
    {
        var workload = Of(Deployment("music", """
            containers:
            - {name: webdav-mount, image: rclone/rclone, args: [mount, "nas:share", /music/share], volumeMounts: [{name: music, mountPath: /music, mountPropagation: Bidirectional}]}
            - {name: exporter, image: prom/node-exporter}
            - {name: navidrome, image: deluan/navidrome, volumeMounts: [{name: music, mountPath: /music, mountPropagation: HostToContainer}]}
            volumes: [{name: music, emptyDir: {}}]
            """));

        Assert.Equal("navidrome", workload.App!.Name);
        Assert.Equal("first container that is not rclone, a server or a known helper and sees the media root", workload.AppReason);
        Assert.Equal(("music", "/music"), (workload.MediaVolume!.Name, workload.MediaRoot));
        // Not the configured layout: only what the sidecars mount is expected.
        Assert.Equal(["nas /music/share (webdav-mount)"], Expected(workload));
    }

    [Fact]
    public void Native_sidecars_and_init_dirs_are_told_apart()
    {
        var workload = Of(Deployment("plex", """
            initContainers:
            - {name: init-dirs, image: alpine, command: [sh, -c, mkdir -p /mnt/media/zurg], volumeMounts: [{name: m, mountPath: /mnt/media}]}
            - {name: rclone-zurg, image: rclone/rclone, restartPolicy: Always, args: [mount, "zurg:", /mnt/media/zurg], volumeMounts: [{name: m, mountPath: /mnt/media}]}
            - {name: migrate, image: busybox, command: [sh, -c, "cp -r /old /new"]}
            containers: [{name: plex, image: y, volumeMounts: [{name: m, mountPath: /mnt/media, mountPropagation: HostToContainer}]}]
            volumes: [{name: m, persistentVolumeClaim: {claimName: media-library-pvc}}]
            """));

        Assert.Equal(["init-dirs=InitDirs", "rclone-zurg=RcloneMount", "migrate=Other", "plex=App"], Roles(workload));
        var sidecar = workload.Container("rclone-zurg")!;
        Assert.True(sidecar.IsNativeSidecar && sidecar.IsLongRunning && sidecar.IsInit);
        Assert.False(workload.Container("init-dirs")!.IsLongRunning);
        Assert.Equal(("spec.template.spec.initContainers[1]", "/spec/template/spec/initContainers/1"), (sidecar.Path, sidecar.Pointer));
        Assert.Same(sidecar, workload.ExpectedMount("zurg")!.Sidecar);
        Assert.Null(workload.ExpectedMount("torbox")!.Sidecar);
        Assert.Equal(SidecarMode.Native, workload.SidecarMode);
        Assert.Equal(["init-dirs"], workload.InitDirs.Select(container => container.Name));
    }

    [Fact]
    public void An_init_container_that_makes_folders_elsewhere_is_not_init_dirs()
    {
        var workload = Of(Deployment("plex", """
            initContainers: [{name: prepare, image: alpine, command: [sh, -c, mkdir -p /config/cache], volumeMounts: [{name: config, mountPath: /config}]}]
            containers: [{name: plex, image: y, volumeMounts: [{name: m, mountPath: /mnt/media}, {name: config, mountPath: /config}]}]
            volumes: [{name: m, persistentVolumeClaim: {claimName: media-library-pvc}}, {name: config, emptyDir: {}}]
            """));

        Assert.Equal(["prepare=Other", "plex=App"], Roles(workload));
        Assert.Empty(workload.InitDirs);
    }

    [Fact]
    public void MountCovering_picks_the_longest_prefix_and_ignores_sub_paths()
    {
        var workload = Of(Deployment("plex", """
            containers:
            - name: plex
              image: y
              volumeMounts:
              - {name: m, mountPath: /mnt/media/zurg, subPath: zurg}
              - {name: m, mountPath: /mnt}
              - {name: m, mountPath: /mnt/media/}
            """));

        Assert.Equal(2, workload.App!.MountCovering("/mnt/media/zurg")!.Value.Index);
        Assert.Equal(1, workload.App.MountCovering("/mnt/mediathek")!.Value.Index);
        Assert.Null(workload.App.MountCovering("/srv"));
    }

    [Theory]
    [InlineData("zurg", new[] { "zurg /mnt/media/zurg (none)" })]
    [InlineData(" torbox , zurg ", new[] { "zurg /mnt/media/zurg (none)", "torbox /mnt/media/torbox (none)" })]
    [InlineData("none", new string[0])]
    [InlineData("", new string[0])]
    public void The_mounts_annotation_narrows_what_the_app_expects(string annotation, string[] expected)
    {
        var workload = Of("""
            kind: Deployment
            metadata: {name: overseerr, annotations: {mediastack.io/mounts: "ANNOTATION"}}
            spec:
              template:
                spec:
                  containers: [{name: overseerr, image: x, volumeMounts: [{name: m, mountPath: /mnt/media}]}]
            """.Replace("ANNOTATION", annotation));

        Assert.Equal(WorkloadKind.MediaApp, workload.Kind);
        Assert.Equal(expected, Expected(workload));
        Assert.Equal($"annotation mediastack.io/mounts={annotation}", workload.MountsNarrowedBy);
    }

    [Fact]
    public void The_config_narrows_too_the_annotation_wins_and_a_served_mount_stays_expected()
    {
        var config = StackConfig with { AppMounts = new Dictionary<string, IReadOnlyList<string>> { ["bazarr"] = ["torbox"] } };
        const string Bazarr = """
            kind: Deployment
            metadata: {name: bazarr}
            spec:
              template:
                ANNOTATIONS
                spec:
                  containers:
                  - {name: rclone-zurg, image: rclone/rclone, args: [mount, "zurg:", /mnt/media/zurg], volumeMounts: [{name: m, mountPath: /mnt/media}]}
                  - {name: bazarr, image: x, volumeMounts: [{name: m, mountPath: /mnt/media}]}
            """;

        var configured = Of(Bazarr.Replace("ANNOTATIONS", ""), config);
        var annotated = Of(Bazarr.Replace("ANNOTATIONS", "metadata: {annotations: {mediastack.io/mounts: none}}"), config);
        var plain = Of(Bazarr.Replace("ANNOTATIONS", ""));

        // The zurg sidecar is there: its mount is expected whatever the narrowing says.
        Assert.Equal(["zurg /mnt/media/zurg (rclone-zurg)", "torbox /mnt/media/torbox (none)"], Expected(configured));
        Assert.Equal("config AppMounts.bazarr", configured.MountsNarrowedBy);
        Assert.Equal(["torbox"], configured.WantedConfiguredMounts().Select(mount => mount.Name));
        Assert.Equal(["zurg /mnt/media/zurg (rclone-zurg)"], Expected(annotated));
        Assert.Equal("annotation mediastack.io/mounts=none", annotated.MountsNarrowedBy);
        Assert.Empty(annotated.WantedConfiguredMounts());
        Assert.Null(plain.MountsNarrowedBy);
        Assert.Equal(["zurg", "torbox"], plain.WantedConfiguredMounts().Select(mount => mount.Name));
    }

    [Fact]
    public void A_host_path_media_volume_is_served_by_the_node()
    {
        var workload = Of(Deployment("plex", """
            containers: [{name: plex, image: x, volumeMounts: [{name: cloud, mountPath: /mnt/media, mountPropagation: HostToContainer}]}]
            volumes: [{name: cloud, hostPath: {path: /var/mnt/cloud}}]
            """));

        Assert.Equal(["zurg /mnt/media/zurg (node)", "torbox /mnt/media/torbox (node)"], Expected(workload));
        Assert.All(workload.ExpectedMounts, mount => Assert.True(mount.IsServed && mount.ServedByNode && mount.Sidecar is null));
        Assert.Equal("zurg:", workload.ExpectedMount("zurg")!.Remote);
    }

    [Theory]
    [InlineData("serviceAccountName: sonarr, serviceAccount: legacy", "sonarr")]
    [InlineData("serviceAccount: legacy", "legacy")]
    [InlineData("serviceAccountName: \"\", serviceAccount: legacy", "legacy")]
    [InlineData("dnsPolicy: ClusterFirst", "default")]
    public void The_deprecated_serviceAccount_is_honoured(string fields, string expected)
    {
        var workload = Of($"kind: Deployment\nmetadata: {{name: sonarr}}\nspec: {{template: {{spec: {{{fields}, containers: [{{name: sonarr, image: x}}]}}}}}}\n");

        Assert.Equal(expected, workload.ServiceAccount);
    }

    [Fact]
    public void A_pod_spec_media_volume_that_is_not_defined_has_no_source()
    {
        var workload = Of(Deployment("plex", "containers: [{name: plex, image: x, volumeMounts: [{name: ghost, mountPath: /mnt/media}]}]"));

        Assert.Equal("ghost (undefined)", workload.MediaVolume!.ToString());
        Assert.Null(workload.MediaVolume.Index);
        Assert.Null(workload.MediaVolume.ClaimName);
    }

    [Theory]
    [InlineData("Deployment", "deployment/x (MediaApp)", "spec.template.spec", "/spec/template/spec")]
    [InlineData("StatefulSet", "statefulset/x (MediaApp)", "spec.template.spec", "/spec/template/spec")]
    [InlineData("ReplicaSet", "replicaset/x (MediaApp)", "spec.template.spec", "/spec/template/spec")]
    public void Every_controller_kind_has_its_pod_spec_under_the_template(string kind, string display, string path, string pointer)
    {
        var workload = Of($"kind: {kind}\nmetadata: {{name: x}}\nspec: {{template: {{spec: {{containers: [{{name: x, image: y, volumeMounts: [{{name: m, mountPath: /mnt/media}}]}}]}}}}}}\n");

        Assert.Equal((kind, display, path, pointer), (workload.ResourceKind, workload.ToString(), workload.SpecPath, workload.SpecPointer));
        Assert.Equal("spec.template.spec.containers[0]", workload.App!.Path);
    }

    [Fact]
    public void Labels_and_annotations_of_the_pod_template_come_before_the_workloads()
    {
        var workload = Of("""
            kind: Deployment
            metadata: {name: x, labels: {zone: zone1, app: outer}, annotations: {a: outer}}
            spec: {template: {metadata: {labels: {app: inner}, annotations: {a: inner}}, spec: {containers: [{name: x, image: y}]}}}
            """);

        Assert.Equal(("inner", "zone1", "inner"), (workload.Label("app"), workload.Label("zone"), workload.Annotation("a")));
        Assert.Null(workload.Label("missing"));
    }
}
