using System.Text.Json;
using System.Text.Json.Nodes;

namespace MediaStack.Sandbox.Patch;

// Strategic merge patch for the built-in types the sandbox serves: lists of containers,
// volumes, env ... merge by their patch merge key, `$patch: delete|replace` and
// `$setElementOrder/<list>`, `$deleteFromPrimitiveList/<list>` and `$retainKeys` (what
// kubectl apply sends when a strategy type changes) are honoured. Lists without a merge key
// are replaced, as the real server does.
public static class StrategicMergePatch
{
    static readonly Dictionary<string, string> MergeKeys = new(StringComparer.Ordinal)
    {
        ["containers"] = "name",
        ["initContainers"] = "name",
        ["ephemeralContainers"] = "name",
        ["volumes"] = "name",
        ["env"] = "name",
        ["imagePullSecrets"] = "name",
        ["resourceClaims"] = "name",
        ["volumeMounts"] = "mountPath",
        ["volumeDevices"] = "devicePath",
        ["ownerReferences"] = "uid",
        ["conditions"] = "type",
        ["hostAliases"] = "ip",
        ["topologySpreadConstraints"] = "topologyKey",
    };

    static readonly HashSet<string> MergedPrimitiveLists = new(StringComparer.Ordinal) { "finalizers" };

    public static JsonObject Apply(JsonObject target, ReadOnlySpan<byte> patchBytes)
    {
        JsonNode? patch;
        try { patch = JsonNode.Parse(patchBytes); }
        catch (JsonException e) { throw new PatchFormatException(e.Message); }
        if (patch is not JsonObject p) throw new PatchFormatException("json: cannot unmarshal array into Go value of type map[string]interface {}");
        return MergeMap((JsonObject)target.DeepClone(), p) ?? new JsonObject();
    }

    static JsonObject? MergeMap(JsonObject original, JsonObject patch)
    {
        if (patch["$patch"] is JsonValue directive)
        {
            var d = directive.ToString();
            if (d == "delete") return null;
            if (d == "replace")
            {
                var replacement = (JsonObject)patch.DeepClone();
                replacement.Remove("$patch");
                return StripDirectives(replacement);
            }
            throw new PatchFormatException($"Unknown patch type: {d}");
        }

        var orders = new Dictionary<string, JsonArray>();
        foreach (var (key, value) in patch)
        {
            if (key == "$retainKeys" || key == "$patch") continue;
            if (key.StartsWith("$setElementOrder/", StringComparison.Ordinal))
            {
                if (value is JsonArray order) orders[key["$setElementOrder/".Length..]] = order;
                continue;
            }
            if (key.StartsWith("$deleteFromPrimitiveList/", StringComparison.Ordinal))
            {
                var field = key["$deleteFromPrimitiveList/".Length..];
                if (original[field] is JsonArray list && value is JsonArray remove)
                    foreach (var r in remove)
                        foreach (var item in list.Where(i => JsonNode.DeepEquals(i, r)).ToList()) list.Remove(item);
                continue;
            }
            if (value is null)
            {
                original.Remove(key);
                continue;
            }
            switch (value)
            {
                case JsonObject po when original[key] is JsonObject oo:
                    var merged = MergeMap((JsonObject)oo.DeepClone(), po);
                    if (merged is null) original.Remove(key); else original[key] = merged;
                    break;
                case JsonObject po:
                    var fresh = MergeMap(new JsonObject(), po);
                    if (fresh is null) original.Remove(key); else original[key] = fresh;
                    break;
                case JsonArray pa:
                    original[key] = MergeList(key, original[key] as JsonArray, pa);
                    break;
                default:
                    original[key] = value.DeepClone();
                    break;
            }
        }
        foreach (var (field, order) in orders)
            if (original[field] is JsonArray list) original[field] = Reorder(field, list, order);
        if (patch["$retainKeys"] is JsonArray retain)
        {
            var keep = retain.Select(k => k?.ToString()).ToHashSet();
            foreach (var key in original.Select(p => p.Key).Where(k => !keep.Contains(k)).ToList()) original.Remove(key);
        }
        return original;
    }

    static JsonArray MergeList(string field, JsonArray? original, JsonArray patch)
    {
        if (patch.OfType<JsonObject>().Any(o => o["$patch"]?.ToString() == "replace"))
            return new JsonArray(patch.OfType<JsonObject>().Where(o => o["$patch"]?.ToString() != "replace")
                .Select(o => (JsonNode)StripDirectives((JsonObject)o.DeepClone())).ToArray());

        if (MergedPrimitiveLists.Contains(field))
        {
            var union = (JsonArray?)original?.DeepClone() ?? new JsonArray();
            foreach (var item in patch)
                if (!union.Any(u => JsonNode.DeepEquals(u, item))) union.Add(item?.DeepClone());
            return union;
        }

        var key = KeyFor(field, patch, original);
        if (key is null || patch.Any(i => i is not JsonObject))
            return new JsonArray(patch.Select(i => i is JsonObject o ? StripDirectives((JsonObject)o.DeepClone()) : i?.DeepClone()).ToArray());

        var result = (JsonArray?)original?.DeepClone() ?? new JsonArray();
        foreach (var item in patch.OfType<JsonObject>())
        {
            var id = item[key];
            var existing = id is null ? null : result.OfType<JsonObject>().FirstOrDefault(o => JsonNode.DeepEquals(o[key], id));
            if (item["$patch"]?.ToString() == "delete")
            {
                if (existing is not null) result.Remove(existing);
                continue;
            }
            if (existing is null)
            {
                result.Add(StripDirectives((JsonObject)item.DeepClone()));
                continue;
            }
            var index = result.IndexOf(existing);
            var merged = MergeMap((JsonObject)existing.DeepClone(), item);
            result.RemoveAt(index);
            if (merged is not null) result.Insert(index, merged);
        }
        return result;
    }

    static string? KeyFor(string field, JsonArray patch, JsonArray? original)
    {
        if (field == "ports")
        {
            var sample = patch.OfType<JsonObject>().Concat(original?.OfType<JsonObject>() ?? []);
            return sample.Any(o => o.ContainsKey("containerPort")) ? "containerPort" : "port";
        }
        return MergeKeys.GetValueOrDefault(field);
    }

    static JsonArray Reorder(string field, JsonArray list, JsonArray order)
    {
        var key = KeyFor(field, order, list);
        var items = list.Select(i => i?.DeepClone()).ToList();
        int Rank(JsonNode? item)
        {
            for (int i = 0; i < order.Count; i++)
            {
                var wanted = order[i] is JsonObject o && key is not null ? o[key] : order[i];
                var actual = item is JsonObject io && key is not null ? io[key] : item;
                if (JsonNode.DeepEquals(wanted, actual)) return i;
            }
            return int.MaxValue;
        }
        return new JsonArray(items.Select((item, i) => (item, i)).OrderBy(t => Rank(t.item)).ThenBy(t => t.i).Select(t => t.item).ToArray());
    }

    static JsonObject StripDirectives(JsonObject o)
    {
        foreach (var key in o.Select(p => p.Key).Where(k => k.StartsWith('$')).ToList()) o.Remove(key);
        foreach (var (_, value) in o.ToList())
        {
            if (value is JsonObject child) StripDirectives(child);
            else if (value is JsonArray arr)
                foreach (var c in arr.OfType<JsonObject>()) StripDirectives(c);
        }
        return o;
    }
}
