using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using MediaStack.Core.Errors;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace MediaStack.Core.Yaml;

// YAML text -> one JsonObject per document, with YAML 1.2 core-schema typing: plain
// true/false/null/integers/floats become JSON values, quoted scalars stay strings.
// Empty documents are skipped; anchors and aliases are expanded. Every read is bounded by
// YamlReadLimits, so hostile text costs at most the limits, never the machine.
//
// Two ways to read:
//   ReadStream / ReadStreamFromFile  one YamlDocument per non-empty document, each either
//       a Root or an Error, so a caller reports each bad document and goes on with the rest.
//   ReadDocuments / ReadFile         the roots only; the first error is thrown.
public static partial class YamlReader
{
    public static IReadOnlyList<JsonObject> ReadFile(string path) => ReadFile(path, YamlReadLimits.Default);

    public static IReadOnlyList<JsonObject> ReadFile(string path, YamlReadLimits limits) =>
        ReadDocuments(ReadText(path, limits), path, limits);

    public static IReadOnlyList<JsonObject> ReadDocuments(string text, string? file = null) =>
        ReadDocuments(text, file, YamlReadLimits.Default);

    // Throws the first document's error (YamlSyntaxException, YamlLimitException).
    public static IReadOnlyList<JsonObject> ReadDocuments(string text, string? file, YamlReadLimits limits)
    {
        var documents = new List<JsonObject>();
        foreach (var document in ReadStream(text, file, limits))
        {
            if (document.Error is not null)
            {
                throw document.Error;
            }
            documents.Add(document.Root!);
        }
        return documents;
    }

    // The documents of a file; a file that cannot be read or is over MaxFileBytes is one
    // entry whose Error says so (Index 0, Line and Column 0).
    public static IReadOnlyList<YamlDocument> ReadStreamFromFile(string path, YamlReadLimits limits)
    {
        string text;
        try
        {
            text = ReadText(path, limits);
        }
        catch (MediaStackException exception)
        {
            return [new YamlDocument(0, 0, 0, null, exception)];
        }
        return ReadStream(text, path, limits);
    }

    // One entry per non-empty document of the text, in order (Index is the entry's position,
    // the same index ReadDocuments and the file editor use). A document that breaks a rule
    // (duplicate key, unknown alias, non-scalar key, not a mapping, MaxAliasNodes) is an entry
    // with Error, and the next documents are still read. Broken syntax, MaxDepth or MaxNodes
    // ends the stream: the documents before are returned and the error is the last entry.
    public static IReadOnlyList<YamlDocument> ReadStream(string text, string? file, YamlReadLimits limits)
    {
        if (OverSize(text, limits.MaxFileBytes))
        {
            return [new YamlDocument(0, 0, 0, null, TooBig(file, limits.MaxFileBytes))];
        }
        var positions = new YamlPositions(text);
        return new StreamBuilder(text, file, limits, positions).Read();
    }

    // The text of a file (BOM-aware UTF-8, like File.ReadAllText), read only when its size is
    // within MaxFileBytes. Throws PathNotReadable or YamlLimitExceeded.
    public static string ReadText(string path, YamlReadLimits limits)
    {
        using var reader = new StreamReader(new MemoryStream(ReadBytes(path, limits)), new UTF8Encoding(false), detectEncodingFromByteOrderMarks: true);
        return reader.ReadToEnd();
    }

    // The bytes of a file, read only when its size is within MaxFileBytes; at most
    // MaxFileBytes are ever read, even from a device or a file that grows.
    public static byte[] ReadBytes(string path, YamlReadLimits limits)
    {
        try
        {
            if (Directory.Exists(path))
            {
                throw Unreadable(path, "it is a folder, not a file", null);
            }
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            if (stream.CanSeek && stream.Length > limits.MaxFileBytes)
            {
                throw TooBig(path, limits.MaxFileBytes);
            }
            var bytes = new MemoryStream();
            var buffer = new byte[81920];
            int read;
            while ((read = stream.Read(buffer, 0, buffer.Length)) > 0)
            {
                bytes.Write(buffer, 0, read);
                if (bytes.Length > limits.MaxFileBytes)
                {
                    throw TooBig(path, limits.MaxFileBytes);
                }
            }
            return bytes.ToArray();
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw Unreadable(path, exception.Message, exception);
        }
    }

