using MediaStack.Core.Diagnosis.Model;
using MediaStack.Core.Repair;
using MediaStack.Core.Tests.Corpus;
using MediaStack.Core.Tests.Diagnosis;

namespace MediaStack.Core.Tests.Repair;

// Static diagnosis -> repair of the file through the reconciler -> diagnosis again, on a copy
// of the diagnosis fixtures; and how RepairPlan sorts findings into work.
public sealed class RepairTests : IDisposable
{
    private readonly CorpusRepository _repo = new("repair", DiagnosisFixtures.Folder());

    public void Dispose() => _repo.Dispose();

    private IReadOnlyList<MountFinding> Findings(string fixture) =>
        _repo.Findings().Where(finding => Path.GetFileName(finding.File) == fixture).ToList();

    [Theory]
    [InlineData("no-sidecars.yaml")]
    [InlineData("no-propagation.yaml")]
    [InlineData("privilege-mistakes.yaml")]
    [InlineData("seed-prowlarr.yaml")]
    [InlineData("hygiene-mistakes.yaml")]
    public void RepairedFile_HasNoFixableFindingLeft(string fixture)
    {
        var before = Findings(fixture);
        Assert.Contains(before, f => f.Fixable);

        _repo.Repair(before);

        var after = Findings(fixture);
        Assert.DoesNotContain(after, f => f.Fixable);
        Assert.DoesNotContain(after, f => f.Severity == Severity.Error);
    }

    [Fact]
    public void SeedTemplate_Repair_OnlyRebindsTheRcApi_AndKeepsTheRestOfTheFile()
    {
        var before = _repo.Snapshot();

        var results = _repo.Repair(DiagnosisFixtures.WithoutPractices(Findings("seed-prowlarr.yaml")));

        Assert.Equal("seed-prowlarr.yaml#0 Deployment/prowlarr: Changed\n    rclone-zurg: rc bound to 127.0.0.1 (MS111)\n    rclone-torbox: rc bound to 127.0.0.1 (MS111)\n", results);
        var changed = _repo.Diff(before).Split('\n').Where(line => line.Length > 0 && line[0] is '-' or '+' && !line.StartsWith("---") && !line.StartsWith("+++")).ToList();
        Assert.Equal(
            [
                "-        - \"--rc-addr=:5572\"               # Remote control port (unique)",
                "+        - \"--rc-addr=127.0.0.1:5572\"               # Remote control port (unique)",
                "-        - \"--rc-addr=:5573\"               # Different port than zurg (5573)",
                "+        - \"--rc-addr=127.0.0.1:5573\"               # Different port than zurg (5573)",
            ],
            changed);
    }

    [Fact]
    public void SidecarsAreAddedOnlyForTheMountsTheFindingsName()
    {
        _repo.Repair(Findings("no-sidecars.yaml").Where(f => f.Mount == "zurg").ToList());

        var after = Findings("no-sidecars.yaml");
        Assert.Equal(["torbox"], after.Where(f => f.RuleId == "MS101").Select(f => f.Mount ?? "").ToArray());
        Assert.Contains("name: rclone-zurg", _repo.Read("no-sidecars.yaml"));
        Assert.DoesNotContain("name: rclone-torbox", _repo.Read("no-sidecars.yaml"));
    }

    [Fact]
    public void Plan_SortsFindingsIntoGrantsPatchesRestartsAndManualSteps()
    {
        var target = new DiagnosisTarget("media-stack", "plex", "plex-1", null) { ServiceAccount = "plex", ResourceKind = "StatefulSet" };
        MountFinding Finding(RuleInfo rule, Severity severity = Severity.Error, string? container = null) =>
            new(rule, severity, target, "m") { Container = container, Remedy = "do it by hand" };

        var plan = RepairPlan.From(
        [
            Finding(Rules.SidecarNotPrivileged, container: "rclone-zurg"),
            Finding(Rules.AppPropagation, container: "plex"),
            Finding(Rules.AppPropagation, container: "plex"),
            Finding(Rules.StaleMount),
            Finding(Rules.SccNotGranted),
            Finding(Rules.SecretNotFound),
            Finding(Rules.HardNodeSelector, Severity.Warning),
            Finding(Rules.SidecarMissing, Severity.Pass),
            Finding(Rules.ArgoCdManaged, Severity.Info),
        ]);

        var workload = Assert.Single(plan.Workloads);
        Assert.Equal(("media-stack", "StatefulSet", "plex", null, 0), (workload.Namespace, workload.Kind, workload.Name, workload.File, workload.DocumentIndex));
        Assert.Equal("statefulset/plex in media-stack", workload.Display);
        Assert.Equal(["MS103", "MS104"], workload.Findings.Select(f => f.RuleId).Order().ToArray());
        Assert.Equal(("media-stack", "plex-1", "plex"), (plan.Restarts.Single().Namespace, plan.Restarts.Single().Pod, plan.Restarts.Single().Deployment));
        Assert.Equal(("media-stack", "plex"), (plan.Grants.Single().Namespace, plan.Grants.Single().ServiceAccount));
        Assert.Equal(["MS115", "MS303"], plan.Skipped.Select(s => s.Finding.RuleId).Order().ToArray());
        Assert.All(plan.Skipped, s => Assert.Equal("no automatic fix; manual step: do it by hand", s.Reason));
    }

