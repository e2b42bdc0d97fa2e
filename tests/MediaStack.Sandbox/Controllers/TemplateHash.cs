using System.Text;
using System.Text.Json.Nodes;
using MediaStack.Sandbox.Resources;

namespace MediaStack.Sandbox.Controllers;

// pod-template-hash: FNV-32a over the template (keys sorted and null fields dropped, so
// neither key order nor a client's `creationTimestamp: null` changes it), printed in
// decimal and safe-encoded like the deployment controller does.
public static class TemplateHash
{
    public static string Of(JsonNode? template)
    {
        var text = Canonical(template);
        uint hash = 2166136261;
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            hash ^= b;
            hash *= 16777619;
        }
        return NameGenerator.SafeEncode(hash.ToString());
    }

    static string Canonical(JsonNode? node) => node switch
    {
        JsonObject o => "{" + string.Join(",", o.Where(p => p.Value is not null).OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"\"{p.Key}\":{Canonical(p.Value)}")) + "}",
        JsonArray a => "[" + string.Join(",", a.Select(Canonical)) + "]",
        null => "null",
        _ => node.ToJsonString(),
    };
}
