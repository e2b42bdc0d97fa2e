using MediaStack.Core.Config;
using MediaStack.Core.Pods;
using MediaStack.Core.Workloads;

namespace MediaStack.Core.Tests.Pods;

public class MediaPodFactoryTests
{
    private static readonly MediaStackConfig Config = Workloads.Manifest.StackConfig;

    private static readonly DateTime Now = new(2026, 11, 25, 21, 0, 0, DateTimeKind.Utc);

    private static MediaPod FromJson(string json) => MediaPodFactory.FromJson(json, Config, Now);

    private static MediaPod Sidecars(string[] containers, string? appLabel = "plex", string? defaultContainer = null, string? replicaSet = "plex-7d9f", string? hash = "7d9f") =>
        FromJson(PodJson.Pod("plex-7d9f-abcde", containers, appLabel: appLabel, replicaSet: replicaSet, hash: hash, defaultContainer: defaultContainer, args: PodJson.SeedArgs));

    [Fact]
    public void Sidecars_listed_first_do_not_become_the_app_container()
    {
        var pod = Sidecars(["rclone-zurg", "rclone-torbox", "nginx", "plex"]);

        Assert.Equal("plex", pod.AppContainer);
        Assert.Equal("named after the owning workload", pod.AppContainerReason);
        Assert.Equal(["rclone-zurg", "rclone-torbox", "nginx"], pod.Sidecars);
        Assert.Equal(("plex", "Deployment", WorkloadKind.MediaApp), (pod.App, pod.OwnerKind, pod.Kind));
        Assert.Equal("Pod", pod.Workload.ResourceKind);
    }

    [Fact]
    public void The_default_container_annotation_wins()
    {
        var pod = Sidecars(["rclone-zurg", "server", "plex"], defaultContainer: "server");

        Assert.Equal(("server", "annotation kubectl.kubernetes.io/default-container"), (pod.AppContainer, pod.AppContainerReason));
    }

    [Fact]
    public void The_app_label_names_the_container_when_there_is_no_owner()
    {
        var pod = Sidecars(["rclone-zurg", "helper", "plex"], replicaSet: null, hash: null);

        Assert.Equal(("plex", "named after the app label"), (pod.AppContainer, pod.AppContainerReason));
        Assert.Equal(("plex", null), (pod.App, pod.OwnerKind));
    }

    [Fact]
    public void Otherwise_the_first_container_that_is_not_a_known_sidecar_and_sees_the_media_root()
    {
        var pod = Sidecars(["rclone-zurg", "istio-proxy", "media-server"], appLabel: null, replicaSet: null, hash: null);

        Assert.Equal("media-server", pod.AppContainer);
        Assert.Equal("first container that is not rclone, a server or a known helper and sees the media root", pod.AppContainerReason);
        Assert.Equal(["rclone-zurg", "istio-proxy"], pod.Sidecars);
        Assert.Null(pod.App);
    }

    [Fact]
    public void Rclone_sidecars_are_described_with_their_remote_mount_path_and_state()
    {
        var pod = Sidecars(["rclone-zurg", "rclone-torbox", "plex"]);

        Assert.Equal(
            [("rclone-zurg", "zurg:", "/mnt/media/zurg", false, false, "Running"), ("rclone-torbox", "torbox:", "/mnt/media/torbox", false, true, "Running")],
            pod.RcloneSidecars.Select(s => (s.Container, s.Remote, s.MountPath, s.Native, s.Ready, s.State)));
        Assert.Equal(["zurg rclone-zurg", "torbox rclone-torbox"], pod.ExpectedMounts.Select(mount => $"{mount.Name} {mount.ServedBy}"));
        Assert.Same(pod.Workload.Container("rclone-zurg"), pod.Workload.ExpectedMount("zurg")!.Sidecar);
        Assert.Null(pod.Workload.ExpectedMount("other"));
    }

    [Fact]
    public void A_sidecar_wrapped_in_a_shell_line_is_still_described()
    {
        var json = PodJson.Pod("plex-1", ["rclone-zurg", "plex"], appLabel: "plex",
            args: new() { ["rclone-zurg"] = ["-c", "fusermount3 -uz /mnt/media/zurg 2>/dev/null; exec rclone mount zurg: /mnt/media/zurg --allow-other"] });

        var sidecar = FromJson(json).RcloneSidecars.Single();

        Assert.Equal(("zurg:", "/mnt/media/zurg", false), (sidecar.Remote, sidecar.MountPath, sidecar.Ready));
    }

