using MediaStack.Core.Checks;
using MediaStack.Core.Probes;
using static MediaStack.Core.Tests.Checks.Summaries;

namespace MediaStack.Core.Tests.Checks;

// What counts as a change (the only thing alerts are sent for), and the state file itself.
public sealed class CheckStateTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("mediastack-state-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static (CheckState Next, IReadOnlyList<CheckChange> Changes) Step(CheckState? previous, CheckSummary now) => CheckState.Compare(previous, now);

    [Fact]
    public void The_first_run_reports_only_what_is_unhealthy()
    {
        var (state, changes) = Step(null, Round(Healthy("plex", "plex-1"), Broken("sonarr", "sonarr-1"), Podless("prowlarr")));

        Assert.Equal([CheckChangeKind.Unhealthy, CheckChangeKind.Unhealthy], changes.Select(c => c.Kind));
        Assert.Equal(["prowlarr", "sonarr"], changes.Select(c => c.App));
        Assert.Equal("NOTMOUNTED", changes[1].After);
        Assert.Contains("HostToContainer", changes[1].Reason);
        Assert.True(changes.All(c => c.IsProblem));
        Assert.Equal(3, state.Apps.Count);
        Assert.False(state.Apps["media-stack/sonarr"].Healthy);
    }

    [Fact]
    public void The_same_result_again_is_no_change_and_a_new_pod_name_is_the_same_app()
    {
        var (first, _) = Step(null, Round(Healthy("plex", "plex-1"), Broken("sonarr", "sonarr-1")));
        var (second, changes) = Step(first, Round([Healthy("plex", "plex-2"), Broken("sonarr", "sonarr-2", MountHealth.STALE)], [], Start.AddMinutes(15)));

        Assert.Empty(changes);
        Assert.Equal(Start, second.Apps["media-stack/sonarr"].Since);
        Assert.Equal("STALE", second.Apps["media-stack/sonarr"].Status);
    }

    [Fact]
    public void Recovery_and_apps_that_are_gone_are_changes_too()
    {
        var (first, _) = Step(null, Round(Healthy("plex", "plex-1"), Broken("sonarr", "sonarr-1"), Podless("prowlarr")));
        var (_, changes) = Step(first, Round([Healthy("plex", "plex-1"), Healthy("sonarr", "sonarr-2")], [], Start.AddMinutes(15)));

        Assert.Equal([(CheckChangeKind.Recovered, "sonarr"), (CheckChangeKind.Gone, "prowlarr")], changes.Select(c => (c.Kind, c.App!)));
        Assert.False(changes.Any(c => c.IsProblem));
        Assert.Equal("media-stack/prowlarr is no longer checked (it was NOTREADY)", changes[1].ToString());
    }

    [Fact]
    public void An_unreachable_cluster_is_one_change_until_it_answers_again_and_keeps_the_apps()
    {
        var (healthy, _) = Step(null, Round(Healthy("plex", "plex-1"), Broken("sonarr", "sonarr-1")));
        var (down, lost) = Step(healthy, Unreachable(Start.AddMinutes(15)));
        var (stillDown, none) = Step(down, Unreachable(Start.AddMinutes(30)));
        var (_, back) = Step(stillDown, Round([Healthy("plex", "plex-1"), Healthy("sonarr", "sonarr-1")], [], Start.AddMinutes(45)));

        Assert.Equal(CheckChangeKind.ClusterUnavailable, Assert.Single(lost).Kind);
        Assert.Contains("cannot be reached", lost[0].Reason);
        Assert.Empty(none);
        Assert.Equal(2, stillDown.Apps.Count);
        Assert.Equal([CheckChangeKind.ClusterAvailable, CheckChangeKind.Recovered], back.Select(c => c.Kind));
    }

    [Fact]
    public void Saved_state_reads_back_owner_only_and_a_broken_file_is_treated_as_absent()
    {
        var path = Path.Combine(_folder, "sub", "lab.state.json");
        var (state, _) = Step(null, Round(Healthy("plex", "plex-1"), Broken("sonarr", "sonarr-1")));
        CheckState.Save(path, state with { Last = MediaStack.Core.Checks.Reports.CheckReport.ToJson(Round(Healthy("plex", "plex-1"))) });

        var loaded = CheckState.Load(path, out var problem);
        Assert.Null(problem);
        Assert.Equal(CheckOutcome.Unhealthy, loaded!.Outcome);
        Assert.False(loaded.Apps["media-stack/sonarr"].Healthy);
        Assert.Equal("Healthy", (string?)loaded.Last!["outcome"]);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        }
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(path)!, "*.tmp", SearchOption.AllDirectories));

        File.WriteAllText(path, "{ not json");
        Assert.Null(CheckState.Load(path, out problem));
        Assert.Contains("cannot be read", problem);
        Assert.Null(CheckState.Load(Path.Combine(_folder, "none.json"), out problem));
        Assert.Null(problem);
    }

    [Fact]
    public void The_default_path_is_per_context_and_namespace_in_the_data_folder()
    {
        var path = CheckState.DefaultPath("admin/api-lab:6443", null, "media-stack", false);
        Assert.Equal("admin_api-lab_6443-media-stack.state.json", Path.GetFileName(path));
        Assert.StartsWith(CheckState.DataFolder(), path);
        Assert.Equal("api.lab.example-all.state.json", Path.GetFileName(CheckState.DefaultPath(null, "https://api.lab.example:6443", null, true)));
    }
}
