using System.Text.Json.Nodes;
using MediaStack.Core.Yaml;

namespace MediaStack.Core.Tests.Yaml;

public class YamlWriterTests
{
    [Theory]
    [InlineData("1000")]
    [InlineData("022")]
    [InlineData("true")]
    [InlineData("False")]
    [InlineData("yes")]
    [InlineData("off")]
    [InlineData("y")]
    [InlineData("null")]
    [InlineData("~")]
    [InlineData("")]
    [InlineData("zurg:")]
    [InlineData("*")]
    [InlineData("-")]
    [InlineData("a: b")]
    [InlineData("value #comment")]
    [InlineData("#comment")]
    [InlineData(" leading")]
    [InlineData("trailing ")]
    [InlineData("1e3")]
    [InlineData("0x1F")]
    [InlineData("0o17")]
    [InlineData("1:20")]
    [InlineData("2001-12-14")]
    [InlineData("2001-12-14T21:59:43.10Z")]
    [InlineData("---")]
    [InlineData("...")]
    [InlineData("--- not a document")]
    [InlineData("1_000")]
    [InlineData("-1.5")]
    [InlineData(".5")]
    [InlineData(".inf")]
    [InlineData("&anchor")]
    [InlineData("!tag")]
    [InlineData("|")]
    [InlineData(">")]
    [InlineData("[a]")]
    [InlineData("{a}")]
    [InlineData("'single'")]
    [InlineData("\"double\"")]
    [InlineData("%directive")]
    [InlineData("@at")]
    [InlineData("`tick")]
    [InlineData("<<")]
    [InlineData("=")]
    [InlineData("tab\there")]
    [InlineData("bell\u0007")]
    [InlineData("carriage\r\nreturn")]
    [InlineData("back\\slash \"quote\" and: colon")]
    public void StringsThatCouldBeMisreadAreDoubleQuotedAndReadBackUnchanged(string value)
    {
        var yaml = YamlWriter.Write(new JsonObject { ["key"] = value });

        Assert.StartsWith("key: \"", yaml);
        Assert.Equal(value, (string?)YamlReader.ReadDocuments(yaml).Single()["key"]);
    }

    [Theory]
    [InlineData("--allow-other")]
    [InlineData("-c")]
    [InlineData("/mnt/media/zurg")]
    [InlineData("500m")]
    [InlineData("1Gi")]
    [InlineData("5m")]
    [InlineData("zurg:path")]
    [InlineData("--rc-addr=127.0.0.1:5572")]
    [InlineData("test -d /mnt/media/zurg/__all__ || exit 1")]
    [InlineData("Etc/UTC")]
    [InlineData("lscr.io/linuxserver/prowlarr:latest")]
    [InlineData("héllo wörld")]
    public void OrdinaryStringsArePlain(string value)
    {
        var yaml = YamlWriter.Write(new JsonObject { ["key"] = value });

        Assert.Equal($"key: {value}\n", yaml);
        Assert.Equal(value, (string?)YamlReader.ReadDocuments(yaml).Single()["key"]);
    }

    [Theory]
    [InlineData("one\ntwo\n", "|\n")]
    [InlineData("one\ntwo", "|-\n")]
    [InlineData("one\ntwo\n\n", "|+\n")]
    [InlineData("one\n  indented\n\nafter blank\n", "|\n")]
    public void MultiLineStringsAreLiteralBlocksWithTheRightChomping(string value, string header)
    {
        var yaml = YamlWriter.Write(new JsonObject { ["script"] = value });

        Assert.StartsWith("script: " + header, yaml);
        Assert.Equal(value, (string?)YamlReader.ReadDocuments(yaml).Single()["script"]);
    }

    [Fact]
    public void MultiLineStringStartingWithASpaceIsDoubleQuoted()
    {
        var yaml = YamlWriter.Write(new JsonObject { ["script"] = "  indented\nnext" });

        Assert.Equal("script: \"  indented\\nnext\"\n", yaml);
    }

    [Fact]
    public void SequencesUnderAKeyAreNotIndentedAndMapsInSequencesStartOnTheDashLine()
    {
        var document = new JsonObject
        {
            ["containers"] = new JsonArray(
                new JsonObject { ["name"] = "app", ["args"] = new JsonArray("a", "b") },
                new JsonObject { ["name"] = "side" }),
        };

        Assert.Equal(
            "containers:\n- name: app\n  args:\n  - a\n  - b\n- name: side\n",
            YamlWriter.Write(document));
    }

    [Fact]
    public void NullsAreDroppedAndEmptyCollectionsAreFlow()
    {
        var document = new JsonObject
        {
            ["keep"] = 1,
            ["gone"] = null,
            ["emptyMap"] = new JsonObject(),
            ["emptyList"] = new JsonArray(),
            ["onlyNulls"] = new JsonObject { ["x"] = null },
            ["list"] = new JsonArray(null, "x"),
        };

        Assert.Equal("keep: 1\nemptyMap: {}\nemptyList: []\nonlyNulls: {}\nlist:\n- x\n", YamlWriter.Write(document));
    }

    [Fact]
    public void NumbersAndBooleansArePlainScalars()
    {
        var document = new JsonObject { ["port"] = 9696, ["ratio"] = 0.25, ["privileged"] = true, ["readOnly"] = false };

        var yaml = YamlWriter.Write(document);

        Assert.Equal("port: 9696\nratio: 0.25\nprivileged: true\nreadOnly: false\n", yaml);
        var read = YamlReader.ReadDocuments(yaml).Single();
        Assert.Equal(9696, read["port"]!.GetValue<long>());
        Assert.True(read["privileged"]!.GetValue<bool>());
    }

    [Fact]
    public void NestedSequencesAndKeysThatNeedQuotingRoundTrip()
    {
        var document = new JsonObject
        {
            ["matrix"] = new JsonArray(new JsonArray(1, 2), new JsonArray(new JsonObject { ["a"] = "b" })),
            ["true"] = "key that reads as a bool",
            ["checksum/config"] = "x",
        };

        var yaml = YamlWriter.Write(document);

        Assert.Contains("matrix:\n- - 1\n  - 2\n- - a: b\n", yaml);
        Assert.Contains("\"true\": key that reads as a bool\n", yaml);
        Assert.True(JsonNode.DeepEquals(document, YamlReader.ReadDocuments(yaml).Single()));
    }

    [Fact]
    public void DocumentsAreSeparatedAndOutputIsDeterministic()
    {
        JsonObject Make(string kind) => new() { ["apiVersion"] = "v1", ["kind"] = kind, ["metadata"] = new JsonObject { ["name"] = "x" } };

        var first = YamlWriter.WriteDocuments([Make("Service"), Make("ConfigMap")]);
        var second = YamlWriter.WriteDocuments([Make("Service"), Make("ConfigMap")]);

        Assert.Equal(first, second);
        Assert.Equal("apiVersion: v1\nkind: Service\nmetadata:\n  name: x\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n", first);
        Assert.Equal(["Service", "ConfigMap"], YamlReader.ReadDocuments(first).Select(document => (string?)document["kind"]));
    }

    [Fact]
    public void LiteralBlockInsideASequenceIsIndentedUnderTheItem()
    {
        var document = new JsonObject { ["command"] = new JsonArray("/bin/sh", "-c", "echo one\necho two\n") };

        var yaml = YamlWriter.Write(document);

        Assert.Equal("command:\n- /bin/sh\n- -c\n- |\n  echo one\n  echo two\n", yaml);
        Assert.True(JsonNode.DeepEquals(document, YamlReader.ReadDocuments(yaml).Single()));
    }
}
