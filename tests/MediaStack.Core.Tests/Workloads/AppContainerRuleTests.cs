using MediaStack.Core.Workloads;
using Candidate = MediaStack.Core.Workloads.AppContainerRule.Candidate;

namespace MediaStack.Core.Tests.Workloads;

// The rule alone, over the candidates Workload gives it (rclone, servers and known helpers
// are never candidates: Workload leaves them out before asking).
public class AppContainerRuleTests
{
    [Fact]
    public void The_annotation_wins_when_it_names_a_candidate()
    {
        var candidates = new[] { new Candidate("plex", SeesMediaRoot: true), new Candidate("tools", SeesMediaRoot: false) };

        Assert.Equal(("tools", "annotation kubectl.kubernetes.io/default-container"),
            AppContainerRule.Find(candidates, "tools", [("plex", "Deployment")], requireMediaRoot: true));
        // An annotation naming a container that is no candidate (a sidecar) is passed over.
        Assert.Equal(("plex", "named after the Deployment"),
            AppContainerRule.Find(candidates, "rclone-zurg", [("plex", "Deployment")], requireMediaRoot: true));
    }

    [Fact]
    public void A_container_named_after_the_workload_comes_before_the_media_root()
    {
        var candidates = new[] { new Candidate("helper", true), new Candidate("sonarr", false) };

        Assert.Equal(("sonarr", "named after the app label"),
            AppContainerRule.Find(candidates, null, [(null, "owning workload"), ("", "Deployment"), ("sonarr", "app label")], requireMediaRoot: true));
    }

    [Fact]
    public void Then_the_first_that_sees_the_media_root_never_simply_the_first()
    {
        var candidates = new[] { new Candidate("exporter", false), new Candidate("media-server", true) };

        Assert.Equal(("media-server", "first container that is not rclone, a server or a known helper and sees the media root"),
            AppContainerRule.Find(candidates, null, [("unrelated", "Deployment")], requireMediaRoot: true));
    }

    [Fact]
    public void Without_the_media_root_the_first_candidate_counts_only_when_allowed()
    {
        var candidates = new[] { new Candidate("app", false), new Candidate("other", false) };

        Assert.Equal(("app", "first container that is not rclone, a server or a known helper"),
            AppContainerRule.Find(candidates, null, [], requireMediaRoot: false));
        Assert.Equal((null, "no container is named after the workload, carries the default-container annotation or sees the media root"),
            AppContainerRule.Find(candidates, null, [], requireMediaRoot: true));
    }

    [Fact]
    public void No_candidate_gives_no_app()
    {
        Assert.Null(AppContainerRule.Find([], "rclone-zurg", [("rclone-zurg", "owning workload")], requireMediaRoot: false).Name);
    }
}
