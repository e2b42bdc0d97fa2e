using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace MediaStack.Core.Yaml.Editing;

// Renders JSON values as YAML blocks that start at a given column and follow a file's own
// indentation style. Scalars are written by YamlWriter, so quoting rules are the project's
// one set; only the layout of blocks is decided here. Output uses "\n"; the editor converts.
internal sealed class YamlBlockRenderer(YamlTextStyle style)
{
    // What follows "key:" for a key at keyColumn: " scalar", " {}", or a line break and a block.
    public string AfterKey(JsonNode value, int keyColumn)
    {
        return value switch
        {
            JsonObject map when HasEntries(map) => "\n" + Pad(keyColumn + style.MappingIndent) + Inline(map, keyColumn + style.MappingIndent),
            JsonArray list when HasItems(list) => "\n" + Pad(keyColumn + style.SequenceIndent) + Inline(list, keyColumn + style.SequenceIndent),
            _ => " " + Inline(value, keyColumn + style.MappingIndent),
        };
    }

    // A value whose first character sits at column (after "key: " or "- "), later lines padded.
    public string Inline(JsonNode value, int column)
    {
        switch (value)
        {
            case JsonObject map when HasEntries(map):
            {
                var text = new StringBuilder();
                foreach (var (key, entry) in map)
                {
                    if (entry is null)
                    {
                        continue;
                    }
                    if (text.Length > 0)
                    {
                        text.Append('\n').Append(Pad(column));
                    }
                    text.Append(Key(key)).Append(':').Append(AfterKey(entry, column));
                }
                return text.ToString();
            }
            case JsonArray list when HasItems(list):
            {
                var text = new StringBuilder();
                foreach (var item in list)
                {
                    if (item is null)
                    {
                        continue;
                    }
                    if (text.Length > 0)
                    {
                        text.Append('\n').Append(Pad(column));
                    }
                    text.Append(Item(item, column));
                }
                return text.ToString();
            }
            case JsonObject:
                return "{}";
            case JsonArray:
                return "[]";
            default:
                return Scalar(value, column);
        }
    }

    // "- value" with the dash at dashColumn.
    public string Item(JsonNode value, int dashColumn) =>
        "-" + Pad(style.ItemIndent - 1) + Inline(value, dashColumn + style.ItemIndent);

    // A scalar in YamlWriter's quoting; a literal block's lines are moved to column.
    public static string Scalar(JsonNode value, int column)
    {
        var written = YamlWriter.Write(new JsonObject { ["v"] = value.DeepClone() });
        var scalar = written["v: ".Length..].TrimEnd('\n');
        if (!scalar.Contains('\n'))
        {
            return scalar;
        }
        var lines = scalar.Split('\n');
        // YamlWriter pads block lines two spaces under a key at column 0.
        return string.Join("\n", lines.Select((line, i) => i == 0 || line.Length == 0 ? line : Pad(column) + line[2..]));
    }

    // Keeps the quoting a value had in the file when the new value can be written that way.
    public static string ScalarLike(JsonNode value, YamlDotNet.Core.ScalarStyle oldStyle, int column)
    {
        if (value.GetValueKind() == JsonValueKind.String)
        {
            var text = value.GetValue<string>();
            if (oldStyle == YamlDotNet.Core.ScalarStyle.DoubleQuoted)
            {
                return JsonSerializer.Serialize(text, RelaxedJson);
            }
            if (oldStyle == YamlDotNet.Core.ScalarStyle.SingleQuoted && !text.Contains('\n') && text.All(c => c >= ' '))
            {
                return "'" + text.Replace("'", "''") + "'";
            }
        }
        return Scalar(value, column);
    }

    // One-line flow style: {name: x, mountPath: /mnt/media}, [a, b].
    public static string Flow(JsonNode value) => value switch
    {
        JsonObject map => "{" + string.Join(", ", map.Where(entry => entry.Value is not null)
            .Select(entry => FlowScalar(JsonValue.Create(entry.Key)) + ": " + Flow(entry.Value!))) + "}",
        JsonArray list => "[" + string.Join(", ", list.Where(item => item is not null).Select(item => Flow(item!))) + "]",
        _ => FlowScalar(value),
    };

    // Commas and brackets end a plain scalar in flow context: such strings are quoted.
    public static string FlowScalar(JsonNode value)
    {
        var plain = Scalar(value, 0);
        if (value.GetValueKind() != JsonValueKind.String || (!plain.Contains('\n') && plain.IndexOfAny([',', '[', ']', '{', '}']) < 0))
        {
            return plain;
        }
        return JsonSerializer.Serialize(value.GetValue<string>(), RelaxedJson);
    }

    private static readonly JsonSerializerOptions RelaxedJson = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static string Key(string key) => Scalar(JsonValue.Create(key), 0);

    private static string Pad(int count) => new(' ', Math.Max(0, count));

    private static bool HasEntries(JsonObject map) => map.Any(entry => entry.Value is not null);

    private static bool HasItems(JsonArray list) => list.Any(item => item is not null);
}