    [Fact]
    public void StaticFindings_NeverPlanClusterActions_AndEachDocumentIsItsOwnRepair()
    {
        var first = new DiagnosisTarget("media-stack", "plex", null, "/repo/apps/media.yaml");
        var second = first with { Deployment = "sonarr", DocumentIndex = 2 };
        var plan = RepairPlan.From(
        [
            new MountFinding(Rules.SccNotGranted, Severity.Error, first, "m") { Remedy = "grant" },
            new MountFinding(Rules.StaleMount, Severity.Error, first, "m") { Remedy = "restart" },
            new MountFinding(Rules.AppPropagation, Severity.Error, first, "m"),
            new MountFinding(Rules.AppPropagation, Severity.Error, second, "m"),
        ]);

        Assert.Empty(plan.Grants);
        Assert.Empty(plan.Restarts);
        Assert.Equal(
            ["no automatic fix; manual step: grant", "needs a live pod to restart; manual step: restart"],
            plan.Skipped.Select(s => s.Reason));
        Assert.Equal(
            [(null, "plex", "/repo/apps/media.yaml", 0), (null, "sonarr", "/repo/apps/media.yaml", 2)],
            plan.Workloads.Select(w => (w.Namespace, w.Name, w.File, w.DocumentIndex)));
        Assert.Equal("deployment/plex in /repo/apps/media.yaml", plan.Workloads[0].Display);
    }

    [Fact]
    public void Rendered_text_and_pods_without_an_owner_have_no_spec_to_change()
    {
        var rendered = new DiagnosisTarget("media-stack", "sonarr", null, null) { Rendered = true };
        var bare = new DiagnosisTarget("media-stack", null, "shell", null);

        var plan = RepairPlan.From(
        [
            new MountFinding(Rules.AppPropagation, Severity.Error, rendered, "m") { Remedy = "set it" },
            new MountFinding(Rules.SidecarNotPrivileged, Severity.Error, bare, "m") { Remedy = "set it" },
        ]);

        Assert.Empty(plan.Workloads);
        Assert.Equal(
            ["read from rendered text: change the chart or overlay it came from; manual step: set it", "the pod has no owning workload to change; manual step: set it"],
            plan.Skipped.Select(s => s.Reason));
        // The FIX column says the same before anyone tries.
        Assert.False(new MountFinding(Rules.AppPropagation, Severity.Error, rendered, "m").Fixable);
        Assert.True(new MountFinding(Rules.AppPropagation, Severity.Error, rendered with { Rendered = false }, "m").Fixable);
    }

    [Fact]
    public void RolloutBlockers_AreTheUnfixableErrorsOfThatDeployment()
    {
        var overseerr = new DiagnosisTarget("media-stack", "overseerr", "overseerr-1", null);
        var plex = new DiagnosisTarget("media-stack", "plex", "plex-1", null);
        MountFinding[] findings =
        [
            new(Rules.SecretNotFound, Severity.Error, overseerr, "secret missing"),
            new(Rules.SidecarMissing, Severity.Error, overseerr, "fixable"),
            new(Rules.PodNotRunning, Severity.Error, overseerr, "an effect, not a cause"),
            new(Rules.SecretNotFound, Severity.Error, plex, "another Deployment"),
            new(Rules.LogBackendUnreachable, Severity.Pass, overseerr, "passed"),
            new(Rules.SccNotGranted, Severity.Error, overseerr, "no SCC"),
            new(Rules.SecretNotFound, Severity.Error, overseerr with { File = "/repo/overseerr.yaml" }, "a file, not the cluster"),
        ];

        Assert.Equal(["secret missing", "no SCC"], RepairPlan.BlockersOf(findings, "media-stack", "overseerr").Select(b => b.Message).ToArray());
        Assert.Equal(["secret missing"], RepairPlan.BlockersOf(findings, "media-stack", "overseerr", granting: true).Select(b => b.Message).ToArray());
        Assert.Empty(RepairPlan.BlockersOf(findings, "media-stack", "sonarr"));
    }
}
