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

        Assert.Equal(new AppContainerRule.Choice("tools", "annotation kubectl.kubernetes.io/default-container"),
            AppContainerRule.Find(candidates, "tools", [("plex", "Deployment")]));
        // An annotation naming a container that is no candidate (a sidecar) is passed over.
        Assert.Equal(new AppContainerRule.Choice("plex", "named after the Deployment"),
            AppContainerRule.Find(candidates, "rclone-zurg", [("plex", "Deployment")]));
    }

    [Fact]
    public void A_container_named_after_the_workload_comes_before_the_media_root()
    {
        var candidates = new[] { new Candidate("helper", true), new Candidate("sonarr", false) };

        Assert.Equal(new AppContainerRule.Choice("sonarr", "named after the app label"),
            AppContainerRule.Find(candidates, null, [(null, "owning workload"), ("", "Deployment"), ("sonarr", "app label")]));
    }

    [Fact]
    public void Then_the_first_that_sees_the_media_root_never_simply_the_first()
    {
        var candidates = new[] { new Candidate("exporter", false), new Candidate("media-server", true) };

        Assert.Equal(new AppContainerRule.Choice("media-server", "first container that is not rclone, a server or a known helper and sees the media root"),
            AppContainerRule.Find(candidates, null, [("unrelated", "Deployment")]));
    }

    [Fact]
    public void Without_the_media_root_the_first_of_several_candidates_is_only_a_guess()
    {
        var candidates = new[] { new Candidate("app", false), new Candidate("other", false) };

        Assert.Equal(new AppContainerRule.Choice("app",
            "a guess: none of app, other is named after the workload, carries the kubectl.kubernetes.io/default-container annotation or sees the media root", IsGuess: true),
            AppContainerRule.Find(candidates, null, []));
        Assert.Equal(new AppContainerRule.Choice("app", "the only container that is not rclone, a server or a known helper"),
            AppContainerRule.Find(candidates[..1], null, []));
    }

    [Fact]
    public void No_candidate_gives_no_app()
    {
        Assert.Null(AppContainerRule.Find([], "rclone-zurg", [("rclone-zurg", "owning workload")]).Name);
    }
}