    private static bool OverSize(string text, long maxBytes) =>
        text.Length > maxBytes || (text.Length * 3L > maxBytes && Encoding.UTF8.GetByteCount(text) > maxBytes);

    private static YamlLimitException TooBig(string? file, long maxBytes) =>
        new(file, 0, 0, null, nameof(YamlReadLimits.MaxFileBytes), maxBytes, $"the file is larger than {maxBytes} bytes; it was not read.");

    private static MediaStackException Unreadable(string path, string reason, Exception? inner) =>
        new(ErrorIds.PathNotReadable, ErrorCategory.ReadError, $"Cannot read the manifest file '{path}': {reason}", path,
            "Check that the path names a readable file.", inner);

    // Reads one stream, document by document, counting what it builds.
    private sealed class StreamBuilder(string text, string? file, YamlReadLimits limits, YamlPositions positions)
    {
        private readonly EventReader _reader = new(new Parser(new StringReader(text)), file);
        private readonly List<YamlDocument> _documents = [];
        private Dictionary<string, (JsonNode? Node, long Size)> _anchors = new(StringComparer.Ordinal);
        private long _nodes;
        private long _aliasNodes;

        // The index of the document being read: every entry is one non-empty document.
        private int NextIndex => _documents.Count;

        public List<YamlDocument> Read()
        {
            try
            {
                _reader.Expect<StreamStart>();
                while (!_reader.Is<StreamEnd>())
                {
                    if (!ReadDocument())
                    {
                        break;
                    }
                }
            }
            catch (YamlReadException exception)
            {
                // Broken between documents: the stream ends here.
                _documents.Add(new YamlDocument(NextIndex, (int)exception.Line, (int)exception.Column, null, WithDocument(exception)));
            }
            return _documents;
        }

        // False when the stream cannot go on.
        private bool ReadDocument()
        {
            var start = _reader.Expect<DocumentStart>();
            var (line, column) = ((int)start.Start.Line, (int)start.Start.Column);
            _anchors = new Dictionary<string, (JsonNode?, long)>(StringComparer.Ordinal);
            _aliasNodes = 0;
            var ended = false;
            try
            {
                var (root, _) = ReadNode(0);
                _reader.Expect<DocumentEnd>();
                ended = true;
                switch (root)
                {
                    case null:
                        return true;
                    case JsonObject map:
                        _documents.Add(new YamlDocument(NextIndex, line, column, map, null) { Positions = positions, Offset = (int)start.Start.Index });
                        return true;
                    default:
                        throw new YamlSyntaxException(file, line, column,
                            $"document {NextIndex + 1} is a {(root is JsonArray ? "sequence" : "scalar")}, not a mapping", documentIndex: NextIndex);
                }
            }
            catch (YamlReadException exception)
            {
                _documents.Add(new YamlDocument(NextIndex, line, column, null, WithDocument(exception)));
                return !_reader.Broken && !IsStreamLimit(exception) && (ended || SkipRestOfDocument());
            }
        }

        // Past MaxNodes nothing more may be built; past MaxDepth even passing over the rest is
        // unsafe (YamlDotNet's scanner slows down quadratically with the nesting of flow
        // collections), so both end the stream.
        private static bool IsStreamLimit(YamlReadException exception) =>
            exception is YamlLimitException { Limit: nameof(YamlReadLimits.MaxNodes) or nameof(YamlReadLimits.MaxDepth) };

        // After a document's own error, its remaining events are passed over (without
        // building anything) so the next document can be read.
        private bool SkipRestOfDocument()
        {
            try
            {
                while (_reader.Next() is not DocumentEnd)
                {
                }
                return true;
            }
            catch (YamlReadException)
            {
                // One error per document: the syntax error in the same document is not added.
                return false;
            }
        }

