using MediaStack.Core.Config;
using MediaStack.Core.Errors;
using MediaStack.Core.Manifests;
using MediaStack.Core.Yaml;

namespace MediaStack.Core.Tests.Config;

// The read limits in the config, time zones checked against the platform's database, the
// messages of an unusable config, and -Environment values.
public sealed class HostileConfigTests
{
    [Fact]
    public void ReadLimitsAreSavedLoadedAndLaidOverTheDefaults()
    {
        var config = MediaStackConfigStore.Parse("""{ "readLimits": { "maxFileBytes": 1048576 } }""");

        Assert.Equal(new YamlReadLimits(MaxFileBytes: 1048576), config.ReadLimits);
        Assert.Contains("\"readLimits\"", MediaStackConfigStore.ToJson(MediaStackConfig.Default));
        Assert.Equal(config.ReadLimits, MediaStackConfigStore.Parse(MediaStackConfigStore.ToJson(config)).ReadLimits);
    }

    [Theory]
    [InlineData("""{ "readLimits": { "maxDepth": 2 } }""", "ReadLimits.MaxDepth")]
    [InlineData("""{ "readLimits": { "maxAliasNodes": -1 } }""", "ReadLimits.MaxAliasNodes")]
    [InlineData("""{ "readLimits": null }""", "ReadLimits")]
    [InlineData("""{ "timeZone": "Mars/Olympus" }""", "TimeZone")]
    [InlineData("""{ "timeZone": "europe/paris" }""", "TimeZone")]
    public void ABadLimitOrTimeZoneMakesTheFileUnusable(string json, string field)
    {
        var error = Assert.Throws<ConfigException>(() => MediaStackConfigStore.Parse(json, "config.json"));

        Assert.Equal(ErrorIds.ConfigFileInvalid, error.ErrorId);
        Assert.Contains(field, error.Problems.Select(problem => problem.Field));
        // Two sentences, each ending with its full stop.
        Assert.Matches(@"^The config file config\.json is invalid: .*[^.]\. The built-in defaults are used instead\.$", error.Message);
    }

    [Theory]
    [InlineData("Europe/Paris", true)]
    [InlineData("America/Argentina/Buenos_Aires", true)]
    [InlineData("Etc/UTC", true)]
    [InlineData("UTC", true)]
    [InlineData("Mars/Olympus", false)]
    [InlineData("europe/paris", false)]
    [InlineData("Romance Standard Time", false)]
    [InlineData("../../etc/passwd", false)]
    [InlineData("", false)]
    public void TimeZonesAreThoseOfTheIanaDatabase(string zone, bool known)
    {
        Assert.Equal(known, MediaStackConfig.IsTimeZoneName(zone));
        Assert.Equal(known, !(MediaStackConfig.Default with { TimeZone = zone }).Validate().Any(problem => problem.Field == "TimeZone"));
    }

    [Fact]
    public void TheDefaultTimeZoneIsAlwaysValid()
    {
        Assert.Empty(MediaStackConfig.Default.Validate());
    }

    [Fact]
    public void EnvironmentValuesAreScalarsAsText()
    {
        var values = EnvironmentValues.From([new("PUID", 1000), new("RATIO", 0.5), new("ON", true), new("NAME", "x"), new("NONE", null)]);

        Assert.Equal(["1000", "0.5", "True", "x", ""], values.Values);
    }

    [Theory]
    [InlineData("table")]
    [InlineData("list")]
    [InlineData("date")]
    public void AnEnvironmentValueThatIsNotAScalarIsInvalidEnvironment(string kind)
    {
        object value = kind switch { "table" => new System.Collections.Hashtable { ["a"] = 1 }, "list" => new[] { 1, 2 }, _ => DateTime.UnixEpoch };

        var error = Assert.Throws<MediaStackException>(() => EnvironmentValues.From([new("PUID", value)]));

        Assert.Equal(ErrorIds.InvalidEnvironment, error.ErrorId);
        Assert.Contains("'PUID'", error.Message);
        Assert.NotNull(error.RecommendedAction);
        Assert.Equal(ErrorIds.InvalidEnvironment, Assert.Throws<MediaStackException>(() => EnvironmentValues.From([new("A", 1), new("A", 2)])).ErrorId);
    }
}
