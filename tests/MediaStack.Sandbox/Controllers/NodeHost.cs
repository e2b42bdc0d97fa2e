using System.Text.Json.Nodes;
using MediaStack.Sandbox.Api;
using MediaStack.Sandbox.Json;
using MediaStack.Sandbox.Node;
using MediaStack.Sandbox.Resources;
using MediaStack.Sandbox.Store;

namespace MediaStack.Sandbox.Controllers;

// The API side of the runtime seam: what a node may read and write.
public sealed class NodeHost(ObjectStore store, ResourceCatalog catalog, EventRecorder events) : INodeHost
{
    public JsonObject? Get(string resource, string ns, string name)
    {
        var rt = catalog.All.FirstOrDefault(r => r.Plural == resource && !r.Virtual);
        return rt is null ? null : store.Get(rt, rt.Namespaced ? ns : null, name);
    }

    public void UpdatePodStatus(string ns, string name, string uid, Action<JsonObject> mutateStatus)
    {
        try
        {
            store.Update(ResourceCatalog.Pods, ns, name, pod =>
            {
                if (pod.Uid() != uid) return null;
                mutateStatus(pod.Ensure("status"));
                return pod;
            });
        }
        catch (ApiException e) when (e.Code == 404) { }
    }

    public void RecordEvent(string ns, string kind, string name, string uid, string type, string reason, string message)
    {
        var obj = kind == "Pod" ? store.Get(ResourceCatalog.Pods, ns, name) : null;
        var node = obj?.Str("spec", "nodeName");
        events.Record(ns, kind, name, uid, "v1", obj?.Str("metadata", "resourceVersion") ?? "", type, reason, message, "kubelet", node);
    }
}
