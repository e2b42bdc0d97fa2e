using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using MediaStack.Core.Diagnosis.Model;

namespace MediaStack.Core.Tests.Diagnosis;

// The about topic is where users look rule ids up: it must list every rule of the
// catalogue (singly or inside an "MSaaa..MSbbb" range) and no rule that does not exist.
public partial class RuleCatalogueDocTests
{
    private static string Topic([CallerFilePath] string source = "") =>
        File.ReadAllText(Path.Combine(Path.GetDirectoryName(source)!, "../../../docs/en-US/about_MediaStack_Troubleshooting.md"));

    [GeneratedRegex(@"\bMS(\d{3})(?:\.\.MS(\d{3}))?\b")]
    private static partial Regex RuleReference();

    private static HashSet<string> Documented()
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (Match match in RuleReference().Matches(Topic()))
        {
            var from = int.Parse(match.Groups[1].Value);
            var to = match.Groups[2].Success ? int.Parse(match.Groups[2].Value) : from;
            for (var id = from; id <= to; id++)
            {
                ids.Add($"MS{id}");
            }
        }
        return ids;
    }

    private static void AssertNone(IEnumerable<string> offenders, string what)
    {
        var list = offenders.ToArray();
        Assert.True(list.Length == 0, $"{what}: {string.Join(", ", list)}");
    }

    [Fact]
    public void EveryRuleIsDocumented() =>
        AssertNone(Rules.All.Select(rule => rule.Id).Where(id => !Documented().Contains(id)), "rules missing from the topic");

    [Fact]
    public void EverySingleIdInTheTopicExists()
    {
        var known = Rules.All.Select(rule => rule.Id).ToHashSet();
        var singles = RuleReference().Matches(Topic()).Where(m => !m.Groups[2].Success).Select(m => m.Value).Distinct();

        AssertNone(singles.Where(id => !known.Contains(id)), "ids in the topic that no rule has");
    }

    [Fact]
    public void TheCatalogueNamesEveryRuleWithItsName()
    {
        var topic = Topic();

        // The log signatures MS221..MS230 are listed as one range with their texts.
        AssertNone(Rules.All.Where(rule => string.CompareOrdinal(rule.Id, "MS221") < 0 || string.CompareOrdinal(rule.Id, "MS230") > 0)
            .Where(rule => !Regex.IsMatch(topic, $@"\b{rule.Id} {rule.Name}\b"))
            .Select(rule => $"{rule.Id} {rule.Name}"), "catalogue entries without 'id name'");
    }
}
