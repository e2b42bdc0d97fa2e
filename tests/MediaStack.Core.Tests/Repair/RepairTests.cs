using MediaStack.Core.Config;
using MediaStack.Core.Diagnosis;
using MediaStack.Core.Diagnosis.Model;
using MediaStack.Core.Diagnosis.Static;
using MediaStack.Core.Repair;
using MediaStack.Core.Tests.Diagnosis;
using MediaStack.Core.Yaml.Editing;

namespace MediaStack.Core.Tests.Repair;

// Static diagnosis -> repair of the file through the sidecar planner -> diagnosis again.
public sealed class RepairTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("mediastack-repair-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string Copy(string fixture)
    {
        var path = Path.Combine(_folder, fixture);
        File.Copy(DiagnosisFixtures.PathOf(fixture), path);
        return path;
    }

    private static IReadOnlyList<MountFinding> Diagnose(string path) =>
        ManifestSubjects.FromPaths([path]).SelectMany(s => new MountDiagnoser(MediaStackConfig.Default).Diagnose(s)).ToList();

    private static void RepairFiles(IEnumerable<MountFinding> findings)
    {
        foreach (var repair in RepairPlan.From(findings).Deployments)
        {
            var (_, edit) = SpecRepair.PlanFile(repair, MediaStackConfig.Default);
            ManifestFiles.Write(edit);
        }
    }

    [Theory]
    [InlineData("no-sidecars.yaml")]
    [InlineData("no-propagation.yaml")]
    [InlineData("privilege-mistakes.yaml")]
    [InlineData("seed-prowlarr.yaml")]
    public void RepairedFile_HasNoFixableFindingLeft(string fixture)
    {
        var path = Copy(fixture);
        var before = Diagnose(path);
        Assert.Contains(before, f => f.Fixable);

        RepairFiles(before);

        var after = Diagnose(path);
        Assert.DoesNotContain(after, f => f.Fixable);
        Assert.DoesNotContain(after, f => f.Severity == Severity.Error);
    }

    [Fact]
    public void SeedTemplate_Repair_OnlyRebindsTheRcApi_AndKeepsTheRestOfTheFile()
    {
        var path = Copy("seed-prowlarr.yaml");
        var original = File.ReadAllText(path);

        var repair = Assert.Single(RepairPlan.From(Diagnose(path)).Deployments);
        var (plan, edit) = SpecRepair.PlanFile(repair, MediaStackConfig.Default);

        Assert.Contains(plan.Changes, c => c.Container == "rclone-zurg");
        Assert.Equal(original, edit.OldText);
        Assert.Contains("--rc-addr=127.0.0.1:5572", edit.NewText);
        Assert.DoesNotContain("--rc-addr=:5572", edit.NewText);
        // Comments outside the edited nodes survive byte for byte.
        Assert.Contains("# Prefer Node 2/3 for superior networking (10G NIC) and CPU", edit.NewText);
        var diff = edit.Diff(Path.GetDirectoryName(path)!).Split('\n');
        Assert.Contains(diff, line => line.StartsWith('-') && line.Contains("--rc-addr=:5572"));
        Assert.Contains(diff, line => line.StartsWith('+') && line.Contains("--rc-addr=127.0.0.1:5572"));
    }

    [Fact]
    public void SidecarsAreAddedOnlyForTheMountsTheFindingsName()
    {
        var path = Copy("no-sidecars.yaml");
        var zurgOnly = Diagnose(path).Where(f => f.Mount == "zurg").ToList();

        RepairFiles(zurgOnly);

        var after = Diagnose(path);
        Assert.Equal(["torbox"], after.Where(f => f.RuleId == "MS101").Select(f => f.Mount ?? "").ToArray());
        Assert.Contains("name: rclone-zurg", File.ReadAllText(path));
    }

    [Fact]
    public void Plan_SortsFindingsIntoGrantsPatchesRestartsAndManualSteps()
    {
        var target = new DiagnosisTarget("media-stack", "plex", "plex-1", null) { ServiceAccount = "plex" };
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

        var deployment = Assert.Single(plan.Deployments);
        Assert.Equal(("media-stack", "plex", null), (deployment.Namespace, deployment.Name, deployment.File));
        Assert.Equal(["MS103", "MS104"], deployment.Findings.Select(f => f.RuleId).Order().ToArray());
        Assert.Equal(("media-stack", "plex-1", "plex"), (plan.Restarts.Single().Namespace, plan.Restarts.Single().Pod, plan.Restarts.Single().Deployment));
        Assert.Equal(("media-stack", "plex"), (plan.Grants.Single().Namespace, plan.Grants.Single().ServiceAccount));
        Assert.Equal(["MS115", "MS303"], plan.Skipped.Select(s => s.Finding.RuleId).Order().ToArray());
        Assert.All(plan.Skipped, s => Assert.Contains("do it by hand", s.Reason));
    }

    [Fact]
    public void StaticFindings_NeverPlanClusterActions()
    {
        var target = new DiagnosisTarget("media-stack", "plex", null, "/repo/apps/plex/base/deployment.yaml");
        var plan = RepairPlan.From(
        [
            new MountFinding(Rules.SccNotGranted, Severity.Error, target, "m"),
            new MountFinding(Rules.StaleMount, Severity.Error, target, "m"),
        ]);

        Assert.Empty(plan.Grants);
        Assert.Empty(plan.Restarts);
        Assert.Equal(2, plan.Skipped.Count);
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
        ];

        Assert.Equal(["secret missing", "no SCC"], RepairPlan.BlockersOf(findings, "media-stack", "overseerr").Select(b => b.Message).ToArray());
        Assert.Equal(["secret missing"], RepairPlan.BlockersOf(findings, "media-stack", "overseerr", granting: true).Select(b => b.Message).ToArray());
        Assert.Empty(RepairPlan.BlockersOf(findings, "media-stack", "sonarr"));
    }
}
