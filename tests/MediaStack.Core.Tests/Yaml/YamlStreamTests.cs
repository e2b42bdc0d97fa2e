using MediaStack.Core.Errors;
using MediaStack.Core.Yaml;

namespace MediaStack.Core.Tests.Yaml;

// ReadStream: one entry per document, bad documents as errors next to the good ones, and
// where each value is written.
public class YamlStreamTests
{
    private static IReadOnlyList<YamlDocument> Read(string text, string? file = "f.yaml") =>
        YamlReader.ReadStream(text, file, YamlReadLimits.Default);

    [Fact]
    public void ABadDocumentIsOneErrorAndTheDocumentsAfterItAreRead()
    {
        var documents = Read("kind: A\n---\nkind: B\nname: x\nname: y\n---\n- a list\n---\nkind: D\n");

        Assert.Equal([0, 1, 2, 3], documents.Select(document => document.Index));
        Assert.Equal("A", (string?)documents[0].Root!["kind"]);
        var duplicate = Assert.IsType<YamlSyntaxException>(documents[1].Error);
        Assert.Equal((5, 1, 1), (duplicate.Line, duplicate.Column, duplicate.DocumentIndex!.Value));
        Assert.Equal("f.yaml(5,1): duplicate key 'name'", duplicate.Message);
        Assert.Equal((2, 1), (documents[1].Line, documents[1].Column));
        var list = Assert.IsType<YamlSyntaxException>(documents[2].Error);
        Assert.Contains("document 3 is a sequence, not a mapping", list.Message);
        Assert.Equal(2, list.DocumentIndex);
        Assert.Equal("D", (string?)documents[3].Root!["kind"]);
        Assert.All(documents, document => Assert.True(document.Root is null != (document.Error is null)));
    }

    [Fact]
    public void UnknownAliasesAndComplexKeysAreErrorsOfTheirDocument()
    {
        var documents = Read("a: *nowhere\n---\n? [1, 2]\n: x\n---\nok: true\n");

        Assert.Contains("unknown alias *nowhere", documents[0].Error!.Message);
        Assert.Contains("only scalar mapping keys", documents[1].Error!.Message);
        Assert.Equal(true, (bool?)documents[2].Root!["ok"]);
    }

    [Fact]
    public void BrokenSyntaxEndsTheStreamAsItsLastEntry()
    {
        var documents = Read("kind: A\n---\nkind: B\n---\na: [1, 2\nb: 3\n---\nkind: never\n");

        Assert.Equal(3, documents.Count);
        Assert.NotNull(documents[0].Root);
        Assert.NotNull(documents[1].Root);
        var error = Assert.IsType<YamlSyntaxException>(documents[2].Error);
        Assert.Equal(ErrorIds.YamlSyntaxError, error.ErrorId);
        Assert.Equal(2, error.DocumentIndex);
        Assert.True(error.Line >= 5);
    }

    [Fact]
    public void ABrokenDocumentAfterAnErrorInTheSameDocumentIsOneError()
    {
        var documents = Read("a: 1\na: 2\nb: [1,\n");

        Assert.Contains("duplicate key", Assert.Single(documents).Error!.Message);
    }

    [Fact]
    public void EmptyDocumentsAreLeftOutAndNotCounted()
    {
        var documents = Read("---\n# only a comment\n---\n~\n---\nkind: Service\n---\n---\nkind: Route\n");

        Assert.Equal([0, 1], documents.Select(document => document.Index));
        Assert.Equal(5, documents[0].Line);
        Assert.Equal("Route", (string?)documents[1].Root!["kind"]);
    }

    [Fact]
    public void ReadDocumentsThrowsTheFirstError()
    {
        var error = Assert.Throws<YamlSyntaxException>(() => YamlReader.ReadDocuments("a: 1\n---\nb: 1\nb: 2\n---\nc: *x\n", "f.yaml"));

        Assert.Contains("duplicate key 'b'", error.Message);
        Assert.Equal(1, error.DocumentIndex);
    }

