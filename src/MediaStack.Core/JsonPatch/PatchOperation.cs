using System.Text.Json.Nodes;

namespace MediaStack.Core.JsonPatch;

public enum PatchOp
{
    Add,
    Remove,
    Replace,
    Test,
}

// One RFC 6902 operation. The same list drives the cluster (as a JSON patch) and the
// manifest files (as in-place text edits), so both end up with the same objects.
public sealed record PatchOperation(PatchOp Op, string Path, JsonNode? Value = null)
{
    public static PatchOperation Add(string path, JsonNode? value) => new(PatchOp.Add, path, value);

    public static PatchOperation Replace(string path, JsonNode? value) => new(PatchOp.Replace, path, value);

    public static PatchOperation Remove(string path) => new(PatchOp.Remove, path);

    public static PatchOperation Test(string path, JsonNode? value) => new(PatchOp.Test, path, value);

    public JsonObject ToJson()
    {
        var operation = new JsonObject
        {
            ["op"] = Op.ToString().ToLowerInvariant(),
            ["path"] = Path,
        };
        if (Op != PatchOp.Remove)
        {
            operation["value"] = Value?.DeepClone();
        }
        return operation;
    }

    public override string ToString() => ToJson().ToJsonString();

    public static JsonArray ToJsonArray(IEnumerable<PatchOperation> operations) =>
        new(operations.Select(operation => (JsonNode)operation.ToJson()).ToArray());
}
