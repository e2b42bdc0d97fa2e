using System.Text.Json.Nodes;

namespace MediaStack.Core.JsonPatch;

// RFC 6901 pointers: building them from tokens, splitting them, and applying RFC 6902
// operations to an in-memory JSON tree (to preview a plan, and to check an edited file).
public static class JsonPointer
{
    public static string Escape(string token) => token.Replace("~", "~0").Replace("/", "~1");

    public static string Build(params object[] tokens) =>
        string.Concat(tokens.Select(token => "/" + Escape(Convert.ToString(token, System.Globalization.CultureInfo.InvariantCulture)!)));

    public static IReadOnlyList<string> Split(string pointer)
    {
        if (pointer.Length == 0)
        {
            return [];
        }
        if (pointer[0] != '/')
        {
            throw new ArgumentException($"'{pointer}' is not a JSON pointer.", nameof(pointer));
        }
        return pointer[1..].Split('/').Select(token => token.Replace("~1", "/").Replace("~0", "~")).ToArray();
    }

    public static JsonNode? Find(JsonNode? root, string pointer)
    {
        var node = root;
        foreach (var token in Split(pointer))
        {
            node = node switch
            {
                JsonObject map => map.TryGetPropertyValue(token, out var value) ? value : null,
                JsonArray list when int.TryParse(token, out var index) && index >= 0 && index < list.Count => list[index],
                _ => null,
            };
            if (node is null)
            {
                return null;
            }
        }
        return node;
    }

    // Applies one operation in place; the root itself is never replaced by our plans.
    public static void Apply(JsonNode root, PatchOperation operation)
    {
        var tokens = Split(operation.Path);
        if (tokens.Count == 0)
        {
            throw new InvalidOperationException("Operations on the document root are not supported.");
        }
        var parent = Find(root, Build(tokens.Take(tokens.Count - 1).ToArray<object>()))
            ?? throw new InvalidOperationException($"The parent of {operation.Path} does not exist.");
        var last = tokens[^1];
        switch (parent, operation.Op)
        {
            case (_, PatchOp.Test):
                if (!JsonNode.DeepEquals(Find(root, operation.Path), operation.Value))
                {
                    throw new InvalidOperationException($"Test failed at {operation.Path}.");
                }
                break;
            case (JsonObject map, PatchOp.Add or PatchOp.Replace):
                if (operation.Op == PatchOp.Replace && !map.ContainsKey(last))
                {
                    throw new InvalidOperationException($"Nothing to replace at {operation.Path}.");
                }
                map[last] = operation.Value?.DeepClone();
                break;
            case (JsonObject map, PatchOp.Remove):
                if (!map.Remove(last))
                {
                    throw new InvalidOperationException($"Nothing to remove at {operation.Path}.");
                }
                break;
            case (JsonArray list, PatchOp.Add):
                var at = last == "-" ? list.Count : Index(list, last, allowEnd: true, operation.Path);
                list.Insert(at, operation.Value?.DeepClone());
                break;
            case (JsonArray list, PatchOp.Replace):
                list[Index(list, last, allowEnd: false, operation.Path)] = operation.Value?.DeepClone();
                break;
            case (JsonArray list, PatchOp.Remove):
                list.RemoveAt(Index(list, last, allowEnd: false, operation.Path));
                break;
            default:
                throw new InvalidOperationException($"Cannot apply {operation.Op} at {operation.Path}.");
        }
    }

    private static int Index(JsonArray list, string token, bool allowEnd, string path)
    {
        if (!int.TryParse(token, out var index) || index < 0 || index > list.Count || (!allowEnd && index == list.Count))
        {
            throw new InvalidOperationException($"Index out of range at {path}.");
        }
        return index;
    }
}