    private const string Deployment = """
        # leading comment
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: sonarr
          labels: {app: sonarr, "a/b": x, "t~": y}
        spec:
          template:
            spec:
              containers:
                - name: rclone-zurg
                  args:
                    - mount
                    - "zurg:"
                - name: sonarr
                  resources: &res
                    limits: {cpu: "1"}
              initContainers:
                - name: init
                  resources: *res

        """;

    [Theory]
    [InlineData("", 2, 1)]
    [InlineData("/kind", 3, 1)]
    [InlineData("/metadata/name", 5, 3)]
    [InlineData("/metadata/labels/app", 6, 12)]
    [InlineData("/metadata/labels/a~1b", 6, 25)]
    [InlineData("/metadata/labels/t~0", 6, 35)]
    [InlineData("/spec/template/spec/containers/0", 11, 11)]
    [InlineData("/spec/template/spec/containers/0/args/1", 14, 15)]
    [InlineData("/spec/template/spec/containers/1/resources/limits/cpu", 17, 22)]
    [InlineData("/spec/template/spec/initContainers/0/resources", 20, 11)]
    [InlineData("/spec/template/spec/initContainers/0/resources/limits/cpu", 20, 11)]
    public void PositionOfFindsWhereAValueIsWritten(string pointer, int line, int column)
    {
        var document = Read(Deployment).Single();

        Assert.Equal(new YamlPosition(line, column), document.PositionOf(pointer));
    }

    [Fact]
    public void PositionOfIsNullForWhatIsNotThereAndNearestFindsTheAncestor()
    {
        var document = Read(Deployment).Single();

        Assert.Null(document.PositionOf("/spec/template/spec/volumes"));
        Assert.Null(document.PositionOf("/spec/template/spec/containers/7"));
        Assert.Null(document.PositionOf("no-slash"));
        Assert.Equal(new YamlPosition(9, 5), document.NearestPositionOf("/spec/template/spec/volumes/0/name"));
        Assert.Equal(new YamlPosition(14, 15), document.NearestPositionOf("/spec/template/spec/containers/0/args/1"));
    }

    [Fact]
    public void PositionsOfLaterDocumentsCountTheWholeTextAndCrLf()
    {
        var text = "kind: A\r\n---\r\n# c\r\nkind: B\r\nspec:\r\n  x: [1, 2]\r\n---\r\n\r\nkind: C\r\nitems:\r\n- a\r\n- b\r\n";

        var documents = Read(text);

        Assert.Equal(new YamlPosition(6, 10), documents[1].PositionOf("/spec/x/1"));
        Assert.Equal(new YamlPosition(12, 3), documents[2].PositionOf("/items/1"));
        Assert.Equal(new YamlPosition(9, 1), documents[2].PositionOf("/kind"));
        Assert.Equal(new YamlPosition(1, 1), documents[0].PositionOf("/kind"));
    }

    [Fact]
    public void ADocumentWithAnErrorHasNoPositions()
    {
        var documents = Read("a: 1\na: 2\n");

        Assert.Null(documents[0].PositionOf(""));
    }

    [Theory]
    [InlineData("n: 0o17", 15L)]
    [InlineData("n: 0x1F", 31L)]
    public void NumbersInOtherBasesAreNumbers(string text, long expected)
    {
        Assert.Equal(expected, (long)Read(text).Single().Root!["n"]!);
    }

    [Theory]
    [InlineData("n: 0o7777777777777777777777777777")]
    [InlineData("n: 0xFFFFFFFFFFFFFFFFFFFFFF")]
    [InlineData("n: 1e999")]
    [InlineData("n: .inf")]
    public void NumbersWithoutAJsonFormStayStrings(string text)
    {
        Assert.Equal(text[3..], (string?)Read(text).Single().Root!["n"]);
    }

    [Fact]
    public void AHugeIntegerIsADoubleOrAString()
    {
        Assert.Equal(1e30, (double)Read("n: 1000000000000000000000000000000").Single().Root!["n"]!);
        var digits = new string('9', 400);
        Assert.Equal(digits, (string?)Read("n: " + digits).Single().Root!["n"]);
    }
}
