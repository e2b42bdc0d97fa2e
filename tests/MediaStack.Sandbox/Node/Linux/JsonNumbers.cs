using System.Globalization;
using System.Text.Json.Nodes;

namespace MediaStack.Sandbox.Node.Linux;

// Numbers in pod specs arrive as whatever the loader produced (int, long, JsonElement);
// read them by their text so every representation works.
public static class JsonNumbers
{
    public static int? AsInt(this JsonNode? node) =>
        node is JsonValue v && int.TryParse(v.ToJsonString().Trim('"'), NumberStyles.Integer, CultureInfo.InvariantCulture, out var i) ? i : null;
}