        private YamlReadException WithDocument(YamlReadException exception) => exception switch
        {
            { DocumentIndex: not null } => exception,
            YamlSyntaxException syntax => new YamlSyntaxException(syntax.File, syntax.Line, syntax.Column, syntax.Problem, syntax.InnerException, NextIndex),
            YamlLimitException limit => new YamlLimitException(limit.File, limit.Line, limit.Column, NextIndex, limit.Limit, limit.Value, limit.Problem),
            _ => exception,
        };

        // The node and how many values it holds (itself included).
        private (JsonNode? Node, long Size) ReadNode(int depth)
        {
            var current = _reader.Next();
            switch (current)
            {
                case AnchorAlias alias:
                    if (!_anchors.TryGetValue(alias.Value.Value, out var anchored))
                    {
                        throw _reader.Error(alias, $"unknown alias *{alias.Value.Value}");
                    }
                    // Counted before copying: a bomb stops after MaxAliasNodes copies at most.
                    _aliasNodes += anchored.Size;
                    if (_aliasNodes > limits.MaxAliasNodes)
                    {
                        throw Limit(alias, nameof(YamlReadLimits.MaxAliasNodes), limits.MaxAliasNodes,
                            $"aliases copy more than {limits.MaxAliasNodes} values in this document");
                    }
                    Count(alias, anchored.Size);
                    return (anchored.Node?.DeepClone(), anchored.Size);
                case Scalar scalar:
                    Count(scalar, 1);
                    return Remember(scalar, (Resolve(scalar), 1));
                case SequenceStart sequenceStart:
                    {
                        Enter(sequenceStart, depth);
                        var list = new JsonArray();
                        long size = 1;
                        while (!_reader.Is<SequenceEnd>())
                        {
                            var (item, itemSize) = ReadNode(depth + 1);
                            list.Add(item);
                            size += itemSize;
                        }
                        _reader.Next();
                        return Remember(sequenceStart, (list, size));
                    }
                case MappingStart mappingStart:
                    {
                        Enter(mappingStart, depth);
                        var map = new JsonObject();
                        long size = 1;
                        while (!_reader.Is<MappingEnd>())
                        {
                            var keyEvent = _reader.Peek();
                            if (keyEvent is not Scalar keyScalar)
                            {
                                throw _reader.Error(keyEvent, "only scalar mapping keys are supported");
                            }
                            _reader.Next();
                            if (map.ContainsKey(keyScalar.Value))
                            {
                                throw _reader.Error(keyScalar, $"duplicate key '{keyScalar.Value}'");
                            }
                            var (value, valueSize) = ReadNode(depth + 1);
                            map[keyScalar.Value] = value;
                            size += valueSize;
                        }
                        _reader.Next();
                        return Remember(mappingStart, (map, size));
                    }
                default:
                    throw _reader.Error(current, $"unexpected {current.GetType().Name}");
            }
        }

        // A collection at `depth` (0 for the document's root) holds depth + 1 levels.
        private void Enter(ParsingEvent at, int depth)
        {
            Count(at, 1);
            if (depth + 1 > limits.MaxDepth)
            {
                throw Limit(at, nameof(YamlReadLimits.MaxDepth), limits.MaxDepth, $"collections are nested more than {limits.MaxDepth} deep");
            }
        }

        private void Count(ParsingEvent at, long values)
        {
            _nodes += values;
            if (_nodes > limits.MaxNodes)
            {
                throw Limit(at, nameof(YamlReadLimits.MaxNodes), limits.MaxNodes, $"the file holds more than {limits.MaxNodes} values; the rest of it was not read");
            }
        }

        private YamlLimitException Limit(ParsingEvent at, string limit, long value, string problem) =>
            new(file, at.Start.Line, at.Start.Column, NextIndex, limit, value, problem);

