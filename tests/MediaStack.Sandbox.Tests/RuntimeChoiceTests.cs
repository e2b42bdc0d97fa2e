using MediaStack.Sandbox.Node;
using MediaStack.Sandbox.Scenarios;

namespace MediaStack.Sandbox.Tests;

// The sandbox never quietly becomes less real: without what FUSE needs, a scenario that
// needs FUSE is refused with the reason unless --runtime host is given.
public sealed class RuntimeChoiceTests
{
    const string Missing = "The sandbox node runtime needs rclone, fusermount3, busybox (apt-get install rclone fuse3 busybox-static util-linux iproute2 e2fsprogs).";

    static (INodeRuntime?, string?) NoLinux() => (null, Missing);

    static Scenario BuiltIn(string name) => Scenario.Parse(File.ReadAllText(Scenario.Resolve(name)));

    [Fact]
    public void A_scenario_that_needs_fuse_is_refused_with_what_is_missing()
    {
        var error = Assert.Throws<InvalidOperationException>(() => RuntimeCatalog.Choose(null, scenarioNeedsFuse: true, NoLinux));

        Assert.Equal($"this scenario needs real FUSE mounts and the linux runtime cannot run here: {Missing} Install what is missing, or pass --runtime host to run it without mounts.", error.Message);
        Assert.Contains("cannot run here", Assert.Throws<InvalidOperationException>(() => RuntimeCatalog.Choose("linux", scenarioNeedsFuse: false, NoLinux)).Message);
    }

    [Fact]
    public void The_host_runtime_is_used_when_asked_for_or_when_nothing_needs_fuse()
    {
        var asked = RuntimeCatalog.Choose("host", scenarioNeedsFuse: true, () => throw new InvalidOperationException("not even looked at"));
        Assert.Equal(("host", null), (asked.Name, asked.Warning));

        var fallback = RuntimeCatalog.Choose(null, scenarioNeedsFuse: false, NoLinux);
        Assert.Equal("host", fallback.Name);
        Assert.Equal($"warning: using the host runtime (no isolation, no FUSE mounts): {Missing}", fallback.Warning);
    }

    [Fact]
    public void Scenarios_with_backends_or_rclone_pods_need_fuse()
    {
        Assert.True(BuiltIn("media-stack").NeedsFuse);
        Assert.False(BuiltIn("empty").NeedsFuse);
        var rclonePod = Scenario.Parse("apiVersion: v1\nkind: Pod\nmetadata: {name: r, namespace: default}\nspec:\n  containers:\n  - {name: r, image: docker.io/rclone/rclone:1.68}\n");
        Assert.True(rclonePod.NeedsFuse);
        var web = Scenario.Parse(File.ReadAllText(SandboxFixture.FixturePath("scenario.yaml")));
        Assert.False(web.NeedsFuse);
    }
}
