using System.Text.Json.Nodes;
using k8s;

namespace MediaStack.Core.Diagnosis.Live;

// Typed client objects -> the JSON trees the rules read (read-only use: nothing is sent back).
internal static class Json
{
    public static JsonObject From(object value) =>
        JsonNode.Parse(value is System.Text.Json.JsonElement element ? element.GetRawText() : KubernetesJson.Serialize(value))!.AsObject();
}
