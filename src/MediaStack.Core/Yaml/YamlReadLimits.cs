using System.Globalization;

namespace MediaStack.Core.Yaml;

// What reading one YAML file may cost at most, so that a file someone put into a GitOps
// repository cannot take down the machine that reads it (an alias bomb of 533 bytes expands
// to ten million nodes). The defaults are far above any real manifest: the API server takes
// at most 3 MiB per object and no Kubernetes object nests 64 collections deep.
//
//   MaxFileBytes   size of one file, checked before it is read (and while reading, for
//                  files that grow or are not regular files)
//   MaxDepth       collections nested in one another (System.Text.Json reads 64 by default)
//   MaxNodes       values (scalars, sequences, mappings, and the copies aliases make) in one
//                  file; over it, the rest of the file is not read
//   MaxAliasNodes  values that aliases copy in one document; counted before copying, so a
//                  bomb is refused after this many copies at most
public sealed record YamlReadLimits(
    long MaxFileBytes = YamlReadLimits.DefaultMaxFileBytes,
    int MaxDepth = YamlReadLimits.DefaultMaxDepth,
    int MaxNodes = YamlReadLimits.DefaultMaxNodes,
    int MaxAliasNodes = YamlReadLimits.DefaultMaxAliasNodes)
{
    public const long DefaultMaxFileBytes = 64L * 1024 * 1024;
    public const int DefaultMaxDepth = 64;
    public const int DefaultMaxNodes = 4_000_000;
    public const int DefaultMaxAliasNodes = 100_000;

    public static YamlReadLimits Default { get; } = new();

    // Each problem as (limit name, what is wrong); empty when every limit is usable.
    public IReadOnlyList<(string Limit, string Problem)> Problems()
    {
        var problems = new List<(string, string)>();
        void Check(bool ok, string limit, string problem)
        {
            if (!ok)
            {
                problems.Add((limit, problem));
            }
        }
        Check(MaxFileBytes >= 1024, nameof(MaxFileBytes), $"{MaxFileBytes} is below 1024 bytes.");
        Check(MaxDepth is >= 8 and <= 1000, nameof(MaxDepth), $"{MaxDepth} is outside 8..1000.");
        Check(MaxNodes >= 1000, nameof(MaxNodes), $"{MaxNodes} is below 1000.");
        Check(MaxAliasNodes >= 0, nameof(MaxAliasNodes), $"{MaxAliasNodes} is negative.");
        return problems;
    }

    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"MaxFileBytes={MaxFileBytes} MaxDepth={MaxDepth} MaxNodes={MaxNodes} MaxAliasNodes={MaxAliasNodes}");
}
