using MediaStack.Core.Config;
using MediaStack.Core.Diagnosis.Model;
using MediaStack.Core.Manifests;
using MediaStack.Core.Reconcile;
using MediaStack.Core.Workloads;
using MediaStack.Core.Yaml;
using MediaStack.Core.Sidecars;
using static MediaStack.Core.Tests.Diagnosis.DiagnosisFixtures;

namespace MediaStack.Core.Tests.Manifests;

// What New-MediaApp writes passes the static diagnosis: no rule has a Warning or an Error for
// it, whatever the class, the sidecar mode or the preset. (-NoSidecar is the bare app that
// Add-RcloneSidecar completes: the diagnosis rightly says its mounts are missing.)
public class GeneratedDiagnosisTests
{
    public static TheoryData<string, string, SidecarMode, bool, MediaStackPreset> Apps() => new()
    {
        { "prowlarr", "lscr.io/linuxserver/prowlarr:1.24.3", SidecarMode.Classic, false, MediaStackPreset.Neutral },
        { "sonarr", "lscr.io/linuxserver/sonarr:4.0.11", SidecarMode.Classic, false, MediaStackPreset.Neutral },
        { "plex", "docker.io/plexinc/pms-docker:1.41.3.9314-a0bfb8370", SidecarMode.Native, false, MediaStackPreset.Neutral },
        { "jellyfin", "docker.io/jellyfin/jellyfin:10.10.3", SidecarMode.Classic, false, MediaStackPreset.Seed },
        { "overseerr", "lscr.io/linuxserver/overseerr:1.33.2", SidecarMode.Classic, false, MediaStackPreset.Seed },
    };

    [Theory]
    [MemberData(nameof(Apps))]
    public void Generated_apps_have_no_warning(string name, string image, SidecarMode mode, bool noSidecar, MediaStackPreset preset)
    {
        var config = MediaStackPresets.Get(preset) with { TimeZone = "Etc/UTC" };
        var app = new Generated(new MediaAppSpec(name, image, 8080) { SidecarMode = mode, NoSidecar = noSidecar }, config);

        var findings = DiagnoseText(app.Yaml, config);

        Assert.Equal([], findings.Where(finding => finding.Severity >= Severity.Warning).Select(finding => finding.ToString()));
    }

    // The sidecars Add-RcloneSidecar puts into a bare app are as clean as generated ones.
    [Theory]
    [InlineData(SidecarMode.Classic)]
    [InlineData(SidecarMode.Native)]
    public void Sidecars_added_to_a_bare_app_have_no_warning(SidecarMode mode)
    {
        var config = MediaStackConfig.Default with { TimeZone = "Etc/UTC" };
        var bare = new Generated(new MediaAppSpec("sonarr", "lscr.io/linuxserver/sonarr:4.0.11", 8989) { NoSidecar = true }, config).Deployment;

        var added = ChangePlanner.Plan(Workload.From(bare, config), new ChangeRequest { Action = ChangeAction.AddSidecars, Mode = mode }).After();
        var findings = DiagnoseText(YamlWriter.Write(added), config);

        Assert.Equal([], findings.Where(finding => finding.Severity >= Severity.Warning).Select(finding => finding.ToString()));
    }
}
