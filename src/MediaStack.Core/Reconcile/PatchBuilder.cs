using System.Text.Json.Nodes;
using MediaStack.Core.JsonPatch;
using MediaStack.Core.Workloads;

namespace MediaStack.Core.Reconcile;

// A workload being changed: a working copy to which every operation is applied at once, so
// the next one is computed (and its indexes counted) against the result, as a JSON patch
// runs. Containers and volumes are found by name each time, never by a stale index.
internal sealed class PatchBuilder
{
    private readonly JsonObject _current;
    private readonly string _spec;

    public PatchBuilder(Workload workload)
    {
        Before = workload.Resource;
        _current = (JsonObject)workload.Resource.DeepClone();
        _spec = workload.SpecPointer;
    }

    public JsonObject Before { get; }

    // The workload as it stands after the operations so far.
    public JsonObject Current => _current;

    public List<PatchOperation> Operations { get; } = [];

    public List<PlannedChange> Changes { get; } = [];

    private JsonObject PodSpec => (JsonObject)JsonPointer.Find(_current, _spec)!;

    public JsonArray? List(string list) => PodSpec[list] as JsonArray;

    public int IndexOf(string list, string name) =>
        List(list)?.OfType<JsonObject>().ToList().FindIndex(item => WorkloadContainer.Text(item["name"]) == name) ?? -1;

    // The container of that name and its pointer, in either list.
    public (JsonObject Json, string Pointer, string List)? Container(string name)
    {
        foreach (var list in new[] { Workload.InitContainers, Workload.Containers })
        {
            var index = IndexOf(list, name);
            if (index >= 0)
            {
                return ((JsonObject)List(list)![index]!, Pointer(list, index), list);
            }
        }
        return null;
    }

    public string Pointer(string list, int index) => $"{_spec}/{list}/{index}";

    public string SpecPointer => _spec;

    public void Emit(PatchOperation operation, PlannedChange? change = null)
    {
        JsonPointer.Apply(_current, operation);
        Operations.Add(operation);
        if (change is not null && !Changes.Contains(change))
        {
            Changes.Add(change);
        }
    }

    public void Note(PlannedChange change)
    {
        if (!Changes.Contains(change))
        {
            Changes.Add(change);
        }
    }

    // Adds an item to a pod-spec list, creating the list when there is none.
    public void Insert(string list, int index, JsonObject item, PlannedChange change)
    {
        var operation = List(list) is null
            ? PatchOperation.Add($"{_spec}/{list}", new JsonArray(item.DeepClone()))
            : PatchOperation.Add(Pointer(list, index), item.DeepClone());
        Emit(operation, change);
    }

    // Removes a named item; the last item goes with its key, so no empty list is left behind.
    public void Remove(string list, string name, PlannedChange change)
    {
        var index = IndexOf(list, name);
        if (index >= 0)
        {
            Emit(List(list)!.Count == 1 ? PatchOperation.Remove($"{_spec}/{list}") : PatchOperation.Remove(Pointer(list, index)), change);
        }
    }

    // Sets one scalar member of an object (adding it, or replacing a different value).
    public void Set(string objectPointer, string key, JsonNode value, PlannedChange change)
    {
        var target = JsonPointer.Find(_current, objectPointer) as JsonObject;
        var path = $"{objectPointer}/{JsonPointer.Escape(key)}";
        if (target?[key] is { } existing && SameValue(existing, value))
        {
            return;
        }
        Emit(target?.ContainsKey(key) == true && target[key] is not null ? PatchOperation.Replace(path, value.DeepClone()) : PatchOperation.Add(path, value.DeepClone()), change);
    }

    // Makes the object at `at` hold what `desired` holds: missing members are added,
    // differing scalars replaced, lists of strings edited item by item (comments on the items
    // that stay are kept). Members desired does not name are left alone, which also keeps the
    // defaults the API server fills in (successThreshold, imagePullPolicy ...).
    public void Converge(string at, JsonNode desired, PlannedChange change)
    {
        var current = JsonPointer.Find(_current, at);
        switch (desired)
        {
            case JsonObject wanted when current is JsonObject existing:
                foreach (var (key, value) in wanted)
                {
                    if (value is null)
                    {
                        continue;
                    }
                    var path = at + "/" + JsonPointer.Escape(key);
                    if (!existing.ContainsKey(key) || existing[key] is null)
                    {
                        Emit(PatchOperation.Add(path, value.DeepClone()), change);
                    }
                    else
                    {
                        Converge(path, value, change);
                    }
                }
                break;
            case JsonArray wanted when current is JsonArray existing && existing.All(item => item is JsonValue) && wanted.All(item => item is JsonValue):
                EditList(at, existing, wanted, change);
                break;
            case JsonArray wanted when current is JsonArray existing && existing.Count == wanted.Count:
                for (var i = 0; i < wanted.Count; i++)
                {
                    Converge($"{at}/{i}", wanted[i]!, change);
                }
                break;
            default:
                if (current is null)
                {
                    Emit(PatchOperation.Add(at, desired.DeepClone()), change);
                }
                else if (!SameValue(current, desired))
                {
                    Emit(PatchOperation.Replace(at, desired.DeepClone()), change);
                }
                break;
        }
    }

    // The fewest add / remove / replace operations that turn one list of strings into the
    // other, along their longest common subsequence.
    public void EditList(string at, JsonArray existing, JsonArray wanted, PlannedChange change)
    {
        var a = existing.Select(Text).ToList();
        var b = wanted.Select(Text).ToList();
        var common = new int[a.Count + 1, b.Count + 1];
        for (var i = a.Count - 1; i >= 0; i--)
        {
            for (var j = b.Count - 1; j >= 0; j--)
            {
                common[i, j] = a[i] == b[j] ? common[i + 1, j + 1] + 1 : Math.Max(common[i + 1, j], common[i, j + 1]);
            }
        }
        var values = wanted.Select(item => item!.DeepClone()).ToList();
        int x = 0, y = 0, position = 0;
        while (x < a.Count || y < b.Count)
        {
            if (x < a.Count && y < b.Count && a[x] == b[y])
            {
                x++;
                y++;
                position++;
            }
            else if (x < a.Count && y < b.Count && common[x + 1, y + 1] == common[x, y])
            {
                Emit(PatchOperation.Replace($"{at}/{position}", values[y]), change);
                x++;
                y++;
                position++;
            }
            else if (y < b.Count && (x == a.Count || common[x, y + 1] >= common[x + 1, y]))
            {
                Emit(PatchOperation.Add($"{at}/{position}", values[y]), change);
                y++;
                position++;
            }
            else
            {
                Emit(PatchOperation.Remove($"{at}/{position}"), change);
                x++;
            }
        }
    }

    public bool IsVolumeUsed(string volume) =>
        new[] { Workload.Containers, Workload.InitContainers }
            .SelectMany(list => List(list)?.OfType<JsonObject>() ?? [])
            .SelectMany(container => container["volumeMounts"] as JsonArray ?? [])
            .Any(mount => WorkloadContainer.Text(mount?["name"]) == volume);

    private static string Text(JsonNode? node) => node?.ToJsonString() ?? "null";

    // 30 read from YAML (a long) equals 30 built in code (an int).
    public static bool SameValue(JsonNode current, JsonNode desired) =>
        JsonNode.DeepEquals(current, desired) || current.ToJsonString() == desired.ToJsonString();
}