    [Fact]
    public void Native_sidecars_count_as_sidecars_and_not_as_app_candidates()
    {
        var json = PodJson.Pod("sonarr-5b-x1", ["sonarr"], appLabel: "sonarr", nativeSidecars: ["rclone-zurg"], args: new() { ["rclone-zurg"] = PodJson.ZurgArgs }, restarts: 3);
        var pod = FromJson(json);

        Assert.Equal("sonarr", pod.AppContainer);
        Assert.Equal(["rclone-zurg"], pod.Sidecars);
        Assert.True(pod.Workload.ExpectedMount("zurg")!.Sidecar!.IsNativeSidecar);
        Assert.True(pod.RcloneSidecars.Single().Native);
        // The native sidecar's restarts count, as kubectl counts them.
        Assert.Equal(6, pod.Restarts);
        Assert.Equal("1/1", pod.Ready);
    }

    [Fact]
    public void Pod_facts_are_read_from_spec_and_status()
    {
        var json = PodJson.Pod("radarr-66-zz", ["rclone-zurg", "radarr"], appLabel: "radarr", replicaSet: "radarr-66", hash: "66", restarts: 2, phase: "Pending", node: null);
        var pod = FromJson(json);

        Assert.Equal(("radarr-66-zz", "media-stack", "Pending"), (pod.Name, pod.Namespace, pod.Phase));
        Assert.Null(pod.Node);
        Assert.False(pod.IsRunning);
        Assert.Equal("0/2", pod.Ready);
        Assert.Equal(4, pod.Restarts);
        Assert.Equal(TimeSpan.FromHours(1), pod.Age);
        Assert.Equal("60m", pod.AgeText);
        Assert.Equal(PodJson.Created, pod.CreationTimestamp!.Value.ToUniversalTime());
        Assert.NotNull(pod.Pod);
        Assert.Equal("media-stack/radarr-66-zz", pod.ToString());
    }

    [Theory]
    [InlineData("Running", false, false, false)]
    [InlineData("Running", true, true, false)]
    [InlineData("Succeeded", false, false, true)]
    [InlineData("Failed", false, false, true)]
    public void Terminating_and_completed_pods_are_told(string phase, bool deleted, bool terminating, bool completed)
    {
        var pod = FromJson(PodJson.Pod("job-1", ["job"], phase: phase, terminating: deleted));

        Assert.Equal((terminating, completed), (pod.IsTerminating, pod.IsCompleted));
    }

    [Theory]
    [InlineData("sonarr-7c6b9d8f5", "7c6b9d8f5", "ReplicaSet", "sonarr", "Deployment")]
    [InlineData("rclone-zurg-55f", "55f", "ReplicaSet", "rclone-zurg", "Deployment")]
    [InlineData("my-app-abc", null, "ReplicaSet", "my-app", "Deployment")]
    [InlineData("jellyfin", null, "StatefulSet", "jellyfin", "StatefulSet")]
    [InlineData("rclone-node", null, "DaemonSet", "rclone-node", "DaemonSet")]
    [InlineData(null, null, null, null, null)]
    public void The_owning_workload_is_the_replicaset_without_its_hash(string? owner, string? hash, string? kind, string? expected, string? expectedKind)
    {
        var pod = FromJson(PodJson.Pod("p", ["c"], replicaSet: owner, hash: hash, ownerKind: kind));

        Assert.Equal((expected, expectedKind), MediaPodFactory.Owner(pod.Pod!));
        Assert.Equal(expected, MediaPodFactory.OwningWorkload(pod.Pod!));
        Assert.Equal((expected, expectedKind), (pod.App, pod.OwnerKind));
    }

    [Fact]
    public void A_gateway_pod_is_a_gateway()
    {
        var pod = FromJson(PodJson.Pod("zurg-5f-1", ["zurg"], replicaSet: "zurg-5f", hash: "5f", images: new() { ["zurg"] = "ghcr.io/debridmediamanager/zurg-testing:v0.9.3-final" }));

        Assert.Equal(WorkloadKind.Gateway, pod.Kind);
        Assert.Null(pod.AppContainer);
        Assert.Equal(["zurg"], pod.Sidecars);
        Assert.Empty(pod.ExpectedMounts);
    }

    [Theory]
    [InlineData(60, "60s")]
    [InlineData(119, "119s")]
    [InlineData(120, "2m")]
    [InlineData(7199, "119m")]
    [InlineData(7200, "2h")]
    [InlineData(172_800, "2d")]
    public void Age_is_shown_as_kubectl_shows_it(int seconds, string text)
    {
        var pod = MediaPodFactory.FromJson(PodJson.Pod("p", ["c"]), Config, PodJson.Created.AddSeconds(seconds));

        Assert.Equal(text, pod.AgeText);
    }
}
