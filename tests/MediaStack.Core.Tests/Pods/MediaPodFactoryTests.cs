using MediaStack.Core.Pods;

namespace MediaStack.Core.Tests.Pods;

public class MediaPodFactoryTests
{
    private static readonly DateTime Now = new(2026, 11, 25, 21, 0, 0, DateTimeKind.Utc);

    private static MediaPod Sidecars(string[] containers, string? appLabel = "plex", string? defaultContainer = null, string? replicaSet = "plex-7d9f", string? hash = "7d9f") =>
        MediaPodFactory.FromJson(PodJson.Pod(
            "plex-7d9f-abcde", containers, appLabel: appLabel, replicaSet: replicaSet, hash: hash, defaultContainer: defaultContainer,
            args: new() { ["rclone-zurg"] = PodJson.ZurgArgs, ["rclone-torbox"] = PodJson.TorboxArgs }), Now);

    [Fact]
    public void Sidecars_listed_first_do_not_become_the_app_container()
    {
        var pod = Sidecars(["rclone-zurg", "rclone-torbox", "nginx", "plex"]);

        Assert.Equal("plex", pod.AppContainer);
        Assert.Equal("named after the owning workload", pod.AppContainerReason);
        Assert.Equal(["rclone-zurg", "rclone-torbox", "nginx"], pod.Sidecars);
        Assert.Equal("plex", pod.App);
    }

    [Fact]
    public void The_default_container_annotation_wins()
    {
        var pod = Sidecars(["rclone-zurg", "server", "plex"], defaultContainer: "server");

        Assert.Equal("server", pod.AppContainer);
        Assert.StartsWith("annotation", pod.AppContainerReason);
    }

    [Fact]
    public void The_app_label_names_the_container_when_there_is_no_owner()
    {
        var pod = Sidecars(["rclone-zurg", "helper", "plex"], replicaSet: null, hash: null);

        Assert.Equal("plex", pod.AppContainer);
        Assert.Equal("named after the app label", pod.AppContainerReason);
    }

    [Fact]
    public void Otherwise_the_first_container_that_is_not_a_known_sidecar()
    {
        var pod = Sidecars(["rclone-zurg", "istio-proxy", "media-server"], appLabel: null, replicaSet: null, hash: null);

        Assert.Equal("media-server", pod.AppContainer);
        Assert.Equal("first container that is not a known sidecar", pod.AppContainerReason);
    }

    [Fact]
    public void Rclone_sidecars_are_described_with_their_remote_and_mount_path()
    {
        var pod = Sidecars(["rclone-zurg", "rclone-torbox", "plex"]);

        var zurg = pod.SidecarFor("zurg", "/mnt/media/zurg/");
        Assert.NotNull(zurg);
        Assert.Equal(("rclone-zurg", "zurg:", "/mnt/media/zurg"), (zurg.Container, zurg.Remote, zurg.MountPath));
        Assert.Equal("rclone-torbox", pod.SidecarFor("torbox", "/mnt/media/torbox")?.Container);
        Assert.Null(pod.SidecarFor("other", "/mnt/media/other"));
    }

    [Fact]
    public void A_sidecar_wrapped_in_a_shell_line_is_still_described()
    {
        var json = PodJson.Pod("plex-1", ["rclone-zurg", "plex"], appLabel: "plex",
            args: new() { ["rclone-zurg"] = ["-c", "fusermount3 -uz /mnt/media/zurg 2>/dev/null; exec rclone mount zurg: /mnt/media/zurg --allow-other"] });
        var sidecar = MediaPodFactory.FromJson(json, Now).RcloneSidecars.Single();

        Assert.Equal(("zurg:", "/mnt/media/zurg"), (sidecar.Remote, sidecar.MountPath));
        Assert.False(sidecar.Ready);
    }

    [Fact]
    public void Native_sidecars_count_as_sidecars_and_not_as_app_candidates()
    {
        var json = PodJson.Pod("sonarr-5b-x1", ["sonarr"], appLabel: "sonarr", nativeSidecars: ["rclone-zurg"], args: new() { ["rclone-zurg"] = PodJson.ZurgArgs });
        var pod = MediaPodFactory.FromJson(json, Now);

        Assert.Equal("sonarr", pod.AppContainer);
        Assert.Equal(["rclone-zurg"], pod.Sidecars);
        Assert.True(pod.SidecarFor("zurg", "/mnt/media/zurg")!.Native);
    }

    [Fact]
    public void Pod_facts_are_read_from_spec_and_status()
    {
        var json = PodJson.Pod("radarr-66-zz", ["rclone-zurg", "radarr"], appLabel: "radarr", replicaSet: "radarr-66", hash: "66", restarts: 2, phase: "Pending", node: null);
        var pod = MediaPodFactory.FromJson(json, Now);

        Assert.Equal(("radarr-66-zz", "media-stack", "Pending"), (pod.Name, pod.Namespace, pod.Phase));
        Assert.Null(pod.Node);
        Assert.False(pod.IsRunning);
        Assert.Equal("1/2", pod.Ready);
        Assert.Equal(4, pod.Restarts);
        Assert.Equal(TimeSpan.FromHours(1), pod.Age);
        Assert.NotNull(pod.Pod);
    }

    [Theory]
    [InlineData("sonarr-7c6b9d8f5", "7c6b9d8f5", "sonarr")]
    [InlineData("rclone-zurg-55f", "55f", "rclone-zurg")]
    [InlineData("my-app-abc", null, "my-app")]
    public void The_owning_deployment_is_the_replicaset_without_its_hash(string replicaSet, string? hash, string expected)
    {
        var pod = MediaPodFactory.FromJson(PodJson.Pod("p", ["c"], replicaSet: replicaSet, hash: hash), Now);

        Assert.Equal(expected, MediaPodFactory.OwningWorkload(pod.Pod!));
    }
}
