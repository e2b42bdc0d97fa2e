using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace MediaStack.Core.Yaml.Editing;

internal enum SourceKind
{
    Scalar,
    Mapping,
    Sequence,
    Alias,
}

// One node of a YAML text with where it sits: Start is the first character of the node
// (after a sequence dash), ContentEnd is just past its last visible character.
internal sealed class SourceNode
{
    public required SourceKind Kind { get; init; }
    public bool Flow { get; init; }
    public ScalarStyle Style { get; init; }
    public string? Value { get; init; }
    public required int Start { get; set; }
    public int ContentEnd { get; set; }
    public int Column { get; init; }
    public List<(SourceNode Key, SourceNode Value)> Pairs { get; } = [];
    public List<SourceNode> Items { get; } = [];

    public SourceNode? Get(string key) => Pairs.FirstOrDefault(pair => pair.Key.Value == key).Value;

    public bool IsEmptyScalar => Kind == SourceKind.Scalar && Style == ScalarStyle.Plain && Value == "";

    public bool IsEmptyDocument =>
        Kind == SourceKind.Scalar && Style == ScalarStyle.Plain && Value is "" or "~" or "null" or "Null" or "NULL";
}

// The documents of a YAML text as position-carrying trees, read from YamlDotNet's parser
// events, whose marks give exact character offsets (CRLF counts two).
internal sealed class YamlSourceTree
{
    private YamlSourceTree(string text, List<SourceNode> documents)
    {
        Text = text;
        Documents = documents;
    }

    public string Text { get; }

    public IReadOnlyList<SourceNode> Documents { get; }

    public static YamlSourceTree Parse(string text, string? file = null)
    {
        var parser = new Parser(new StringReader(text));
        var documents = new List<SourceNode>();
        try
        {
            parser.Consume<StreamStart>();
            while (!parser.Accept<StreamEnd>(out _))
            {
                parser.Consume<DocumentStart>();
                documents.Add(ReadNode(parser, text));
                parser.Consume<DocumentEnd>();
            }
        }
        catch (YamlException exception)
        {
            var message = exception.Message;
            var separator = message.IndexOf("): ", StringComparison.Ordinal);
            var problem = separator >= 0 && message.StartsWith('(') ? message[(separator + 3)..] : message;
            throw new YamlSyntaxException(file, exception.Start.Line, exception.Start.Column, problem, exception);
        }
        catch (InvalidOperationException exception)
        {
            // YamlDotNet's scanner fails this way on some unterminated flow collections.
            var at = parser.Current?.End ?? Mark.Empty;
            throw new YamlSyntaxException(file, at.Line, at.Column, "unterminated flow collection or quoted text", exception);
        }
        return new YamlSourceTree(text, documents);
    }

    private static SourceNode ReadNode(IParser parser, string text)
    {
        var current = parser.Current!;
        parser.MoveNext();
        switch (current)
        {
            case Scalar scalar:
                return new SourceNode
                {
                    Kind = SourceKind.Scalar,
                    Style = scalar.Style,
                    Value = scalar.Value,
                    Start = (int)scalar.Start.Index,
                    ContentEnd = TrimBack(text, (int)scalar.Start.Index, (int)scalar.End.Index),
                    Column = (int)scalar.Start.Column - 1,
                };
            case AnchorAlias alias:
                return new SourceNode
                {
                    Kind = SourceKind.Alias,
                    Start = (int)alias.Start.Index,
                    ContentEnd = (int)alias.End.Index,
                    Column = (int)alias.Start.Column - 1,
                };
            case MappingStart mapping:
            {
                var node = new SourceNode
                {
                    Kind = SourceKind.Mapping,
                    Flow = mapping.Style == MappingStyle.Flow,
                    Start = (int)mapping.Start.Index,
                    Column = (int)mapping.Start.Column - 1,
                };
                while (!parser.TryConsume<MappingEnd>(out _))
                {
                    var key = ReadNode(parser, text);
                    var value = ReadNode(parser, text);
                    if (!node.Flow && value.IsEmptyScalar)
                    {
                        // "key:" with nothing after it: the value is the spot just past the colon.
                        value.Start = value.ContentEnd = text.IndexOf(':', key.ContentEnd) + 1;
                    }
                    node.Pairs.Add((key, value));
                }
                node.ContentEnd = End(text, node, node.Pairs.Count == 0 ? null : node.Pairs[^1].Value, '}');
                return node;
            }
            case SequenceStart sequence:
            {
                var node = new SourceNode
                {
                    Kind = SourceKind.Sequence,
                    Flow = sequence.Style == SequenceStyle.Flow,
                    Start = (int)sequence.Start.Index,
                    Column = (int)sequence.Start.Column - 1,
                };
                while (!parser.Accept<SequenceEnd>(out _))
                {
                    node.Items.Add(ReadNode(parser, text));
                }
                parser.MoveNext();
                node.ContentEnd = End(text, node, node.Items.Count == 0 ? null : node.Items[^1], ']');
                return node;
            }
            default:
                throw new YamlException(current.Start, current.End, $"unexpected {current.GetType().Name}");
        }
    }

    // Block collections end with their last child; flow collections at their bracket.
    private static int End(string text, SourceNode node, SourceNode? last, char close)
    {
        if (!node.Flow)
        {
            return last?.ContentEnd ?? node.Start;
        }
        var depth = 0;
        var quote = '\0';
        for (var i = node.Start; i < text.Length; i++)
        {
            var c = text[i];
            if (quote != '\0')
            {
                if (c == '\\' && quote == '"')
                {
                    i++;
                }
                else if (c == quote)
                {
                    quote = '\0';
                }
                continue;
            }
            switch (c)
            {
                case '"' or '\'':
                    quote = c;
                    break;
                case '[' or '{':
                    depth++;
                    break;
                case ']' or '}':
                    depth--;
                    if (depth == 0)
                    {
                        return i + 1;
                    }
                    break;
            }
        }
        return last?.ContentEnd ?? node.Start;
    }

    // Block scalars end after their trailing line breaks; we want the last visible character.
    private static int TrimBack(string text, int start, int end)
    {
        while (end > start && char.IsWhiteSpace(text[end - 1]))
        {
            end--;
        }
        return end;
    }
}
