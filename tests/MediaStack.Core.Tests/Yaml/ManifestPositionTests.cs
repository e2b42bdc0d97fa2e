using MediaStack.Core.Workloads;
using MediaStack.Core.Yaml;

namespace MediaStack.Core.Tests.Yaml;

// Positions of a manifest document's values by JSON pointer (what findings from files
// carry), counted per document as YamlReader counts documents.
public class ManifestPositionTests
{
    private const string Text = """
        # leading comment
        ---
        ---
        kind: Deployment
        metadata:
          name: plex
        spec:
          template:
            spec:
              containers:
                - name: plex
                  image: plex:latest
                - {name: nginx, image: "nginx:latest"}
        ---
        kind: Service
        metadata: {name: plex, labels: &l {app: plex}}
        spec:
          selector: *l
          ports: [80, 443]
        """;

    private static SourcePosition? At(string text, int document, string pointer) =>
        ManifestScan.FromText(text, "/repo/plex.yaml")[document].PositionOf(pointer);

    [Theory]
    [InlineData(0, "", 4, 1)]
    [InlineData(0, "/metadata/name", 6, 3)]
    [InlineData(0, "/spec/template/spec/containers/0/image", 12, 11)]
    [InlineData(0, "/spec/template/spec/containers/1/image", 13, 25)]
    [InlineData(1, "/metadata/labels/app", 16, 36)]
    [InlineData(1, "/spec/ports/1", 19, 15)]
    public void A_value_is_found_at_its_key_or_item(int document, string pointer, int line, int column) =>
        Assert.Equal(new SourcePosition("/repo/plex.yaml", line, column), At(Text, document, pointer));

    [Theory]
    // A missing field: its nearest ancestor that is written.
    [InlineData(0, "/spec/strategy/type", 7, 1)]
    // Inside an alias's copy: the alias's key.
    [InlineData(1, "/spec/selector/app", 18, 3)]
    public void A_pointer_to_nothing_gets_its_nearest_written_ancestor(int document, string pointer, int line, int column) =>
        Assert.Equal(new SourcePosition("/repo/plex.yaml", line, column), At(Text, document, pointer));

    [Fact]
    public void Documents_are_counted_as_the_reader_counts_them()
    {
        var documents = ManifestScan.FromText(Text, "/repo/plex.yaml");

        Assert.Equal(["Deployment", "Service"], documents.Select(d => d.Kind ?? "").ToArray());
        Assert.Equal(new SourcePosition("/repo/plex.yaml", 15, 1), documents[1].PositionOf(""));
    }

    [Fact]
    public void Crlf_text_counts_lines_the_same() =>
        Assert.Equal(new SourcePosition("/repo/plex.yaml", 12, 11), At(Text.ReplaceLineEndings("\r\n"), 0, "/spec/template/spec/containers/0/image"));

    [Fact]
    public void Keys_with_slashes_and_tildes_are_escaped_as_in_a_JSON_pointer()
    {
        var text = "metadata:\n  annotations:\n    mediastack.io/mounts: zurg\n    a~b: c\n";

        Assert.Equal(new SourcePosition("/repo/plex.yaml", 3, 5), At(text, 0, "/metadata/annotations/mediastack.io~1mounts"));
        Assert.Equal(new SourcePosition("/repo/plex.yaml", 4, 5), At(text, 0, "/metadata/annotations/a~0b"));
    }

    [Fact]
    public void Piped_text_has_no_file_and_so_no_position() =>
        Assert.Null(ManifestScan.FromText(Text)[0].PositionOf("/metadata/name"));
}
