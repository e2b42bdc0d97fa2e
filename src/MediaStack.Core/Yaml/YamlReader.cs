using System.Globalization;
using System.Numerics;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using MediaStack.Core.Files;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace MediaStack.Core.Yaml;

// YAML text -> one JsonObject per document, with YAML 1.2 core-schema typing: plain
// true/false/null/integers/floats become JSON values, quoted scalars stay strings.
// Empty documents are skipped; anchors and aliases are expanded.
public static partial class YamlReader
{
    // The file in whatever encoding it was saved (TextFile), never with replacement characters.
    public static IReadOnlyList<JsonObject> ReadFile(string path) =>
        ReadDocuments(TextFile.ReadText(path), path);

    public static IReadOnlyList<JsonObject> ReadDocuments(string text, string? file = null)
    {
        var documents = new List<JsonObject>();
        var reader = new EventReader(new Parser(new StringReader(text)), file);
        reader.Expect<StreamStart>();
        while (!reader.Is<StreamEnd>())
        {
            var start = reader.Expect<DocumentStart>();
            var anchors = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
            var root = ReadNode(reader, anchors);
            reader.Expect<DocumentEnd>();
            switch (root)
            {
                case null:
                    continue;
                case JsonObject map:
                    documents.Add(map);
                    break;
                default:
                    throw new YamlSyntaxException(file, start.Start.Line, start.Start.Column,
                        $"document {documents.Count + 1} is a {(root is JsonArray ? "sequence" : "scalar")}, not a mapping");
            }
        }
        return documents;
    }

    private static JsonNode? ReadNode(EventReader reader, Dictionary<string, JsonNode?> anchors)
    {
        var current = reader.Next();
        switch (current)
        {
            case AnchorAlias alias:
                if (!anchors.TryGetValue(alias.Value.Value, out var anchored))
                {
                    throw reader.Error(alias, $"unknown alias *{alias.Value.Value}");
                }
                return anchored?.DeepClone();
            case Scalar scalar:
                return Remember(scalar, Resolve(scalar), anchors);
            case SequenceStart sequenceStart:
                var list = new JsonArray();
                while (!reader.Is<SequenceEnd>())
                {
                    list.Add(ReadNode(reader, anchors));
                }
                reader.Next();
                return Remember(sequenceStart, list, anchors);
            case MappingStart mappingStart:
                var map = new JsonObject();
                while (!reader.Is<MappingEnd>())
                {
                    var keyEvent = reader.Peek();
                    if (keyEvent is not Scalar keyScalar)
                    {
                        throw reader.Error(keyEvent, "only scalar mapping keys are supported");
                    }
                    reader.Next();
                    if (map.ContainsKey(keyScalar.Value))
                    {
                        throw reader.Error(keyScalar, $"duplicate key '{keyScalar.Value}'");
                    }
                    map[keyScalar.Value] = ReadNode(reader, anchors);
                }
                reader.Next();
                return Remember(mappingStart, map, anchors);
            default:
                throw reader.Error(current, $"unexpected {current.GetType().Name}");
        }
    }

    private static JsonNode? Remember(NodeEvent node, JsonNode? value, Dictionary<string, JsonNode?> anchors)
    {
        if (!node.Anchor.IsEmpty)
        {
            anchors[node.Anchor.Value] = value?.DeepClone();
        }
        return value;
    }

    private static JsonNode? Resolve(Scalar scalar)
    {
        var value = scalar.Value;
        if (!scalar.Tag.IsEmpty)
        {
            return scalar.Tag.Value switch
            {
                "tag:yaml.org,2002:null" => null,
                "tag:yaml.org,2002:bool" or "tag:yaml.org,2002:int" or "tag:yaml.org,2002:float" => ResolvePlain(value) ?? JsonValue.Create(value),
                _ => JsonValue.Create(value),
            };
        }
        return scalar.Style == ScalarStyle.Plain ? ResolvePlain(value) : JsonValue.Create(value);
    }

    private static JsonNode? ResolvePlain(string value)
    {
        switch (value)
        {
            case "" or "~" or "null" or "Null" or "NULL":
                return null;
            case "true" or "True" or "TRUE":
                return JsonValue.Create(true);
            case "false" or "False" or "FALSE":
                return JsonValue.Create(false);
        }
        if (Decimal().IsMatch(value) && long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
        {
            return Number(integer.ToString(CultureInfo.InvariantCulture));
        }
        if (Decimal().IsMatch(value) && BigInteger.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var big))
        {
            return Number(((double)big).ToString("R", CultureInfo.InvariantCulture));
        }
        if (value.StartsWith("0o", StringComparison.Ordinal) && value.Length > 2 && value[2..].All(c => c is >= '0' and <= '7'))
        {
            return Number(Convert.ToInt64(value[2..], 8).ToString(CultureInfo.InvariantCulture));
        }
        if (value.StartsWith("0x", StringComparison.Ordinal) && long.TryParse(value[2..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var hex))
        {
            return Number(hex.ToString(CultureInfo.InvariantCulture));
        }
        if (Float().IsMatch(value) && double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var real) && double.IsFinite(real))
        {
            return Number(real.ToString("R", CultureInfo.InvariantCulture));
        }
        // .inf and .nan have no JSON form: they stay strings.
        return JsonValue.Create(value);
    }

    // Numbers are parsed from their JSON text, so they convert to int, long or double on
    // demand exactly like numbers of a JSON document (a JsonValue made from a long refuses
    // an (int) cast).
    private static JsonNode Number(string json) => JsonNode.Parse(json)!;

    [GeneratedRegex(@"^[-+]?[0-9]+$")]
    private static partial Regex Decimal();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex Float();

    // Walks the parser's events and turns YamlDotNet's errors into ours, with the position.
    private sealed class EventReader(IParser parser, string? file)
    {
        private ParsingEvent? _peeked;
        private ParsingEvent? _lastGood;

        public ParsingEvent Peek()
        {
            if (_peeked is null)
            {
                try
                {
                    if (!parser.MoveNext())
                    {
                        throw new YamlSyntaxException(file, 0, 0, "unexpected end of the YAML text");
                    }
                }
                catch (YamlException exception)
                {
                    throw new YamlSyntaxException(file, exception.Start.Line, exception.Start.Column, Describe(exception), exception);
                }
                catch (InvalidOperationException exception)
                {
                    // Some malformed input makes YamlDotNet's scanner fail without a position:
                    // report the end of the last well-formed node.
                    throw new YamlSyntaxException(file, _lastGood?.End.Line ?? 1, _lastGood?.End.Column ?? 1, "malformed YAML after this point", exception);
                }
                _peeked = parser.Current!;
                _lastGood = _peeked;
            }
            return _peeked;
        }

        public ParsingEvent Next()
        {
            var current = Peek();
            _peeked = null;
            return current;
        }

        public bool Is<T>() where T : ParsingEvent => Peek() is T;

        public T Expect<T>() where T : ParsingEvent
        {
            var current = Next();
            return current as T ?? throw Error(current, $"expected {typeof(T).Name}, found {current.GetType().Name}");
        }

        public YamlSyntaxException Error(ParsingEvent at, string problem) =>
            new(file, at.Start.Line, at.Start.Column, problem);

        // YamlDotNet prefixes its messages with the position, which we report separately.
        private static string Describe(YamlException exception)
        {
            var message = exception.Message;
            var separator = message.IndexOf("): ", StringComparison.Ordinal);
            return separator >= 0 && message.StartsWith('(') ? message[(separator + 3)..] : message;
        }
    }
}
