using System.Text;
using MediaStack.Core.Errors;
using MediaStack.Core.Yaml;

namespace MediaStack.Core.Tests.Yaml;

// The read limits: hostile text costs at most the limits, and each limit is named in a
// stable error.
public class YamlLimitTests
{
    // The audit's bomb: a0 holds ten scalars, each next level ten aliases of the one before.
    internal static string AliasBomb(int levels)
    {
        var text = new StringBuilder("a0: &a0 [" + string.Join(", ", Enumerable.Repeat("x", 10)) + "]\n");
        for (var level = 1; level < levels; level++)
        {
            text.Append($"a{level}: &a{level} [{string.Join(", ", Enumerable.Repeat($"*a{level - 1}", 10))}]\n");
        }
        return text.ToString();
    }

    [Theory]
    [InlineData(6)]
    [InlineData(7)]
    [InlineData(9)]
    public void AnAliasBombIsRefusedAfterAtMostMaxAliasNodesCopies(int levels)
    {
        var bomb = AliasBomb(levels);
        var allocated = GC.GetAllocatedBytesForCurrentThread();

        var error = Assert.IsType<YamlLimitException>(Assert.Single(YamlReader.ReadStream(bomb, "bomb.yaml", YamlReadLimits.Default)).Error);

        // Unbounded, 7 levels built ten million values (17 GB); bounded, a few MB.
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - allocated < 64L * 1024 * 1024, $"{(GC.GetAllocatedBytesForCurrentThread() - allocated) >> 20} MB allocated");
        Assert.Equal(ErrorIds.YamlLimitExceeded, error.ErrorId);
        Assert.Equal(ErrorCategory.LimitsExceeded, error.Category);
        Assert.Equal("MaxAliasNodes", error.Limit);
        Assert.Equal(YamlReadLimits.DefaultMaxAliasNodes, error.Value);
        Assert.Equal(0, error.DocumentIndex);
        Assert.Equal("bomb.yaml", error.File);
        Assert.Equal(5, error.Line);
        Assert.Contains("MaxAliasNodes (100000)", error.Message);
        Assert.Contains("MaxAliasNodes", error.RecommendedAction);
    }

    [Fact]
    public void AliasesWithinTheLimitAreCopiesAndCountAgainstIt()
    {
        var three = YamlReader.ReadDocuments(AliasBomb(3), null, YamlReadLimits.Default).Single();
        Assert.Equal(10, three["a2"]!.AsArray().Count);
        Assert.Equal("x", (string?)three["a2"]![9]![9]![9]);

        // 10 + 10 * 11 copied values in a2 = 1110 + 110 = 1220 copies in all.
        var tight = new YamlReadLimits(MaxAliasNodes: 1219);
        Assert.Equal("MaxAliasNodes", Assert.IsType<YamlLimitException>(Assert.Single(YamlReader.ReadStream(AliasBomb(3), null, tight)).Error).Limit);
        Assert.Single(YamlReader.ReadStream(AliasBomb(3), null, tight with { MaxAliasNodes = 1220 }), document => document.Root is not null);
    }

    [Theory]
    [InlineData("[", "]")]
    [InlineData("{a: ", "}")]
    [InlineData("- ", "")]
    public void NestingDeeperThanMaxDepthIsRefusedWithoutExhaustingTheStack(string open, string close)
    {
        const int deep = 200_000;
        var text = open == "- "
            ? string.Concat(Enumerable.Range(0, 100).Select(level => new string(' ', level * 2) + "- \n")) + new string(' ', 200) + "x\n"
            : string.Concat(Enumerable.Repeat(open, deep)) + "x" + string.Concat(Enumerable.Repeat(close, deep)) + "\n";

        var documents = YamlReader.ReadStream("kind: First\n---\n" + text + "---\nkind: Last\n", null, YamlReadLimits.Default);

        // The stream ends at the limit: passing over the rest of such a text could be slow.
        Assert.Equal(2, documents.Count);
        var error = Assert.IsType<YamlLimitException>(documents[1].Error);
        Assert.Equal("MaxDepth", error.Limit);
        Assert.Equal(1, error.DocumentIndex);
        Assert.Equal("First", (string?)documents[0].Root!["kind"]);
    }

    [Fact]
    public void ExactlyMaxDepthLevelsAreRead()
    {
        var limits = new YamlReadLimits(MaxDepth: 10);
        string Nested(int levels) => string.Concat(Enumerable.Repeat("{a: ", levels)) + "x" + new string('}', levels);

        Assert.NotNull(YamlReader.ReadStream(Nested(10), null, limits).Single().Root);
        Assert.Equal("MaxDepth", Assert.IsType<YamlLimitException>(YamlReader.ReadStream(Nested(11), null, limits).Single().Error).Limit);
    }

    [Fact]
    public void MaxNodesEndsTheStreamWithTheDocumentsBeforeIt()
    {
        var limits = new YamlReadLimits(MaxNodes: 1000);
        var big = "items:\n" + string.Concat(Enumerable.Range(0, 2000).Select(i => $"- {i}\n"));

        var documents = YamlReader.ReadStream("kind: A\n---\n" + big + "---\nkind: C\n", "f.yaml", limits);

        Assert.Equal(2, documents.Count);
        Assert.Equal("A", (string?)documents[0].Root!["kind"]);
        var error = Assert.IsType<YamlLimitException>(documents[1].Error);
        Assert.Equal("MaxNodes", error.Limit);
        Assert.Equal(1, documents[1].Index);
    }

    [Fact]
    public void TextOverMaxFileBytesIsNotParsed()
    {
        var limits = new YamlReadLimits(MaxFileBytes: 2048);
        var text = "a: " + new string('x', 3000) + "\n";

        var error = Assert.IsType<YamlLimitException>(Assert.Single(YamlReader.ReadStream(text, "big.yaml", limits)).Error);

        Assert.Equal("MaxFileBytes", error.Limit);
        Assert.Equal(0, error.Line);
        Assert.Null(error.DocumentIndex);
        Assert.StartsWith("big.yaml: the read limit MaxFileBytes (2048) was exceeded", error.Message);
        // Multi-byte characters count as the bytes they take in the file.
        Assert.NotNull(YamlReader.ReadStream("a: " + new string('é', 700), null, limits).Single().Root);
        Assert.NotNull(YamlReader.ReadStream("a: " + new string('é', 1100), null, limits).Single().Error);
    }

    [Fact]
    public void AFileOverMaxFileBytesIsRefusedBeforeItIsRead()
    {
        var file = Path.Combine(Path.GetTempPath(), $"mediastack-big-{Guid.NewGuid():N}.yaml");
        try
        {
            using (var stream = File.Create(file))
            {
                // Sparse: a large file that costs nothing to make.
                stream.SetLength(YamlReadLimits.DefaultMaxFileBytes + 1);
            }
            var allocated = GC.GetAllocatedBytesForCurrentThread();

            var document = Assert.Single(YamlReader.ReadStreamFromFile(file, YamlReadLimits.Default));

            Assert.True(GC.GetAllocatedBytesForCurrentThread() - allocated < 1024 * 1024);
            Assert.Equal("MaxFileBytes", Assert.IsType<YamlLimitException>(document.Error).Limit);
            Assert.Equal("MaxFileBytes", Assert.Throws<YamlLimitException>(() => YamlReader.ReadFile(file)).Limit);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void ADeviceIsReadOnlyUpToMaxFileBytes()
    {
        if (!File.Exists("/dev/zero"))
        {
            return;
        }
        var error = Assert.Throws<YamlLimitException>(() => YamlReader.ReadText("/dev/zero", new YamlReadLimits(MaxFileBytes: 100_000)));
        Assert.Equal("MaxFileBytes", error.Limit);
    }

    [Fact]
    public void AFolderOrAMissingFileIsPathNotReadable()
    {
        var folder = Directory.CreateTempSubdirectory("mediastack-yaml-").FullName;
        try
        {
            foreach (var path in new[] { folder, Path.Combine(folder, "missing.yaml"), Path.Combine(folder, "no", "such.yaml") })
            {
                var error = Assert.Single(YamlReader.ReadStreamFromFile(path, YamlReadLimits.Default)).Error;
                Assert.Equal(ErrorIds.PathNotReadable, error!.ErrorId);
                Assert.Equal(ErrorCategory.ReadError, error.Category);
                Assert.Equal(path, error.Target);
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void LimitsAreValidated()
    {
        Assert.Empty(YamlReadLimits.Default.Problems());
        var problems = new YamlReadLimits(MaxFileBytes: 10, MaxDepth: 2, MaxNodes: 5, MaxAliasNodes: -1).Problems();
        Assert.Equal(["MaxFileBytes", "MaxDepth", "MaxNodes", "MaxAliasNodes"], problems.Select(problem => problem.Limit));
    }
}
