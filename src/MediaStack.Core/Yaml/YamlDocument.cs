using System.Text.Json.Nodes;
using MediaStack.Core.Errors;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace MediaStack.Core.Yaml;

// A 1-based line and column in a YAML text.
public readonly record struct YamlPosition(int Line, int Column)
{
    public override string ToString() => $"{Line}:{Column}";
}

// One document of a YAML stream as YamlReader.ReadStream returns it: either Root (the
// document read) or Error (why it could not be; a YamlSyntaxException or YamlLimitException
// with File, Line, Column and DocumentIndex, or PathNotReadable for a whole file).
//   Index   0-based among the non-empty documents of the stream (empty ones, such as a
//           leading `---`, are left out), as ReadDocuments and the file editor count
//   Line, Column  where the document starts (its `---`, or its first node); 0 for an error
//           about the whole file
// PositionOf finds where a value of Root is written, for `file:line` in messages.
public sealed record YamlDocument(int Index, int Line, int Column, JsonObject? Root, MediaStackException? Error)
{
    internal YamlPositions? Positions { get; init; }

    // Character offset of the document's start in the text.
    internal int Offset { get; init; }

    // Where the value at an RFC 6901 JSON pointer ("/spec/template/spec/containers/1/args/3",
    // "" for the root) is written: for a mapping member the position of its key, for a
    // sequence item the item itself. Inside a value copied by an alias, the alias's position.
    // Null when the pointer names nothing in the text, or the document has no Root. Built on
    // the first call for this document (one parse of the document's text), then a lookup.
    public YamlPosition? PositionOf(string pointer) =>
        Root is null || Positions is null ? null : Positions.For(this).Find(pointer, nearest: false);

    // Like PositionOf, but for a pointer that names nothing (a missing field) the position of
    // its deepest ancestor that exists, so a finding about a missing field still has a line.
    public YamlPosition? NearestPositionOf(string pointer) =>
        Root is null || Positions is null ? null : Positions.For(this).Find(pointer, nearest: true);
}

// The positions of every value of the documents of one text, built per document on demand
// by parsing that document's text again (no values are built, aliases are not expanded).
internal sealed class YamlPositions(string text)
{
    private readonly Dictionary<int, DocumentPositions> _documents = [];

    public DocumentPositions For(YamlDocument document)
    {
        lock (_documents)
        {
            if (!_documents.TryGetValue(document.Index, out var positions))
            {
                positions = Build(document);
                _documents[document.Index] = positions;
            }
            return positions;
        }
    }

    // Parses from the start of the line the document starts on (a `---` is always at the
    // start of a line) to the end of that document.
    private DocumentPositions Build(YamlDocument document)
    {
        var offset = Math.Clamp(document.Offset, 0, text.Length);
        var lineStart = offset == 0 ? 0 : text.LastIndexOf('\n', offset - 1) + 1;
        var lineBase = Math.Max(document.Line, 1) - 1;
        var positions = new DocumentPositions();
        var parser = new Parser(new OffsetReader(text, lineStart));
        var frames = new Stack<Frame>();
        try
        {
            // Consume leaves the parser on the next event: the document's root.
            parser.Consume<StreamStart>();
            parser.Consume<DocumentStart>();
            for (var current = parser.Current; current is not null and not DocumentEnd; current = parser.MoveNext() ? parser.Current : null)
            {
                var at = new YamlPosition((int)current.Start.Line + lineBase, (int)current.Start.Column);
                if (current is MappingEnd or SequenceEnd)
                {
                    frames.Pop();
                    continue;
                }
                var parent = frames.Count > 0 ? frames.Peek() : null;
                if (parent is { Mapping: true, Key: null })
                {
                    parent.Key = current is Scalar key ? Escape(key.Value) : "";
                    parent.KeyAt = at;
                    continue;
                }
                var pointer = parent is null ? "" : parent.Mapping ? $"{parent.Pointer}/{parent.Key}" : $"{parent.Pointer}/{parent.Next++}";
                positions.Add(pointer, parent is { Mapping: true } ? parent.KeyAt : at, current is AnchorAlias);
                if (parent is { Mapping: true })
                {
                    parent.Key = null;
                }
                if (current is MappingStart or SequenceStart)
                {
                    frames.Push(new Frame(pointer, current is MappingStart));
                }
            }
        }
        catch (Exception exception) when (exception is YamlDotNet.Core.YamlException or InvalidOperationException)
        {
            // The document was read once already, so this does not happen; what was found
            // before stays usable.
        }
        return positions;
    }

    private static string Escape(string key) => key.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);

    private sealed class Frame(string pointer, bool mapping)
    {
        public string Pointer { get; } = pointer;
        public bool Mapping { get; } = mapping;
        public string? Key { get; set; }
        public YamlPosition KeyAt { get; set; }
        public int Next { get; set; }
    }

    // A reader over the text from an offset on, without copying it.
    private sealed class OffsetReader(string text, int position) : TextReader
    {
        public override int Peek() => position < text.Length ? text[position] : -1;

        public override int Read() => position < text.Length ? text[position++] : -1;

        public override int Read(char[] buffer, int index, int count)
        {
            var n = Math.Min(count, text.Length - position);
            if (n <= 0)
            {
                return 0;
            }
            text.CopyTo(position, buffer, index, n);
            position += n;
            return n;
        }
    }
}

internal sealed class DocumentPositions
{
    private readonly Dictionary<string, YamlPosition> _values = new(StringComparer.Ordinal);
    private readonly HashSet<string> _aliases = new(StringComparer.Ordinal);

    public void Add(string pointer, YamlPosition at, bool alias)
    {
        _values[pointer] = at;
        if (alias)
        {
            _aliases.Add(pointer);
        }
    }

    public YamlPosition? Find(string pointer, bool nearest)
    {
        if (_values.TryGetValue(pointer, out var exact))
        {
            return exact;
        }
        // Walk up: an alias above the pointer holds its copy; with nearest, any ancestor.
        for (var end = pointer.LastIndexOf('/'); end >= 0; end = end == 0 ? -1 : pointer.LastIndexOf('/', end - 1))
        {
            var ancestor = pointer[..end];
            if (_values.TryGetValue(ancestor, out var at) && (nearest || _aliases.Contains(ancestor)))
            {
                return at;
            }
            if (end == 0)
            {
                break;
            }
        }
        return null;
    }
}
