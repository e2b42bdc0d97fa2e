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

    // The style seen in one collection's own children wins over the document's, so an
    // insertion into a differently indented part of a file matches its neighbours.
    public YamlTextStyle Near(string text, SourceNode collection)
    {
        var local = this;
        foreach (var (key, value) in collection.Pairs)
        {
            if (value.Flow || Line(text, value.Start) <= Line(text, key.Start))
            {
                continue;
            }
            if (value.Kind == SourceKind.Mapping && value.Column > key.Column)
            {
                local = local with { MappingIndent = value.Column - key.Column };
            }
            else if (value.Kind == SourceKind.Sequence && value.Column >= key.Column)
            {
                local = local with { SequenceIndent = value.Column - key.Column };
            }
        }
        var item = collection.Items.FirstOrDefault(candidate => candidate.Kind == SourceKind.Mapping && !candidate.Flow && Line(text, candidate.Start) == Line(text, collection.Start));
        if (item is not null && item.Column > collection.Column)
        {
            local = local with { ItemIndent = item.Column - collection.Column };
        }
        return local;
    }

    private static int Line(string text, int index) => TextSpans.LineStart(text, index);
}
