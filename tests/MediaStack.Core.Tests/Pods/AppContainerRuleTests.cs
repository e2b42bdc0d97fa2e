using MediaStack.Core.Pods;
using Candidate = MediaStack.Core.Pods.AppContainerRule.Candidate;

namespace MediaStack.Core.Tests.Pods;

public class AppContainerRuleTests
{
    private static readonly Candidate Zurg = new("rclone-zurg", IsSidecar: true, MountsRoot: true);
    private static readonly Candidate Nginx = new("nginx", IsSidecar: true, MountsRoot: false);

    [Fact]
    public void The_annotation_wins_but_never_names_a_sidecar()
    {
        var containers = new[] { Zurg, new Candidate("plex", false, true), new Candidate("tools", false, false) };

        Assert.Equal("tools", AppContainerRule.Find(containers, "tools", [], requireMountRoot: true).Name);
        Assert.Equal("plex", AppContainerRule.Find(containers, "rclone-zurg", [], requireMountRoot: true).Name);
    }

    [Fact]
    public void A_container_named_after_the_workload_comes_before_the_mount_root()
    {
        var containers = new[] { Zurg, new Candidate("helper", false, true), new Candidate("sonarr", false, false) };

        var (name, reason) = AppContainerRule.Find(containers, null, [(null, "owning workload"), ("sonarr", "app label")], requireMountRoot: true);

        Assert.Equal("sonarr", name);
        Assert.Equal("named after the app label", reason);
    }

    [Fact]
    public void Sidecars_listed_first_are_never_taken_for_the_app()
    {
        var containers = new[] { Zurg, Nginx, new Candidate("media-server", false, true) };

        Assert.Equal("media-server", AppContainerRule.Find(containers, null, [("unrelated", "owning workload")], requireMountRoot: true).Name);
    }

    [Fact]
    public void Without_the_mount_root_the_first_other_container_counts_only_when_allowed()
    {
        var containers = new[] { Zurg, Nginx, new Candidate("app", false, false) };

        Assert.Equal("app", AppContainerRule.Find(containers, null, [], requireMountRoot: false).Name);
        var (name, reason) = AppContainerRule.Find(containers, null, [], requireMountRoot: true);
        Assert.Null(name);
        Assert.Contains("mount root", reason);
    }

    [Fact]
    public void Only_sidecars_gives_no_app()
    {
        Assert.Null(AppContainerRule.Find([Zurg, Nginx], null, [("rclone-zurg", "owning workload")], requireMountRoot: false).Name);
    }
}
