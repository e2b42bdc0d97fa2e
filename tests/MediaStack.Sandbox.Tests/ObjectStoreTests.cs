using System.Text.Json.Nodes;
using MediaStack.Sandbox.Store;

namespace MediaStack.Sandbox.Tests;

// The store's revision and watch-history rules.
public sealed class ObjectStoreTests
{
    static JsonObject Map(string name) => new() { ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = "ns" } };

    [Fact]
    public void Watches_resume_from_kept_history_and_are_refused_beyond_it()
    {
        var store = new ObjectStore(historyLimit: 10);
        var first = store.Create(ResourceCatalog.ConfigMaps, Map("c0"));
        var firstRv = long.Parse(first["metadata"]!["resourceVersion"]!.GetValue<string>());
        for (int i = 1; i < 5; i++) store.Create(ResourceCatalog.ConfigMaps, Map($"c{i}"));
        using (var recent = store.Watch(firstRv)!)
        {
            Assert.True(recent.Reader.TryRead(out var e));
            Assert.Equal(("ADDED", "c1"), (e!.Type, e.Object["metadata"]!["name"]!.GetValue<string>()));
        }
        for (int i = 5; i < 30; i++) store.Create(ResourceCatalog.ConfigMaps, Map($"c{i}"));
        Assert.Null(store.Watch(firstRv));
        Assert.NotNull(store.Watch(store.Revision));
    }

    [Fact]
    public void Updates_bump_the_revision_only_when_something_changes_and_generation_only_for_spec()
    {
        var store = new ObjectStore();
        var d = JsonNode.Parse("""{"metadata":{"name":"d","namespace":"ns"},"spec":{"replicas":1}}""")!.AsObject();
        var created = store.Create(ResourceCatalog.Deployments, d);
        var same = store.Update(ResourceCatalog.Deployments, "ns", "d", o => o);
        Assert.Equal(created["metadata"]!["resourceVersion"]!.GetValue<string>(), same["metadata"]!["resourceVersion"]!.GetValue<string>());
        var labelled = store.Update(ResourceCatalog.Deployments, "ns", "d", o => { o["metadata"]!["labels"] = new JsonObject { ["a"] = "b" }; return o; });
        Assert.Equal(1, labelled["metadata"]!["generation"]!.GetValue<long>());
        var scaled = store.Update(ResourceCatalog.Deployments, "ns", "d", o => { o["spec"]!["replicas"] = 2; return o; });
        Assert.Equal(2, scaled["metadata"]!["generation"]!.GetValue<long>());
        Assert.True(long.Parse(scaled["metadata"]!["resourceVersion"]!.GetValue<string>()) > long.Parse(labelled["metadata"]!["resourceVersion"]!.GetValue<string>()));
    }
}
