using System.Text.Json;
using System.Text.Json.Nodes;

namespace MediaStack.Sandbox.Patch;

// RFC 7386 JSON merge patch: objects merge recursively, null deletes, anything else replaces.
public static class MergePatch
{
    public static JsonObject Apply(JsonObject target, ReadOnlySpan<byte> patchBytes)
    {
        JsonNode? patch;
        try { patch = JsonNode.Parse(patchBytes); }
        catch (JsonException) { throw new PatchFormatException("Invalid JSON Patch"); }
        if (patch is not JsonObject p) throw new PatchFormatException("Invalid JSON Patch");
        return (JsonObject)Merge(target.DeepClone(), p);
    }

    public static JsonNode Merge(JsonNode? target, JsonObject patch)
    {
        var result = target as JsonObject ?? new JsonObject();
        foreach (var (key, value) in patch)
        {
            if (value is null) result.Remove(key);
            else if (value is JsonObject po) result[key] = Merge(result[key]?.DeepClone(), po);
            else result[key] = value.DeepClone();
        }
        return result;
    }
}
