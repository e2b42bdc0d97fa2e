using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace MediaStack.Sandbox.Json;

// Small helpers to read and write Kubernetes objects held as JsonObject.
public static class JsonPath
{
    public static JsonNode? At(this JsonNode? node, params string[] path)
    {
        foreach (var part in path)
        {
            if (node is not JsonObject o || !o.TryGetPropertyValue(part, out node)) return null;
        }
        return node;
    }

    public static string? Str(this JsonNode? node, params string[] path) =>
        node.At(path) is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;

    public static long? Long(this JsonNode? node, params string[] path)
    {
        if (node.At(path) is not JsonValue v) return null;
        return v.GetValueKind() switch
        {
            JsonValueKind.Number => v.TryGetValue<long>(out var l) ? l
                : v.TryGetValue<int>(out var i) ? i
                : double.TryParse(v.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? (long)d : null,
            JsonValueKind.String when long.TryParse(v.GetValue<string>(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var s) => s,
            _ => null,
        };
    }

    public static bool? Bool(this JsonNode? node, params string[] path) =>
        node.At(path) is JsonValue v && v.GetValueKind() is JsonValueKind.True or JsonValueKind.False ? v.GetValue<bool>() : null;

    public static JsonObject? Obj(this JsonNode? node, params string[] path) => node.At(path) as JsonObject;

    public static JsonArray? Arr(this JsonNode? node, params string[] path) => node.At(path) as JsonArray;

    public static IEnumerable<JsonObject> Objects(this JsonNode? node, params string[] path) =>
        node.At(path) is JsonArray a ? a.OfType<JsonObject>() : [];

    // Returns the object at path, creating empty objects along the way.
    public static JsonObject Ensure(this JsonObject node, params string[] path)
    {
        var current = node;
        foreach (var part in path)
        {
            if (current[part] is not JsonObject next)
            {
                next = new JsonObject();
                current[part] = next;
            }
            current = next;
        }
        return current;
    }

    public static JsonArray EnsureArray(this JsonObject node, string name)
    {
        if (node[name] is not JsonArray a)
        {
            a = new JsonArray();
            node[name] = a;
        }
        return a;
    }

    public static Dictionary<string, string> StringMap(this JsonNode? node, params string[] path)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        if (node.At(path) is JsonObject o)
            foreach (var (k, v) in o)
                if (v is JsonValue jv && jv.GetValueKind() == JsonValueKind.String) map[k] = jv.GetValue<string>();
        return map;
    }

    public static JsonObject Clone(this JsonObject o) => (JsonObject)o.DeepClone();

    public static string Name(this JsonObject o) => o.Str("metadata", "name") ?? "";
    public static string Namespace(this JsonObject o) => o.Str("metadata", "namespace") ?? "";
    public static string Uid(this JsonObject o) => o.Str("metadata", "uid") ?? "";

    public static string Timestamp(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static DateTimeOffset? Time(this JsonNode? node, params string[] path) =>
        node.Str(path) is { } s && DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) ? t : null;

    public static string Compact(this JsonNode node) => node.ToJsonString(CompactOptions);

    public static readonly JsonSerializerOptions CompactOptions = new() { WriteIndented = false };

    public static JsonObject ParseObject(ReadOnlySpan<byte> utf8)
    {
        JsonNode? node;
        try { node = JsonNode.Parse(utf8, documentOptions: new JsonDocumentOptions { MaxDepth = 128 }); }
        catch (JsonException e) { throw new FormatException(e.Message, e); }
        return node as JsonObject ?? throw new FormatException("the body is not a JSON object");
    }
}
