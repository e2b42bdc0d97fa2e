using System.Text.Json.Nodes;
using MediaStack.Core.JsonPatch;
using MediaStack.Core.Yaml;
using MediaStack.Core.Yaml.Editing;

namespace MediaStack.Core.Tests.YamlEditing;

public class YamlTextEditorTests
{
    private static string Apply(string text, params PatchOperation[] operations) =>
        YamlTextEditor.Apply(text, 0, operations);

    private static JsonNode Json(string json) => JsonNode.Parse(json)!;

    [Fact]
    public void AddsAMappingKeyAtTheEndKeepingCommentsAndQuoting()
    {
        var before = """
            # header comment
            spec:
              name: "quoted"   # trailing
              other: 'single'

              last: plain
            tail: 1
            """ + "\n";
        var after = Apply(before, PatchOperation.Add("/spec/added", Json("""{"a":true,"b":["x","y"]}""")));
        Assert.Equal("""
            # header comment
            spec:
              name: "quoted"   # trailing
              other: 'single'

              last: plain
              added:
                a: true
                b:
                - x
                - "y"
            tail: 1
            """ + "\n", after);
    }

    [Fact]
    public void ReplacingAScalarKeepsItsQuotingStyle()
    {
        var before = "a: \"one\" # why\nb: 'two'\nc: three\n";
        var after = Apply(before,
            PatchOperation.Replace("/a", JsonValue.Create("uno")),
            PatchOperation.Replace("/b", JsonValue.Create("it's")),
            PatchOperation.Replace("/c", JsonValue.Create("true")));
        Assert.Equal("a: \"uno\" # why\nb: 'it''s'\nc: \"true\"\n", after);
    }

    [Fact]
    public void InsertsSequenceItemsBeforeLeadingCommentsInIndentedSequences()
    {
        var before = """
            spec:
                containers:
                    # the app
                    -   name: app
                        image: app:1
                    - name: nginx
                      image: nginx
            """ + "\n";
        var after = Apply(before, PatchOperation.Add("/spec/containers/0", Json("""{"name":"rclone-zurg","securityContext":{"privileged":true},"args":["mount","zurg:"]}""")));
        Assert.Equal("""
            spec:
                containers:
                    -   name: rclone-zurg
                        securityContext:
                            privileged: true
                        args:
                            -   mount
                            -   "zurg:"
                    # the app
                    -   name: app
                        image: app:1
                    - name: nginx
                      image: nginx
            """ + "\n", after);
    }

    [Fact]
    public void AppendsToNonIndentedSequenceAndKeepsCrlf()
    {
        var before = "volumes:\r\n- name: a\r\n  emptyDir: {}\r\n# end\r\n";
        var after = Apply(before, PatchOperation.Add("/volumes/-", Json("""{"name":"s","secret":{"secretName":"s","defaultMode":256}}""")));
        Assert.Equal("volumes:\r\n- name: a\r\n  emptyDir: {}\r\n- name: s\r\n  secret:\r\n    secretName: s\r\n    defaultMode: 256\r\n# end\r\n", after);
    }

    [Fact]
    public void RemovesItemsAndKeysWithTheirOwnCommentLinesButNotTheirNeighbours()
    {
        var before = """
            list:
            # one
            - a
            # two
            - b
            map:
              keep: 1
              # why drop exists
              drop:   # gone
                deep: true
              # also stays
              also: 2
            """ + "\n";
        var after = Apply(before, PatchOperation.Remove("/list/0"), PatchOperation.Remove("/map/drop"));
        Assert.Equal("""
            list:
            # two
            - b
            map:
              keep: 1
              # also stays
              also: 2
            """ + "\n", after);
    }

    [Fact]
    public void FlowCollectionsAreRewrittenAsTheSmallestEnclosingNode()
    {
        var before = "c:\n  args: [\"a\", \"b\"]   # note\n  securityContext: {}\n  x: 1\n";
        var after = Apply(before,
            PatchOperation.Add("/c/args/-", JsonValue.Create("c")),
            PatchOperation.Add("/c/securityContext/privileged", JsonValue.Create(true)));
        Assert.Equal("c:\n  args: [a, b, c]   # note\n  securityContext:\n    privileged: true\n  x: 1\n", after);
    }

    [Fact]
    public void FlowCollectionsWithContentStayFlow()
    {
        var before = "c:\n  volumeMounts:\n  - {name: media-storage, mountPath: /mnt/media}  # shared\n  args: [mount, \"zurg:\", /mnt/media/zurg]\n  empty: []\n";
        var after = Apply(before,
            PatchOperation.Add("/c/volumeMounts/0/mountPropagation", JsonValue.Create("HostToContainer")),
            PatchOperation.Replace("/c/args/2", JsonValue.Create("a, b")),
            PatchOperation.Add("/c/args/-", JsonValue.Create("--rc-addr=127.0.0.1:5572")),
            PatchOperation.Add("/c/empty/-", Json("""{"name":"x"}""")));
        Assert.Equal("c:\n  volumeMounts:\n  - {name: media-storage, mountPath: /mnt/media, mountPropagation: HostToContainer}  # shared\n"
            + "  args: [mount, \"zurg:\", \"a, b\", --rc-addr=127.0.0.1:5572]\n  empty:\n  - name: x\n", after);
    }

