using System.Text.Json.Nodes;
using MediaStack.Core.Config;
using MediaStack.Core.Diagnosis.Workload;
using MediaStack.Core.Sidecars;

namespace MediaStack.Core.Tests.Diagnosis;

public class WorkloadTests
{
    [Fact]
    public void EntrypointForm_WithEqualsFlags()
    {
        var line = RcloneCommandLine.TryParse(["mount", "zurg:", "/mnt/media/zurg", "--rc", "--rc-no-auth", "--rc-addr=:5572"])!;

        Assert.Equal(("zurg:", "/mnt/media/zurg"), (line.Remote, line.MountPoint));
        Assert.True(line.RcEnabled && line.RcNoAuth);
        Assert.Equal((5572, ""), (line.RcPort, line.RcHost));
        Assert.False(line.RcLoopbackOnly);
    }

    [Fact]
    public void ShellScriptForm_AsTheSandboxAndRealStacksWriteIt()
    {
        var line = RcloneCommandLine.TryParse(["/bin/sh", "-c",
            "fusermount3 -uz /mnt/media/zurg 2>/dev/null; exec rclone mount zurg: /mnt/media/zurg --config=/config/rclone/rclone.conf --rc --rc-addr 127.0.0.1:5573"])!;

        Assert.Equal(("zurg:", "/mnt/media/zurg"), (line.Remote, line.MountPoint));
        Assert.Equal(5573, line.RcPort);
        Assert.True(line.RcLoopbackOnly);
    }

    [Fact]
    public void RcWithoutAddress_IsRclonesLocalhostDefault()
    {
        var line = RcloneCommandLine.TryParse(["rclone", "mount", "torbox:", "/mnt/media/torbox", "--rc"])!;

        Assert.Equal(("localhost:5572", 5572, true), (line.RcAddress, line.RcPort, line.RcLoopbackOnly));
    }

    [Theory]
    [InlineData("serve|webdav|zurg:")]
    [InlineData("sh|-c|mount -t tmpfs none /x")]
    [InlineData("mount|zurg:")]
    public void NotAnRcloneMount(string tokens) => Assert.Null(RcloneCommandLine.TryParse(tokens.Split('|')));

    private static PodSpecView View(string specJson, string? metadataJson = null, string workload = "plex") =>
        new(JsonNode.Parse(metadataJson ?? "{}")!.AsObject(), JsonNode.Parse(specJson)!.AsObject(), "spec.template.spec", workload, MediaStackConfig.Default);

    [Fact]
    public void AppContainer_IsNeverBlindlyTheFirst()
    {
        var view = View("""
            {"containers": [
              {"name": "rclone-zurg", "image": "docker.io/rclone/rclone", "args": ["mount", "zurg:", "/mnt/media/zurg"]},
              {"name": "nginx", "image": "nginx"},
              {"name": "server", "image": "plexinc/pms-docker", "volumeMounts": [{"name": "m", "mountPath": "/mnt/media"}]}]}
            """);

        Assert.Equal("server", view.App!.Name);
        Assert.Equal(ContainerRole.RcloneSidecar, view.Containers[0].Role);
        Assert.Equal(ContainerRole.Other, view.Containers[1].Role);
    }

    [Fact]
    public void AppContainer_FromTheDefaultContainerAnnotation_ThenTheWorkloadName()
    {
        const string spec = """{"containers": [{"name": "helper", "image": "x"}, {"name": "plex", "image": "y"}, {"name": "web", "image": "z"}]}""";

        Assert.Equal("web", View(spec, """{"annotations": {"kubectl.kubernetes.io/default-container": "web"}}""").App!.Name);
        Assert.Equal("plex", View(spec).App!.Name);
    }

    [Fact]
    public void NativeSidecars_AndInitDirs_AreTold()
    {
        var view = View("""
            {"initContainers": [
              {"name": "init-dirs", "image": "alpine", "command": ["sh", "-c", "mkdir -p /mnt/media/zurg"]},
              {"name": "rclone-zurg", "image": "rclone/rclone", "restartPolicy": "Always", "args": ["mount", "zurg:", "/mnt/media/zurg"]}],
             "containers": [{"name": "plex", "image": "y", "volumeMounts": [{"name": "m", "mountPath": "/mnt/media", "mountPropagation": "HostToContainer"}]}]}
            """);

        Assert.Equal(ContainerRole.InitDirs, view.Containers[0].Role);
        Assert.True(view.Containers[1].IsNativeSidecar);
        Assert.Same(view.Containers[1], view.SidecarFor(MediaStackConfig.Default.Mounts[0]));
        Assert.Null(view.SidecarFor(MediaStackConfig.Default.Mounts[1]));
        Assert.Equal("spec.template.spec.initContainers[1]", view.Containers[1].Path);
    }

    [Fact]
    public void MountCovering_PicksTheLongestPrefix_AndIgnoresSubPaths()
    {
        var view = View("""
            {"containers": [{"name": "plex", "image": "y", "volumeMounts": [
              {"name": "m", "mountPath": "/mnt/media/zurg", "subPath": "zurg"},
              {"name": "m", "mountPath": "/mnt"},
              {"name": "m", "mountPath": "/mnt/media/"}]}]}
            """);

        Assert.Equal(2, view.App!.MountCovering("/mnt/media/zurg")!.Value.Index);
        Assert.Null(view.App.MountCovering("/srv"));
    }
}
