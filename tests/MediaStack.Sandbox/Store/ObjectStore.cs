using System.Globalization;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using MediaStack.Sandbox.Api;
using MediaStack.Sandbox.Json;

namespace MediaStack.Sandbox.Store;

// The in-memory etcd: objects per resource, one global revision counter, a bounded
// event history for watch resumption. One lock guards everything; it is reentrant so
// admission code running inside an update may read other objects.
// historyLimit: enough events for any watch to resume after a short disconnect, few
// enough to stay cheap.
public sealed class ObjectStore(int historyLimit = 5000)
{

    readonly object _gate = new();
    readonly Dictionary<ResourceType, SortedDictionary<string, JsonObject>> _objects = new();
    readonly LinkedList<WatchEvent> _history = new();
    readonly List<Channel<WatchEvent>> _watchers = new();
    long _revision = 1000;

    // Raised (inside the lock) after every change; handlers must not block.
    public event Action<WatchEvent>? Changed;

    public object Gate => _gate;

    public long Revision { get { lock (_gate) return _revision; } }

    static string Key(string? ns, string name) => $"{ns}/{name}";

    SortedDictionary<string, JsonObject> Table(ResourceType rt)
    {
        if (!_objects.TryGetValue(rt, out var table))
        {
            table = new SortedDictionary<string, JsonObject>(StringComparer.Ordinal);
            _objects[rt] = table;
        }
        return table;
    }

    public JsonObject? Get(ResourceType rt, string? ns, string name)
    {
        lock (_gate) return Table(rt).TryGetValue(Key(ns, name), out var o) ? o.Clone() : null;
    }

    // Items in key order (namespace, then name), from startAfterKey when paging.
    public (List<JsonObject> Items, long Revision) List(ResourceType rt, string? ns, Func<JsonObject, bool>? filter = null)
    {
        lock (_gate)
        {
            var items = new List<JsonObject>();
            foreach (var (key, obj) in Table(rt))
            {
                if (ns is not null && !key.StartsWith(ns + "/", StringComparison.Ordinal)) continue;
                if (filter is not null && !filter(obj)) continue;
                items.Add(obj.Clone());
            }
            return (items, _revision);
        }
    }

    public JsonObject Create(ResourceType rt, JsonObject obj)
    {
        lock (_gate)
        {
            var ns = rt.Namespaced ? obj.Namespace() : null;
            var name = obj.Name();
            var table = Table(rt);
            if (table.ContainsKey(Key(ns, name))) throw ApiException.AlreadyExists(rt.Group, rt.Plural, name);
            var stored = obj.Clone();
            var meta = stored.Ensure("metadata");
            meta["uid"] = Guid.NewGuid().ToString();
            meta["creationTimestamp"] = JsonPath.Timestamp(DateTimeOffset.UtcNow);
            if (rt.HasGeneration) meta["generation"] = 1;
            meta["resourceVersion"] = Next();
            table[Key(ns, name)] = stored;
            Publish(new WatchEvent("ADDED", rt, _revision, stored.Clone(), null));
            return stored.Clone();
        }
    }

    // Applies mutate to a copy of the current object; mutate returns the new object, or
    // null when nothing changes. Spec changes bump metadata.generation. A dry run returns
    // what would be stored and stores nothing.
    public JsonObject Update(ResourceType rt, string? ns, string name, Func<JsonObject, JsonObject?> mutate, bool dryRun = false)
    {
        lock (_gate)
        {
            var table = Table(rt);
            if (!table.TryGetValue(Key(ns, name), out var current)) throw ApiException.NotFound(rt.Group, rt.Plural, name);
            var updated = mutate(current.Clone());
            if (updated is null || JsonNode.DeepEquals(updated, current)) return current.Clone();
            var meta = updated.Ensure("metadata");
            meta["uid"] = current.Uid();
            meta["creationTimestamp"] = current.Str("metadata", "creationTimestamp");
            if (rt.HasGeneration)
            {
                var generation = current.Long("metadata", "generation") ?? 1;
                if (!JsonNode.DeepEquals(updated["spec"], current["spec"])) generation++;
                meta["generation"] = generation;
            }
            if (dryRun) return updated.Clone();
            meta["resourceVersion"] = Next();
            table[Key(ns, name)] = updated;
            Publish(new WatchEvent("MODIFIED", rt, _revision, updated.Clone(), current.Clone()));
            return updated.Clone();
        }
    }

    public JsonObject? Remove(ResourceType rt, string? ns, string name, string? uid = null)
    {
        lock (_gate)
        {
            var table = Table(rt);
            if (!table.TryGetValue(Key(ns, name), out var current)) return null;
            if (uid is not null && current.Uid() != uid) return null;
            table.Remove(Key(ns, name));
            var gone = current.Clone();
            gone.Ensure("metadata")["resourceVersion"] = Next();
            Publish(new WatchEvent("DELETED", rt, _revision, gone.Clone(), current.Clone()));
            return gone;
        }
    }

    string Next() => (++_revision).ToString(CultureInfo.InvariantCulture);

    void Publish(WatchEvent e)
    {
        _history.AddLast(e);
        if (_history.Count > historyLimit) _history.RemoveFirst();
        foreach (var w in _watchers) w.Writer.TryWrite(e);
        Changed?.Invoke(e);
    }

    // A feed of changes after fromRevision (replayed from history), then live ones.
    // Returns null when fromRevision is older than the history kept (410 Gone).
    public WatchFeed? Watch(long fromRevision)
    {
        lock (_gate)
        {
            if (fromRevision > 0 && _history.First is { } first && first.Value.Revision > fromRevision + 1 && fromRevision < _revision
                && _history.Count >= historyLimit)
                return null;
            var channel = Channel.CreateUnbounded<WatchEvent>(new UnboundedChannelOptions { SingleReader = true });
            if (fromRevision > 0)
                foreach (var e in _history)
                    if (e.Revision > fromRevision) channel.Writer.TryWrite(e);
            _watchers.Add(channel);
            return new WatchFeed(channel.Reader, () => { lock (_gate) _watchers.Remove(channel); });
        }
    }
}

public sealed class WatchFeed(ChannelReader<WatchEvent> reader, Action stop) : IDisposable
{
    public ChannelReader<WatchEvent> Reader { get; } = reader;
    public void Dispose() => stop();
}
