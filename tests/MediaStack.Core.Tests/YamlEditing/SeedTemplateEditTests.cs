using MediaStack.Core.Config;
using MediaStack.Core.Sidecars.Reconcile;
using MediaStack.Core.Yaml;
using MediaStack.Core.Yaml.Editing;

namespace MediaStack.Core.Tests.YamlEditing;

// The seed toolkit's own template (filled in for bazarr): its sidecars are almost right, so
// the edit must be exactly the rc address on loopback and the preStop unmount, nothing else.
public class SeedTemplateEditTests
{
    private static readonly MediaStackConfig Config = MediaStackConfig.Default with { TimeZone = "Etc/UTC" };

    [Fact]
    public void TheSeedTemplateGetsOnlyTheMissingChanges()
    {
        var text = Fixtures.SeedBazarr;
        var deployment = YamlReader.ReadDocuments(text)[0];
        var plan = SidecarPlanner.Plan(deployment, Config);
        var edited = YamlTextEditor.Apply(text, 0, plan.Operations);
        var diff = UnifiedDiff.Create(text, edited, "a/deployment.yaml", "b/deployment.yaml");
        Assert.Equal(Fixtures.SeedBazarrDiff, diff);
        Assert.True(SidecarPlanner.Plan(YamlReader.ReadDocuments(edited)[0], Config).IsEmpty);
    }
}
