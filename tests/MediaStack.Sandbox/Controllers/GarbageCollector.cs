using System.Text.Json.Nodes;
using MediaStack.Sandbox.Api;
using MediaStack.Sandbox.Json;
using MediaStack.Sandbox.Rbac;
using MediaStack.Sandbox.Resources;
using MediaStack.Sandbox.Store;

namespace MediaStack.Sandbox.Controllers;

// ownerReferences garbage collection: dependents whose owners are gone are deleted
// (background propagation); owners deleted in the foreground wait for their dependents.
// Terminating namespaces are emptied, then removed.
public sealed class GarbageCollector(ObjectService objects, ResourceCatalog catalog) : IController
{
    // Only workloads own things in the sandbox; scanning them keeps a pass cheap.
    static readonly ResourceType[] Owned = [ResourceCatalog.Deployments, ResourceCatalog.ReplicaSets, ResourceCatalog.StatefulSets, ResourceCatalog.DaemonSets, ResourceCatalog.Pods];

    public string Name => "garbage-collector";

    public void Reconcile()
    {
        var store = objects.Store;
        var workloads = Owned.SelectMany(rt => store.List(rt, null).Items.Select(o => (Type: rt, Obj: o))).ToList();
        var uids = workloads.Select(x => x.Obj.Uid()).ToHashSet();

        foreach (var (rt, o) in workloads)
        {
            var refs = o.Objects("metadata", "ownerReferences").ToList();
            if (refs.Count > 0 && refs.All(r => !uids.Contains(r.Str("uid") ?? "")) && !Owners.IsTerminating(o))
                TryDelete(rt, o);
        }

        foreach (var (rt, o) in workloads.Where(x => Owners.IsTerminating(x.Obj) && x.Type.Kind != "Pod"))
        {
            var finalizers = o.Arr("metadata", "finalizers")?.Select(f => f?.ToString()).ToList() ?? [];
            if (finalizers.Contains("foregroundDeletion"))
            {
                var dependents = workloads.Where(x => x.Obj.Objects("metadata", "ownerReferences").Any(r => r.Str("uid") == o.Uid())).ToList();
                foreach (var (drt, dep) in dependents.Where(x => !Owners.IsTerminating(x.Obj)))
                    TryDelete(drt, dep, "Foreground");
                if (dependents.Count > 0) continue;
                store.Update(rt, o.Namespace(), o.Name(), current =>
                {
                    var list = current.Arr("metadata", "finalizers");
                    foreach (var f in list?.Where(f => f?.ToString() == "foregroundDeletion").ToList() ?? []) list!.Remove(f);
                    if (list is { Count: 0 }) current.Obj("metadata")!.Remove("finalizers");
                    return current;
                });
                finalizers.Remove("foregroundDeletion");
            }
            if (finalizers.Count == 0) store.Remove(rt, o.Namespace(), o.Name(), o.Uid());
        }

        foreach (var ns in store.List(ResourceCatalog.Namespaces, null, Owners.IsTerminating).Items)
        {
            var left = 0;
            foreach (var rt in catalog.All.Where(r => r.Namespaced && !r.Virtual))
                foreach (var c in store.List(rt, ns.Name()).Items)
                {
                    left++;
                    if (!Owners.IsTerminating(c)) TryDelete(rt, c);
                }
            if (left == 0) store.Remove(ResourceCatalog.Namespaces, null, ns.Name(), ns.Uid());
        }
    }

    void TryDelete(ResourceType rt, JsonObject o, string policy = "Background")
    {
        try { objects.Delete(Identity.System, rt, rt.Namespaced ? o.Namespace() : null, o.Name(), new DeleteOptions(policy, PreconditionUid: o.Uid())); }
        catch (ApiException e) when (e.Code is 404 or 409) { }
    }
}
