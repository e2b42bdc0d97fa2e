using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace MediaStack.Core.Yaml;

// JSON trees -> YAML text the way kubectl prints it: block style, two spaces, sequences
// under a key not indented, nulls dropped, strings quoted whenever a YAML 1.1 or 1.2 reader
// (kubectl's sigs.k8s.io/yaml is 1.1) could read them as anything but the same string.
public static partial class YamlWriter
{
    public static string Write(JsonNode document) => WriteDocuments([document]);

    public static string WriteDocuments(IEnumerable<JsonNode> documents)
    {
        var text = new StringBuilder();
        var first = true;
        foreach (var document in documents)
        {
            if (!first)
            {
                text.Append("---\n");
            }
            first = false;
            WriteTopLevel(text, document);
        }
        return text.ToString();
    }

    private static void WriteTopLevel(StringBuilder text, JsonNode document)
    {
        switch (document)
        {
            case JsonObject map when HasEntries(map):
                WriteMapEntries(text, map, 0);
                break;
            case JsonArray list when list.Any(item => item is not null):
                WriteSequenceItems(text, list, 0);
                break;
            case JsonObject:
                text.Append("{}\n");
                break;
            case JsonArray:
                text.Append("[]\n");
                break;
            default:
                // Indented, so that no line of a literal block can read as --- or ...
                text.Append(Scalar(document, 2)).Append('\n');
                break;
        }
    }

    private static bool HasEntries(JsonObject map) => map.Any(entry => entry.Value is not null);

    private static void WriteMapEntries(StringBuilder text, JsonObject map, int indent, bool firstInline = false)
    {
        var first = true;
        foreach (var (key, value) in map)
        {
            if (value is null)
            {
                continue;
            }
            if (!(first && firstInline))
            {
                text.Append(' ', indent);
            }
            first = false;
            text.Append(Key(key)).Append(':');
            WriteValueAfterKey(text, value, indent);
        }
    }

    private static void WriteValueAfterKey(StringBuilder text, JsonNode value, int indent)
    {
        switch (value)
        {
            case JsonObject map when HasEntries(map):
                text.Append('\n');
                WriteMapEntries(text, map, indent + 2);
                break;
            case JsonObject:
                text.Append(" {}\n");
                break;
            case JsonArray list when list.Any(item => item is not null):
                // kubectl style: the dashes line up with the key.
                text.Append('\n');
                WriteSequenceItems(text, list, indent);
                break;
            case JsonArray:
                text.Append(" []\n");
                break;
            default:
                text.Append(' ').Append(Scalar(value, indent + 2)).Append('\n');
                break;
        }
    }

    private static void WriteSequenceItems(StringBuilder text, JsonArray list, int indent, bool firstInline = false)
    {
        var first = true;
        foreach (var item in list)
        {
            if (item is null)
            {
                continue;
            }
            if (!(first && firstInline))
            {
                text.Append(' ', indent);
            }
            first = false;
            text.Append('-');
            switch (item)
            {
                case JsonObject map when HasEntries(map):
                    text.Append(' ');
                    WriteMapEntries(text, map, indent + 2, firstInline: true);
                    break;
                case JsonObject:
                    text.Append(" {}\n");
                    break;
                case JsonArray inner when inner.Any(element => element is not null):
                    text.Append(' ');
                    WriteSequenceItems(text, inner, indent + 2, firstInline: true);
                    break;
                case JsonArray:
                    text.Append(" []\n");
                    break;
                default:
                    text.Append(' ').Append(Scalar(item, indent + 2)).Append('\n');
                    break;
            }
        }
    }

    private static string Key(string key) =>
        key.Contains('\n') ? DoubleQuoted(key) : String(key, 0);

    private static string Scalar(JsonNode value, int indent)
    {
        var element = value.GetValueKind();
        return element switch
        {
            JsonValueKind.String => String(value.GetValue<string>(), indent),
            JsonValueKind.True => "true",
            JsonValueKind.False => "false",
            JsonValueKind.Number => value.ToJsonString(),
            _ => throw new ArgumentException($"Cannot write a {element} as a YAML scalar."),
        };
    }