    [Fact]
    public void IndentationIsReadFromTheNeighboursFirst()
    {
        // The document mostly uses 2 spaces; this container uses 4 and indented sequences.
        var before = "a:\n  b:\n    c: 1\n  list:\n  - x\nspec:\n    containers:\n        -   name: app\n            env:\n                -   name: TZ\n";
        var after = Apply(before, PatchOperation.Add("/spec/containers/0/volumeMounts", Json("""[{"name":"m","mountPath":"/mnt/media"}]""")));
        Assert.Equal(before + "            volumeMounts:\n                -   name: m\n                    mountPath: /mnt/media\n", after);
    }

    [Fact]
    public void ReplacingABlockKeepsTheKeyLineComment()
    {
        var before = "args:   # rclone args\n  - mount\n  - \"zurg:\"\nnext: 1\n";
        var after = Apply(before, PatchOperation.Replace("/args", Json("""["mount","zurg:","--rc-addr=127.0.0.1:5572"]""")));
        Assert.Equal("args:   # rclone args\n  - mount\n  - \"zurg:\"\n  - --rc-addr=127.0.0.1:5572\nnext: 1\n", after);
    }

    [Fact]
    public void RemovingTheOnlyItemLeavesAnEmptyFlowSequence()
    {
        var before = "a:\n  items:\n  - only\n  b: 1\n";
        Assert.Equal("a:\n  items: []\n  b: 1\n", Apply(before, PatchOperation.Remove("/a/items/0")));
    }

    [Fact]
    public void AddsAKeyToAnEmptyValue()
    {
        var before = "a:\n  initContainers:\n  b: 1\n";
        var after = Apply(before, PatchOperation.Add("/a/initContainers", Json("""[{"name":"init-dirs"}]""")));
        Assert.Equal("a:\n  initContainers:\n  - name: init-dirs\n  b: 1\n", after);
    }

    [Fact]
    public void EditsOnlyTheChosenDocumentOfAMultiDocumentFile()
    {
        var before = "# svc\nkind: Service\nspec: {a: 1}\n---\n\n---\nkind: Deployment\nspec:\n  x: 1\n---\nkind: Route\n";
        var after = YamlTextEditor.Apply(before, 1, [PatchOperation.Add("/spec/z", JsonValue.Create("two"))]);
        Assert.Equal("# svc\nkind: Service\nspec: {a: 1}\n---\n\n---\nkind: Deployment\nspec:\n  x: 1\n  z: two\n---\nkind: Route\n", after);
    }

    [Fact]
    public void LiteralBlocksAreRenderedAtTheFileIndentation()
    {
        var before = "c:\n    command:\n        - sh\n";
        var after = Apply(before, PatchOperation.Add("/c/command/-", JsonValue.Create("mkdir -p /a\nls /a\n")));
        Assert.Equal("c:\n    command:\n        - sh\n        - |\n          mkdir -p /a\n          ls /a\n", after);
        Assert.Equal("mkdir -p /a\nls /a\n", YamlReader.ReadDocuments(after)[0]["c"]!["command"]![1]!.GetValue<string>());
    }

    [Fact]
    public void AFileWithoutFinalNewlineStaysWithoutOne()
    {
        Assert.Equal("a: 1\nb: 2", Apply("a: 1", PatchOperation.Add("/b", JsonValue.Create(2))));
    }

    [Fact]
    public void RemovingWhatWasAppendedGivesTheOriginalBytesBack()
    {
        foreach (var original in new[] { "a: 1\nlist:\n- x", "a: 1\r\nlist:\r\n- x" })
        {
            var added = Apply(original, PatchOperation.Add("/list/-", JsonValue.Create("y")), PatchOperation.Add("/b", JsonValue.Create(2)));
            Assert.Equal(original, Apply(added, PatchOperation.Remove("/b"), PatchOperation.Remove("/list/1")));
        }
    }

    [Fact]
    public void AMissingParentIsAnError()
    {
        var error = Assert.Throws<MediaStack.Core.Errors.MediaStackException>(() => Apply("a: 1\n", PatchOperation.Add("/x/y", JsonValue.Create(2))));
        Assert.Equal("YamlEditFailed", error.ErrorId);
        Assert.Contains("Nothing was written", error.Message);
    }

    [Theory]
    [InlineData("a: 1\nb: [unclosed\nc: 2\n", 2)]
    [InlineData("a:\n  b: 1\n c: 2\n", 3)]
    [InlineData("a: 1\nb: \"open\n", 2)]
    public void SyntaxErrorsCarryLineAndColumn(string text, int line)
    {
        var error = Assert.Throws<YamlSyntaxException>(() => Apply(text, PatchOperation.Add("/d", JsonValue.Create(1))));
        Assert.Equal(line, error.Line);
        Assert.True(error.Column > 0);
        Assert.Equal("YamlSyntaxError", error.ErrorId);
    }
}
