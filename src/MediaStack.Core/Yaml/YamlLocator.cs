using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace MediaStack.Core.Yaml;

// A place in a manifest file: 1-based line and column, as editors and CI annotations take it.
public readonly record struct SourcePosition(string File, int Line, int Column)
{
    public override string ToString() => $"{File}:{Line}:{Column}";
}

// Where each value of a YAML text is written, looked up by RFC 6901 JSON pointer within one
// document ("/spec/template/spec/containers/1"): a mapping member at its key, a sequence item
// at the item. Documents are counted as YamlReader.ReadDocuments counts them (empty ones left
// out). The text is parsed again on the first lookup only, so reading stays as fast when no
// one asks for a line.
public sealed class YamlLocator(string text)
{
    private readonly Lazy<IReadOnlyList<Dictionary<string, (int Line, int Column)>>> _documents = new(() => Build(text));

    // The pointer's position, else that of its nearest ancestor written in the text (a field
    // that is missing, or a value copied by an alias); null for a document that is not there.
    public (int Line, int Column)? Find(int document, string pointer)
    {
        var documents = _documents.Value;
        if (document < 0 || document >= documents.Count)
        {
            return null;
        }
        var positions = documents[document];
        for (var at = pointer; ; at = at[..at.LastIndexOf('/')])
        {
            if (positions.TryGetValue(at, out var found))
            {
                return found;
            }
            if (!at.Contains('/'))
            {
                return null;
            }
        }
    }

    public static string Escape(string key) => key.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);

    private static IReadOnlyList<Dictionary<string, (int, int)>> Build(string text)
    {
        var documents = new List<Dictionary<string, (int, int)>>();
        var parser = new Parser(new StringReader(text));
        try
        {
            parser.Consume<StreamStart>();
            while (!parser.Accept<StreamEnd>(out _))
            {
                parser.Consume<DocumentStart>();
                var positions = new Dictionary<string, (int, int)>(StringComparer.Ordinal);
                // ReadDocuments keeps the mapping documents only (an empty one is skipped).
                var keep = parser.Current is MappingStart;
                Walk(parser, "", At(parser.Current!), positions);
                parser.Consume<DocumentEnd>();
                if (keep)
                {
                    documents.Add(positions);
                }
            }
        }
        catch (Exception exception) when (exception is YamlException or InvalidOperationException)
        {
            // The text was read once already; what was found before a late error stays usable.
        }
        return documents;
    }

    private static (int, int) At(ParsingEvent current) => ((int)current.Start.Line, (int)current.Start.Column);

    private static void Walk(IParser parser, string pointer, (int, int) at, Dictionary<string, (int, int)> positions)
    {
        positions[pointer] = at;
        var current = parser.Current;
        parser.MoveNext();
        switch (current)
        {
            case MappingStart:
                while (parser.Current is not MappingEnd)
                {
                    var key = parser.Current!;
                    if (key is not Scalar scalar)
                    {
                        parser.SkipThisAndNestedEvents();
                        parser.SkipThisAndNestedEvents();
                        continue;
                    }
                    parser.MoveNext();
                    Walk(parser, $"{pointer}/{Escape(scalar.Value)}", At(key), positions);
                }
                parser.MoveNext();
                break;
            case SequenceStart:
                for (var index = 0; parser.Current is not SequenceEnd; index++)
                {
                    Walk(parser, $"{pointer}/{index}", At(parser.Current!), positions);
                }
                parser.MoveNext();
                break;
        }
    }
}