    private static string String(string value, int indent)
    {
        if (CanBeLiteralBlock(value))
        {
            return LiteralBlock(value, indent);
        }
        return CanBePlain(value) ? value : DoubleQuoted(value);
    }

    // The first line sets the block's indentation, so it must start with a visible character.
    private static bool CanBeLiteralBlock(string value) =>
        value.Contains('\n')
        && value[0] is not ' ' and not '\t' and not '\n'
        && value.All(c => c == '\n' || c == '\t' || !NeedsEscape(c));

    private static string LiteralBlock(string value, int indent)
    {
        var trailingNewlines = value.Length - value.TrimEnd('\n').Length;
        var chomping = trailingNewlines switch
        {
            0 => "-",
            1 => "",
            _ => "+",
        };
        var body = trailingNewlines == 0 ? value : value[..^1];
        var pad = new string(' ', indent);
        var lines = body.Split('\n').Select(line => line.Length == 0 ? "" : pad + line);
        // The caller appends the final line break.
        return "|" + chomping + "\n" + string.Join("\n", lines);
    }

    private static bool CanBePlain(string value)
    {
        if (value.Length == 0 || value != value.Trim(' ', '\t') || value.Any(NeedsEscape) || value.Contains('\t'))
        {
            return false;
        }
        if ("-?:,[]{}#&*!|>'\"%@`".Contains(value[0]) && !StartsLikeAnOption(value))
        {
            return false;
        }
        if (value.Contains(": ") || value.Contains(" #") || value.EndsWith(':'))
        {
            return false;
        }
        return !ReadsAsSomethingElse(value);
    }

    // "--allow-other", "-c": a dash followed by a non-space starts a plain scalar.
    private static bool StartsLikeAnOption(string value) =>
        value.Length > 1 && value[0] == '-' && value[1] != ' ';

    // Values that a YAML 1.1 or 1.2 core-schema reader turns into null, bool or a number
    // (including 1.1 octals like 022, sexagesimals like 1:20 and dates), plus the 1.1
    // merge and value keys.
    private static bool ReadsAsSomethingElse(string value) =>
        ReservedWords.Contains(value) || NumberLike().IsMatch(value) || Timestamp().IsMatch(value) || DocumentMarker().IsMatch(value);

    private static readonly HashSet<string> ReservedWords = new(StringComparer.Ordinal)
    {
        "~", "null", "Null", "NULL",
        "true", "True", "TRUE", "false", "False", "FALSE",
        "y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO",
        "on", "On", "ON", "off", "Off", "OFF",
        ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF",
        ".nan", ".NaN", ".NAN", "<<", "=",
    };

    [GeneratedRegex(@"^[-+]?\.?[0-9][0-9a-fA-FxXoObB._:+\-eE]*$")]
    private static partial Regex NumberLike();

    [GeneratedRegex(@"^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}([Tt ]|$)")]
    private static partial Regex Timestamp();

    [GeneratedRegex(@"^(---|\.\.\.)")]
    private static partial Regex DocumentMarker();

    private static bool NeedsEscape(char c) =>
        c < 0x20 || c == 0x7F || c == '\u0085' || c == '\u2028' || c == '\u2029' || c == '\uFEFF';

    private static string DoubleQuoted(string value)
    {
        var text = new StringBuilder(value.Length + 2).Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': text.Append("\\\""); break;
                case '\\': text.Append("\\\\"); break;
                case '\n': text.Append("\\n"); break;
                case '\r': text.Append("\\r"); break;
                case '\t': text.Append("\\t"); break;
                case '\b': text.Append("\\b"); break;
                case '\f': text.Append("\\f"); break;
                default:
                    if (NeedsEscape(c))
                    {
                        text.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        text.Append(c);
                    }
                    break;
            }
        }
        return text.Append('"').ToString();
    }
}
