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
    public string Name => "garbage-collector";

    public void Reconcile()
    {
        var store = objects.Store;
        var stored = catalog.All.Where(r => !r.Virtual).ToList();
        var uids = new HashSet<string>();
        var all = new List<(ResourceType Type, JsonObject Obj)>();
        foreach (var rt in stored)
            foreach (var o in store.List(rt, null).Items)
            {
                uids.Add(o.Uid());
                all.Add((rt, o));
            }

        foreach (var (rt, o) in all)
        {
            var refs = o.Objects("metadata", "ownerReferences").ToList();
            if (refs.Count > 0 && refs.All(r => !uids.Contains(r.Str("uid") ?? "")) && !Owners.IsTerminating(o))
                TryDelete(rt, o);
        }

        foreach (var (rt, o) in all.Where(x => Owners.IsTerminating(x.Obj) && x.Type.Kind is not "Pod" and not "Namespace"))
        {
            var finalizers = o.Arr("metadata", "finalizers")?.Select(f => f?.ToString()).ToList() ?? [];
            if (finalizers.Contains("foregroundDeletion"))
            {
                var dependents = all.Where(x => x.Obj.Objects("metadata", "ownerReferences").Any(r => r.Str("uid") == o.Uid())).ToList();
                foreach (var (drt, dep) in dependents.Where(x => !Owners.IsTerminating(x.Obj)))
                    TryDelete(drt, dep, "Foreground");
                if (dependents.Count > 0) continue;
                store.Update(rt, NsOf(rt, o), o.Name(), current =>
                {
                    var list = current.Arr("metadata", "finalizers");
                    foreach (var f in list?.Where(f => f?.ToString() == "foregroundDeletion").ToList() ?? []) list!.Remove(f);
                    if (list is { Count: 0 }) current.Obj("metadata")!.Remove("finalizers");
                    return current;
                });
                finalizers.Remove("foregroundDeletion");
            }
            if (finalizers.Count == 0) store.Remove(rt, NsOf(rt, o), o.Name(), o.Uid());
        }

        foreach (var (_, ns) in all.Where(x => x.Type.Kind == "Namespace" && Owners.IsTerminating(x.Obj)))
        {
            var contents = all.Where(x => x.Type.Namespaced && x.Obj.Namespace() == ns.Name()).ToList();
            foreach (var (crt, c) in contents.Where(x => !Owners.IsTerminating(x.Obj)))
                TryDelete(crt, c);
            if (contents.Count == 0) store.Remove(ResourceCatalog.Namespaces, null, ns.Name(), ns.Uid());
        }
    }

    static string? NsOf(ResourceType rt, JsonObject o) => rt.Namespaced ? o.Namespace() : null;

    void TryDelete(ResourceType rt, JsonObject o, string policy = "Background")
    {
        try { objects.Delete(Identity.System, rt, NsOf(rt, o), o.Name(), new DeleteOptions(policy, PreconditionUid: o.Uid())); }
        catch (ApiException e) when (e.Code is 404 or 409) { }
    }
}
