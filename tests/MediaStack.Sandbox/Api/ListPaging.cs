using System.Text;
using System.Text.Json.Nodes;
using MediaStack.Sandbox.Json;

namespace MediaStack.Sandbox.Api;

// limit/continue paging over a list in key order. The token records where the page ended.
public static class ListPaging
{
    public sealed record Page(List<JsonObject> Items, string? Continue, long? Remaining);

    static string KeyOf(JsonObject o) => $"{o.Namespace()}/{o.Name()}";

    public static Page Apply(List<JsonObject> items, string? limitText, string? continueToken, long revision)
    {
        var start = 0;
        if (!string.IsNullOrEmpty(continueToken))
        {
            string after;
            try
            {
                var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(continueToken));
                var node = JsonNode.Parse(decoded) as JsonObject ?? throw new FormatException();
                after = node.Str("start") ?? throw new FormatException();
            }
            catch (Exception e) when (e is FormatException or System.Text.Json.JsonException)
            {
                throw ApiException.BadRequest("continue key is not valid: illegal base64 data at input byte 0");
            }
            start = items.FindIndex(o => string.CompareOrdinal(KeyOf(o), after) > 0);
            if (start < 0) start = items.Count;
        }
        var rest = items.Skip(start).ToList();
        if (!long.TryParse(limitText, out var limit) || limit <= 0 || rest.Count <= limit)
            return new Page(rest, null, null);
        var page = rest.Take((int)limit).ToList();
        var token = new JsonObject { ["v"] = "meta.k8s.io/v1", ["rv"] = revision, ["start"] = KeyOf(page[^1]) };
        return new Page(page, Convert.ToBase64String(Encoding.UTF8.GetBytes(token.Compact())), rest.Count - limit);
    }
}
