using System.Text.Json;
using System.Text.Json.Nodes;

namespace MediaStack.Sandbox.Patch;

// RFC 6902. Decoding problems are PatchFormatException (kube-apiserver: 400); an
// operation that cannot apply, a failed `test` included, is PatchApplyException (422).
public static class JsonPatch
{
    public static JsonObject Apply(JsonObject target, ReadOnlySpan<byte> patchBytes)
    {
        JsonArray ops;
        try
        {
            ops = JsonNode.Parse(patchBytes) as JsonArray
                ?? throw new PatchFormatException("json: cannot unmarshal object into Go value of type jsonpatch.Patch");
        }
        catch (JsonException e) { throw new PatchFormatException(e.Message); }

        JsonNode doc = target.DeepClone();
        foreach (var item in ops)
        {
            if (item is not JsonObject op) throw new PatchFormatException("json: cannot unmarshal into Go value of type jsonpatch.Operation");
            var kind = (op["op"] as JsonValue)?.TryGetValue<string>(out var k) == true ? k : null;
            var path = (op["path"] as JsonValue)?.TryGetValue<string>(out var p) == true ? p : null;
            if (kind is null) throw new PatchApplyException("Unexpected kind: unknown");
            if (path is null) throw new PatchApplyException($"{kind} operation does not apply: doc is missing path");
            switch (kind)
            {
                case "add": doc = Add(doc, path, Value(op)); break;
                case "remove": doc = Remove(doc, path, out _); break;
                case "replace":
                    doc = Remove(doc, path, out _, "replace");
                    doc = Add(doc, path, Value(op));
                    break;
                case "move":
                    {
                        var from = op["from"]?.GetValue<string>() ?? throw new PatchApplyException("move operation does not apply: doc is missing from path");
                        doc = Remove(doc, from, out var moved);
                        doc = Add(doc, path, moved);
                        break;
                    }
                case "copy":
                    {
                        var from = op["from"]?.GetValue<string>() ?? throw new PatchApplyException("copy operation does not apply: doc is missing from path");
                        var copied = Get(doc, from) ?? throw new PatchApplyException($"copy operation does not apply: doc is missing from path: {from}");
                        doc = Add(doc, path, copied.DeepClone());
                        break;
                    }
                case "test":
                    {
                        var actual = path.Length == 0 ? doc : Get(doc, path, mustExist: false);
                        if (!JsonNode.DeepEquals(actual, Value(op)))
                            throw new PatchApplyException($"testing value {path} failed: test failed");
                        break;
                    }
                default: throw new PatchApplyException($"Unexpected kind: {kind}");
            }
        }
        return doc as JsonObject ?? throw new PatchApplyException("the patched document is not an object");
    }

    static JsonNode? Value(JsonObject op) => op.TryGetPropertyValue("value", out var v) ? v?.DeepClone() : null;

    static string[] Tokens(string path)
    {
        if (path.Length == 0) return [];
        if (path[0] != '/') throw new PatchApplyException($"add operation does not apply: doc is missing path: \"{path}\": missing value");
        return path[1..].Split('/').Select(t => t.Replace("~1", "/").Replace("~0", "~")).ToArray();
    }

    static JsonNode? Get(JsonNode doc, string path, bool mustExist = true)
    {
        JsonNode? node = doc;
        foreach (var t in Tokens(path))
        {
            node = node switch
            {
                JsonObject o => o.TryGetPropertyValue(t, out var c) ? c : Missing(t, mustExist),
                JsonArray a when int.TryParse(t, out var i) && i >= 0 && i < a.Count => a[i],
                _ => Missing(t, mustExist),
            };
            if (node is null) return null;
        }
        return node;
    }

    static JsonNode? Missing(string token, bool mustExist) =>
        mustExist ? throw new PatchApplyException($"doc is missing key: {token}") : null;

    static (JsonNode Parent, string Last) Parent(JsonNode doc, string path, string op)
    {
        var tokens = Tokens(path);
        if (tokens.Length == 0) throw new PatchApplyException($"{op} operation does not apply: doc is missing path: \"{path}\": missing value");
        JsonNode? node = doc;
        foreach (var t in tokens[..^1])
        {
            node = node switch
            {
                JsonObject o when o.TryGetPropertyValue(t, out var c) => c,
                JsonArray a when int.TryParse(t, out var i) && i >= 0 && i < a.Count => a[i],
                _ => null,
            };
            if (node is null) throw new PatchApplyException($"{op} operation does not apply: doc is missing path: \"{path}\": missing value");
        }
        return (node!, tokens[^1]);
    }

    static JsonNode Add(JsonNode doc, string path, JsonNode? value)
    {
        if (path.Length == 0) return value ?? throw new PatchApplyException("add operation does not apply: null document");
        var (parent, last) = Parent(doc, path, "add");
        switch (parent)
        {
            case JsonObject o:
                o[last] = value;
                break;
            case JsonArray a:
                if (last == "-") a.Add(value);
                else if (int.TryParse(last, out var i) && i >= 0 && i <= a.Count) a.Insert(i, value);
                else throw new PatchApplyException($"add operation does not apply: doc is missing path: \"{path}\": missing value");
                break;
            default: throw new PatchApplyException($"add operation does not apply: doc is missing path: \"{path}\": missing value");
        }
        return doc;
    }

    static JsonNode Remove(JsonNode doc, string path, out JsonNode? removed, string op = "remove")
    {
        var (parent, last) = Parent(doc, path, op);
        switch (parent)
        {
            case JsonObject o when o.TryGetPropertyValue(last, out removed):
                o.Remove(last);
                return doc;
            case JsonArray a when int.TryParse(last, out var i) && i >= 0 && i < a.Count:
                removed = a[i];
                a.RemoveAt(i);
                return doc;
            default:
                throw new PatchApplyException($"{op} operation does not apply: doc is missing path: \"{path}\": missing value");
        }
    }
}

public sealed class PatchFormatException(string message) : Exception(message);

public sealed class PatchApplyException(string message) : Exception(message);
