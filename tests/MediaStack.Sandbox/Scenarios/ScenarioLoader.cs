using System.Text.Json.Nodes;
using MediaStack.Sandbox.Api;
using MediaStack.Sandbox.Hosting;
using MediaStack.Sandbox.Json;
using MediaStack.Sandbox.Store;

namespace MediaStack.Sandbox.Scenarios;

// Creates a scenario's objects through the normal create path (admission included), in
// document order, as the cluster admin. An object the cluster already has (media-stack,
// bootstrap roles) is updated instead, as `apply` would: namespaces take the document's
// labels and annotations, anything else is replaced.
public static class ScenarioLoader
{
    public static void Load(SandboxCluster cluster, Scenario scenario)
    {
        var index = 0;
        foreach (var doc in scenario.Objects)
        {
            index++;
            var rt = cluster.Catalog.ForKind(doc.Str("apiVersion") ?? "", doc.Str("kind") ?? "")
                ?? throw new FormatException($"scenario document {index}: the sandbox does not serve kind \"{doc.Str("kind")}\" in \"{doc.Str("apiVersion")}\" ({cluster.Mode} mode)");
            var ns = rt.Namespaced ? (doc.Namespace() is { Length: > 0 } n ? n : "media-stack") : null;
            try
            {
                CreateOrUpdate(cluster, rt, ns, doc);
            }
            catch (ApiException e)
            {
                throw new FormatException($"scenario document {index} ({doc.Str("kind")} {doc.Name()}): {e.Message}", e);
            }
        }
    }

    static void CreateOrUpdate(SandboxCluster cluster, ResourceType rt, string? ns, JsonObject doc)
    {
        if (cluster.Store.Get(rt, ns, doc.Name()) is null || doc.Name().Length == 0)
        {
            cluster.Objects.Create(cluster.Auth.Admin, rt, ns, doc);
            return;
        }
        if (rt.Kind != "Namespace")
        {
            cluster.Objects.Replace(cluster.Auth.Admin, rt, ns, doc.Name(), doc);
            return;
        }
        cluster.Store.Update(rt, null, doc.Name(), current =>
        {
            foreach (var field in new[] { "labels", "annotations" })
                if (doc.Obj("metadata", field) is { } extra)
                    foreach (var (k, v) in extra) current.Ensure("metadata", field)[k] = v?.DeepClone();
            return current;
        });
    }
}