        private (JsonNode? Node, long Size) Remember(NodeEvent node, (JsonNode? Node, long Size) value)
        {
            if (!node.Anchor.IsEmpty)
            {
                // The node itself, not a copy: aliases copy it when they are read.
                _anchors[node.Anchor.Value] = value;
            }
            return value;
        }
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
        // 0400 is octal to kubectl (YAML 1.1, as sigs.k8s.io/yaml reads it): defaultMode: 0400.
        if (LegacyOctal().IsMatch(value) && OctalValue(value.TrimStart('-', '+')[1..]) is { } legacy)
        {
            return Number((value[0] == '-' ? -legacy : legacy).ToString(CultureInfo.InvariantCulture));
        }
        if (Decimal().IsMatch(value) && long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
        {
            return Number(integer.ToString(CultureInfo.InvariantCulture));
        }
        if (Decimal().IsMatch(value) && double.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var big)
            && double.IsFinite(big))
        {
            return Number(big.ToString("R", CultureInfo.InvariantCulture));
        }
        if (value.StartsWith("0o", StringComparison.Ordinal) && value.Length > 2 && value[2..].All(c => c is >= '0' and <= '7')
            && OctalValue(value[2..]) is { } octal)
        {
            return Number(octal.ToString(CultureInfo.InvariantCulture));
        }
        if (value.StartsWith("0x", StringComparison.Ordinal) && long.TryParse(value[2..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var hex))
        {
            return Number(hex.ToString(CultureInfo.InvariantCulture));
        }
        if (Float().IsMatch(value) && double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var real) && double.IsFinite(real))
        {
            return Number(real.ToString("R", CultureInfo.InvariantCulture));
        }
        // .inf and .nan have no JSON form: they stay strings, as do numbers too big for one.
        return JsonValue.Create(value);
    }

    // 0o17 -> 15; null when it does not fit a long (it stays a string then).
    private static long? OctalValue(string digits)
    {
        long result = 0;
        foreach (var digit in digits)
        {
            if (result > (long.MaxValue >> 3))
            {
                return null;
            }
            result = (result << 3) | (long)(digit - '0');
        }
        return result;
    }

    // Numbers are parsed from their JSON text, so they convert to int, long or double on
    // demand exactly like numbers of a JSON document (a JsonValue made from a long refuses
    // an (int) cast).
    private static JsonNode Number(string json) => JsonNode.Parse(json)!;

    [GeneratedRegex(@"^[-+]?[0-9]+$")]
    private static partial Regex Decimal();

    [GeneratedRegex(@"^[-+]?0[0-7]{1,21}$")]
    private static partial Regex LegacyOctal();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex Float();

    // Walks the parser's events and turns YamlDotNet's errors into ours, with the position.
    private sealed class EventReader(IParser parser, string? file)
    {
        private ParsingEvent? _peeked;
        private ParsingEvent? _lastGood;

        // The parser failed: nothing more can be read from this stream.
        public bool Broken { get; private set; }

        public ParsingEvent Peek()
        {
            if (_peeked is null)
            {
                if (Broken)
                {
                    throw new YamlSyntaxException(file, _lastGood?.End.Line ?? 1, _lastGood?.End.Column ?? 1, "malformed YAML after this point");
                }
                try
                {
                    if (!parser.MoveNext())
                    {
                        Broken = true;
                        throw new YamlSyntaxException(file, _lastGood?.End.Line ?? 1, _lastGood?.End.Column ?? 1, "unexpected end of the YAML text");
                    }
                }
                catch (YamlDotNet.Core.YamlException exception)
                {
                    Broken = true;
                    throw new YamlSyntaxException(file, exception.Start.Line, exception.Start.Column, Describe(exception), exception);
                }
                catch (Exception exception) when (exception is not YamlReadException and not OutOfMemoryException)
                {
                    // Some malformed input makes YamlDotNet's scanner fail without a position:
                    // report the end of the last well-formed node.
                    Broken = true;
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
        private static string Describe(YamlDotNet.Core.YamlException exception)
        {
            var message = exception.Message;
            var separator = message.IndexOf("): ", StringComparison.Ordinal);
            return separator >= 0 && message.StartsWith('(') ? message[(separator + 3)..] : message;
        }
    }
}
