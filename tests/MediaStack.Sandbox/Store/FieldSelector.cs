using System.Text.Json;
using System.Text.Json.Nodes;
using MediaStack.Sandbox.Api;
using MediaStack.Sandbox.Json;

namespace MediaStack.Sandbox.Store;

// A field selector (a=b, a==b, a!=b joined by commas) over dotted paths of the object:
// metadata.name, metadata.namespace, status.phase, spec.nodeName, involvedObject.uid ...
public sealed class FieldSelector
{
    readonly List<(string Path, bool Equal, string Value)> _terms = new();

    public bool IsEmpty => _terms.Count == 0;

    public static FieldSelector Parse(string? text)
    {
        var s = new FieldSelector();
        if (string.IsNullOrWhiteSpace(text)) return s;
        foreach (var raw in text.Split(','))
        {
            var part = raw.Trim();
            int i;
            if ((i = part.IndexOf("!=", StringComparison.Ordinal)) > 0) s._terms.Add((part[..i], false, part[(i + 2)..]));
            else if ((i = part.IndexOf("==", StringComparison.Ordinal)) > 0) s._terms.Add((part[..i], true, part[(i + 2)..]));
            else if ((i = part.IndexOf('=')) > 0) s._terms.Add((part[..i], true, part[(i + 1)..]));
            else throw ApiException.BadRequest($"invalid selector: '{text}'; can't understand '{part}'");
        }
        return s;
    }

    public bool Matches(JsonObject obj)
    {
        foreach (var (path, equal, value) in _terms)
        {
            var actual = ValueAt(obj, path);
            if ((actual == value) != equal) return false;
        }
        return true;
    }

    static string ValueAt(JsonObject obj, string path)
    {
        var node = obj.At(path.Split('.'));
        return node switch
        {
            JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
            JsonValue v => v.ToJsonString(),
            _ => "",
        };
    }
}
