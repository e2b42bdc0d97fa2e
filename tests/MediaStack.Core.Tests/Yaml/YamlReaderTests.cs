using System.Text.Json;
using System.Text.Json.Nodes;
using MediaStack.Core.Yaml;

namespace MediaStack.Core.Tests.Yaml;

public class YamlReaderTests
{
    [Fact]
    public void PlainScalarsFollowTheCoreSchemaAndQuotedOnesStayStrings()
    {
        var document = YamlReader.ReadDocuments(
            "int: 42\nnegative: -7\nfloat: 1.5\nyes11: yes\noff11: Off\nn11: n\nquotedYes: 'yes'\ntrue12: true\nnull12: ~\nempty:\nquoted: \"1000\"\nsingle: 'true'\noctal11: 022\nhex: 0x1F\n").Single();

        Assert.Equal(JsonValueKind.Number, document["int"]!.GetValueKind());
        Assert.Equal(42, document["int"]!.GetValue<long>());
        Assert.Equal(-7, document["negative"]!.GetValue<long>());
        Assert.Equal(1.5, document["float"]!.GetValue<double>());
        // yes, Off and n are booleans to kubectl (YAML 1.1); quoted, a string.
        Assert.True(document["yes11"]!.GetValue<bool>());
        Assert.False(document["off11"]!.GetValue<bool>());
        Assert.False(document["n11"]!.GetValue<bool>());
        Assert.Equal("yes", document["quotedYes"]!.GetValue<string>());
        Assert.True(document["true12"]!.GetValue<bool>());
        Assert.True(document.ContainsKey("null12"));
        Assert.Null(document["null12"]);
        Assert.Null(document["empty"]);
        Assert.Equal("1000", document["quoted"]!.GetValue<string>());
        Assert.Equal("true", document["single"]!.GetValue<string>());
        // 022 is octal to kubectl (YAML 1.1 as sigs.k8s.io/yaml reads it): defaultMode: 0400.
        Assert.Equal(18, document["octal11"]!.GetValue<long>());
        Assert.Equal(31, document["hex"]!.GetValue<long>());
    }

    [Fact]
    public void NumbersConvertLikeNumbersOfAJsonDocument()
    {
        var document = YamlReader.ReadDocuments("replicas: 1\nport: 9696\nratio: 0.5\n").Single();

        Assert.Equal(1, (int?)document["replicas"]);
        Assert.Equal(9696, document["port"]!.GetValue<int>());
        Assert.Equal(9696L, (long)document["port"]!);
        Assert.Equal(0.5m, (decimal)document["ratio"]!);
        Assert.Equal("{\"replicas\":1,\"port\":9696,\"ratio\":0.5}", document.ToJsonString());
    }

    [Fact]
    public void EmptyDocumentsAreSkipped()
    {
        var documents = YamlReader.ReadDocuments("---\n---\n# only a comment\n---\nkind: Service\n---\n");

        Assert.Equal("Service", (string?)Assert.Single(documents)["kind"]);
    }

    [Fact]
    public void SyntaxErrorCarriesFileLineAndColumn()
    {
        var error = Assert.Throws<YamlSyntaxException>(() =>
            YamlReader.ReadDocuments("a: 1\nb: [1, 2\nc: 3\n", "apps/x/base/deployment.yaml"));

        Assert.Equal("YamlSyntaxError", error.ErrorId);
        Assert.Equal("apps/x/base/deployment.yaml", error.File);
        Assert.True(error.Line >= 2, $"line {error.Line}");
        Assert.True(error.Column >= 1);
        Assert.StartsWith("apps/x/base/deployment.yaml(", error.Message);
    }

    [Fact]
    public void DuplicateKeysAreAnErrorAtTheirLine()
    {
        var error = Assert.Throws<YamlSyntaxException>(() => YamlReader.ReadDocuments("a: 1\nb: 2\na: 3\n"));

        Assert.Equal(3, error.Line);
        Assert.Contains("duplicate key 'a'", error.Message);
    }

    [Fact]
    public void ADocumentThatIsNotAMappingIsRefused()
    {
        var error = Assert.Throws<YamlSyntaxException>(() => YamlReader.ReadDocuments("kind: Service\n---\n- a\n- b\n"));

        Assert.Contains("document 2 is a sequence", error.Message);
    }

    [Fact]
    public void AnchorsAndAliasesAreExpandedAsCopies()
    {
        var document = YamlReader.ReadDocuments("base: &res\n  cpu: 100m\ncopy: *res\n").Single();

        Assert.True(JsonNode.DeepEquals(document["base"], document["copy"]));
        Assert.NotSame(document["base"], document["copy"]);
        Assert.Equal("100m", (string?)document["copy"]!["cpu"]);
    }

    [Fact]
    public void ReadsFiles()
    {
        var file = Path.Combine(Path.GetTempPath(), $"mediastack-yaml-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(file, "kind: Route\n");
        try
        {
            Assert.Equal("Route", (string?)YamlReader.ReadFile(file).Single()["kind"]);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
