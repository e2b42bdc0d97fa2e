namespace MediaStack.Core.Yaml.Editing;

// How a file lays out its blocks, read from the file itself so that inserted text looks
// like its neighbours: the indentation of a nested mapping, the offset of a sequence's dash
// under its key (0 for kubectl style, 2 for "indented" sequences), the column of an item's
// content after its dash, and the line break.
internal sealed record YamlTextStyle(int MappingIndent, int SequenceIndent, int ItemIndent, string NewLine)
{
    public static YamlTextStyle Detect(string text, SourceNode root)
    {
        int? mappingIndent = null, sequenceIndent = null, itemIndent = null;
        void Visit(SourceNode node)
        {
            if (node.Flow)
            {
                return;
            }
            foreach (var (key, value) in node.Pairs)
            {
                if (!value.Flow && Line(text, value.Start) > Line(text, key.Start))
                {
                    if (value.Kind == SourceKind.Mapping)
                    {
                        mappingIndent ??= value.Column - key.Column;
                    }
                    else if (value.Kind == SourceKind.Sequence)
                    {
                        sequenceIndent ??= value.Column - key.Column;
                    }
                }
                Visit(value);
            }
            foreach (var item in node.Items)
            {
                if (item.Kind == SourceKind.Mapping && !item.Flow && Line(text, item.Start) == Line(text, node.Start))
                {
                    itemIndent ??= item.Column - node.Column;
                }
                Visit(item);
            }
        }
        Visit(root);
        var mapping = mappingIndent is > 0 ? mappingIndent.Value : 2;
        return new YamlTextStyle(
            mapping,
            sequenceIndent is >= 0 ? sequenceIndent.Value : 0,
            itemIndent is > 0 ? itemIndent.Value : 2,
            text.Contains("\r\n", StringComparison.Ordinal) ? "\r\n" : "\n");
    }

    private static int Line(string text, int index) => TextSpans.LineStart(text, index);
}
