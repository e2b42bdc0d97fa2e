using System.Text.Json.Nodes;
using MediaStack.Sandbox.Api;
using MediaStack.Sandbox.Json;

namespace MediaStack.Sandbox.Store;

// A label selector: the query-string form (a=b,c!=d,e in (x,y),f notin (z),g,!h) and
// the object form (matchLabels + matchExpressions).
public sealed class LabelSelector
{
    readonly List<(string Key, string Op, string[] Values)> _requirements = new();

    public static readonly LabelSelector Everything = new();

    public bool IsEmpty => _requirements.Count == 0;

    public bool Matches(IReadOnlyDictionary<string, string> labels)
    {
        foreach (var (key, op, values) in _requirements)
        {
            var has = labels.TryGetValue(key, out var value);
            var ok = op switch
            {
                "=" => has && value == values[0],
                "!=" => !has || value != values[0],
                "in" => has && values.Contains(value),
                "notin" => !has || !values.Contains(value),
                "exists" => has,
                "!" => !has,
                _ => false,
            };
            if (!ok) return false;
        }
        return true;
    }

    public bool Matches(JsonObject obj) => Matches(obj.StringMap("metadata", "labels"));

    public static LabelSelector Parse(string? text)
    {
        var selector = new LabelSelector();
        if (string.IsNullOrWhiteSpace(text)) return selector;
        foreach (var raw in SplitTopLevel(text))
        {
            var part = raw.Trim();
            if (part.Length == 0) throw Bad(text, "found '', expected: identifier");
            int paren = part.IndexOf('(');
            if (paren > 0)
            {
                if (!part.EndsWith(')')) throw Bad(text, "found '', expected: ')'");
                var head = part[..paren].Trim();
                var values = part[(paren + 1)..^1].Split(',').Select(v => v.Trim()).ToArray();
                var pieces = head.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (pieces.Length != 2 || pieces[1] is not ("in" or "notin")) throw Bad(text, $"found '{head}', expected: in, notin");
                ValidateKey(text, pieces[0]);
                selector._requirements.Add((pieces[0], pieces[1], values));
            }
            else if (part.StartsWith('!'))
            {
                ValidateKey(text, part[1..].Trim());
                selector._requirements.Add((part[1..].Trim(), "!", []));
            }
            else if (part.Contains("!="))
            {
                var i = part.IndexOf("!=", StringComparison.Ordinal);
                Add(selector, text, part[..i], "!=", part[(i + 2)..]);
            }
            else if (part.Contains("=="))
            {
                var i = part.IndexOf("==", StringComparison.Ordinal);
                Add(selector, text, part[..i], "=", part[(i + 2)..]);
            }
            else if (part.Contains('='))
            {
                var i = part.IndexOf('=');
                Add(selector, text, part[..i], "=", part[(i + 1)..]);
            }
            else
            {
                ValidateKey(text, part);
                selector._requirements.Add((part, "exists", []));
            }
        }
        return selector;
    }

    static void Add(LabelSelector s, string text, string key, string op, string value)
    {
        key = key.Trim();
        value = value.Trim();
        ValidateKey(text, key);
        if (value.Any(c => !(char.IsLetterOrDigit(c) || c is '-' or '_' or '.')))
            throw Bad(text, $"invalid label value: \"{value}\"");
        s._requirements.Add((key, op, [value]));
    }

    static void ValidateKey(string text, string key)
    {
        if (key.Length == 0 || key.Any(c => !(char.IsLetterOrDigit(c) || c is '-' or '_' or '.' or '/')))
            throw Bad(text, $"invalid label key \"{key}\"");
    }

    static ApiException Bad(string text, string why) =>
        ApiException.BadRequest($"unable to parse requirement: {why}");

    static IEnumerable<string> SplitTopLevel(string text)
    {
        int depth = 0, start = 0;
        for (int i = 0; i < text.Length; i++)
        {
            if (text[i] == '(') depth++;
            else if (text[i] == ')') depth--;
            else if (text[i] == ',' && depth == 0)
            {
                yield return text[start..i];
                start = i + 1;
            }
        }
        yield return text[start..];
    }

    // metav1.LabelSelector. A null selector matches nothing, an empty one everything.
    public static LabelSelector? FromObject(JsonObject? selector)
    {
        if (selector is null) return null;
        var s = new LabelSelector();
        foreach (var (k, v) in selector.StringMap("matchLabels")) s._requirements.Add((k, "=", [v]));
        foreach (var e in selector.Objects("matchExpressions"))
        {
            var key = e.Str("key") ?? "";
            var values = e.Arr("values")?.Select(v => v?.ToString() ?? "").ToArray() ?? [];
            var op = e.Str("operator") switch
            {
                "In" => "in",
                "NotIn" => "notin",
                "Exists" => "exists",
                "DoesNotExist" => "!",
                _ => "invalid",
            };
            s._requirements.Add((key, op, values));
        }
        return s;
    }
}
