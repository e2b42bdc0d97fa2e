using System.Text.Json.Nodes;
using MediaStack.Sandbox.Admission;
using MediaStack.Sandbox.Api;
using MediaStack.Sandbox.Json;
using MediaStack.Sandbox.Patch;
using MediaStack.Sandbox.Rbac;
using MediaStack.Sandbox.Scenarios;
using MediaStack.Sandbox.Store;

namespace MediaStack.Sandbox.Resources;

public enum PatchKind { Json, Merge, Strategic }

public sealed record DeleteOptions(string? PropagationPolicy = null, long? GracePeriodSeconds = null, string? PreconditionUid = null, string? PreconditionResourceVersion = null);

// The write path every create, update, patch and delete goes through, whether it comes
// from a client, the scenario loader or a controller: defaulting, admission, validation,
// optimistic concurrency, then the store.
public sealed class ObjectService(ObjectStore store, ClusterMode mode, PodSecurity podSecurity)
{
    public ObjectStore Store => store;

    public JsonObject Create(Identity who, ResourceType rt, string? ns, JsonObject body, bool dryRun = false, Action<string>? warn = null)
    {
        var obj = body.Clone();
        CheckTypeMeta(rt, obj);
        var meta = obj.Ensure("metadata");
        if (rt.Namespaced)
        {
            var bodyNs = obj.Namespace();
            if (bodyNs.Length > 0 && ns is { Length: > 0 } && bodyNs != ns)
                throw ApiException.BadRequest("the namespace of the provided object does not match the namespace sent on the request");
            meta["namespace"] = bodyNs.Length > 0 ? bodyNs : ns;
        }
        else meta.Remove("namespace");
        foreach (var systemField in new[] { "resourceVersion", "uid", "creationTimestamp", "deletionTimestamp", "generation" })
            meta.Remove(systemField);
        if (rt.StatusOwnedByServer) obj.Remove("status");

        lock (store.Gate)
        {
            if (rt.Namespaced)
            {
                var nsName = obj.Namespace();
                if (store.Get(ResourceCatalog.Namespaces, null, nsName) is not { } nsObj)
                    throw ApiException.NotFound("", "namespaces", nsName);
                if (nsObj.Str("status", "phase") == "Terminating")
                    throw ApiException.Forbidden(rt.Group, rt.Plural, obj.Name(),
                        $"{rt.Qualified} \"{obj.Name()}\" is forbidden: unable to create new content in namespace {nsName} because it is being terminated");
            }
            Defaults.Apply(rt, obj);
            if (rt.Kind == "DaemonSet") Defaults.DaemonSetTemplateGeneration(obj, null);
            if (rt.Kind == "Pod") AdmitPod(who, obj);
            ObjectValidator.Validate(rt, obj);
            if (rt.Kind == "Pod" && mode == ClusterMode.Kubernetes) podSecurity.AdmitPodSecurityStandard(obj);
            WarnAboutTemplate(rt, obj, warn);

            if (obj.Name().Length == 0)
            {
                var prefix = obj.Str("metadata", "generateName")!;
                string candidate;
                do candidate = prefix + NameGenerator.Suffix();
                while (store.Get(rt, obj.Namespace(), candidate) is not null);
                meta["name"] = candidate;
            }
            if (dryRun)
            {
                if (store.Get(rt, obj.Namespace() is { Length: > 0 } dns ? dns : null, obj.Name()) is not null)
                    throw ApiException.AlreadyExists(rt.Group, rt.Plural, obj.Name());
                return obj;
            }
            var created = store.Create(rt, obj);
            if (rt.Kind == "Namespace" && store.Get(ResourceCatalog.ServiceAccounts, created.Name(), "default") is null)
                store.Create(ResourceCatalog.ServiceAccounts, new JsonObject
                {
                    ["kind"] = "ServiceAccount",
                    ["apiVersion"] = "v1",
                    ["metadata"] = new JsonObject { ["name"] = "default", ["namespace"] = created.Name() },
                });
            return created;
        }
    }

    // Pod Security Admission only warns about workloads; their pods are what it refuses.
    void WarnAboutTemplate(ResourceType rt, JsonObject obj, Action<string>? warn)
    {
        if (warn is null || mode != ClusterMode.Kubernetes || !rt.IsWorkload) return;
        if (podSecurity.TemplateWarning(obj) is { } warning) warn(warning);
    }

    void AdmitPod(Identity who, JsonObject pod)
    {
        var sa = pod.Str("spec", "serviceAccountName") ?? "default";
        if (store.Get(ResourceCatalog.ServiceAccounts, pod.Namespace(), sa) is null)
        {
            var name = pod.Name() is { Length: > 0 } n ? n : pod.Str("metadata", "generateName") ?? "";
            throw ApiException.Forbidden("", "pods", name,
                $"pods \"{name}\" is forbidden: error looking up service account {pod.Namespace()}/{sa}: serviceaccount \"{sa}\" not found");
        }
        if (mode == ClusterMode.OpenShift) podSecurity.AdmitOpenShift(pod, who);
    }

    static void CheckTypeMeta(ResourceType rt, JsonObject obj)
    {
        var apiVersion = obj.Str("apiVersion");
        var kind = obj.Str("kind");
        if (apiVersion is { Length: > 0 } && apiVersion != rt.ApiVersion)
            throw ApiException.BadRequest($"the API version in the data ({apiVersion}) does not match the expected API version ({rt.ApiVersion})");
        if (kind is { Length: > 0 } && kind != rt.Kind)
            throw ApiException.BadRequest($"the kind in the data ({kind}) does not match the expected kind ({rt.Kind})");
        obj["apiVersion"] = rt.ApiVersion;
        obj["kind"] = rt.Kind;
    }

    // PUT of a whole object. A stale metadata.resourceVersion is a 409 Conflict.
    public JsonObject Replace(Identity who, ResourceType rt, string? ns, string name, JsonObject body, string subresource = "", bool dryRun = false, Action<string>? warn = null)
    {
        var incoming = body.Clone();
        CheckTypeMeta(rt, incoming);
        var bodyName = incoming.Name();
        if (bodyName.Length > 0 && bodyName != name)
            throw ApiException.BadRequest($"the name of the object ({bodyName}) does not match the name on the URL ({name})");
        var stored = store.Update(rt, ns, name, current => Merge(rt, current, incoming, subresource), dryRun);
        WarnAboutTemplate(rt, stored, warn);
        return stored;
    }

    public JsonObject Patch(Identity who, ResourceType rt, string? ns, string name, PatchKind kind, byte[] patch, string subresource = "", bool dryRun = false, Action<string>? warn = null)
    {
        var stored = store.Update(rt, ns, name, current =>
        {
            JsonObject patched;
            try
            {
                patched = kind switch
                {
                    PatchKind.Json => JsonPatch.Apply(current, patch),
                    PatchKind.Merge => MergePatch.Apply(current, patch),
                    _ => StrategicMergePatch.Apply(current, patch),
                };
            }
            catch (PatchFormatException e) { throw ApiException.BadRequest(e.Message); }
            catch (PatchApplyException) { throw new ApiException(422, "Invalid", "the server rejected our request due to an error in our request", new JsonObject()); }
            CheckTypeMeta(rt, patched);
            if (patched.Name() != name)
                throw ApiException.BadRequest($"the name of the object ({patched.Name()}) does not match the name on the URL ({name})");
            return Merge(rt, current, patched, subresource);
        }, dryRun);
        WarnAboutTemplate(rt, stored, warn);
        return stored;
    }

    // Builds the object to store from the current one and the client's version of it.
    static JsonObject Merge(ResourceType rt, JsonObject current, JsonObject incoming, string subresource)
    {
        var rv = incoming.Str("metadata", "resourceVersion");
        if (rv is { Length: > 0 } && rv != current.Str("metadata", "resourceVersion"))
            throw ApiException.Conflict(rt.Group, rt.Plural, current.Name(), ApiException.StaleObjectMessage);
        var meta = incoming.Ensure("metadata");
        meta["name"] = current.Name();
        if (rt.Namespaced) meta["namespace"] = current.Namespace(); else meta.Remove("namespace");
        foreach (var keep in new[] { "deletionTimestamp", "deletionGracePeriodSeconds", "generation" })
        {
            meta.Remove(keep);
            if (current.At("metadata", keep) is { } v) meta[keep] = v.DeepClone();
        }
        if (subresource == "status")
        {
            // Only the status changes through /status.
            var result = current.Clone();
            result["status"] = incoming["status"]?.DeepClone();
            return result;
        }
        if (rt.StatusOwnedByServer || rt.Kind == "Namespace")
            incoming["status"] = current["status"]?.DeepClone();
        if (rt.Kind == "Pod")
        {
            // The pod spec is immutable apart from images; the runtime keeps running what it started.
            var changed = current.Obj("spec")!.Clone();
            var wanted = incoming.Obj("spec");
            foreach (var field in new[] { "containers", "initContainers" })
            {
                var cur = changed.Arr(field);
                var want = wanted.Arr(field);
                if (cur is null || want is null || cur.Count != want.Count) continue;
                for (int i = 0; i < cur.Count; i++)
                    if (want[i] is JsonObject w && w.Str("image") is { } image && cur[i] is JsonObject c) c["image"] = image;
            }
            if (wanted?["activeDeadlineSeconds"] is { } ads) changed["activeDeadlineSeconds"] = ads.DeepClone();
            incoming["spec"] = changed;
            if (current.Str("metadata", "annotations", PodSecurity.SccAnnotation) is { } scc)
                incoming.Ensure("metadata", "annotations")[PodSecurity.SccAnnotation] = scc;
        }
        Defaults.Apply(rt, incoming);
        if (rt.Kind == "DaemonSet") Defaults.DaemonSetTemplateGeneration(incoming, current);
        ObjectValidator.Validate(rt, incoming);
        ObjectValidator.ValidateUpdate(rt, incoming, current);
        return incoming;
    }

    // Status written by controllers and the node: no admission, no generation bump.
    public JsonObject? UpdateStatus(ResourceType rt, string? ns, string name, Func<JsonObject, bool> mutate)
    {
        try
        {
            return store.Update(rt, ns, name, current => mutate(current) ? current : null);
        }
        catch (ApiException e) when (e.Code == 404) { return null; }
    }

    // A controller's status for an object it read: written when that object (its uid) still
    // exists and the status differs; zero counts the API omits (omitempty) are left out.
    public void WriteStatus(ResourceType rt, JsonObject owner, JsonObject status, params string[] omitWhenZero)
    {
        foreach (var field in omitWhenZero)
            if (status.Long(field) == 0) status.Remove(field);
        UpdateStatus(rt, owner.Namespace(), owner.Name(), current =>
        {
            if (current.Uid() != owner.Uid() || JsonNode.DeepEquals(current["status"], status)) return false;
            current["status"] = status;
            return true;
        });
    }

    // A controller deleting the pod it saw (that incarnation only); false when it is gone.
    public bool DeleteOwnedPod(JsonObject pod)
    {
        try
        {
            Delete(Identity.System, ResourceCatalog.Pods, pod.Namespace(), pod.Name(), new DeleteOptions(PreconditionUid: pod.Uid()));
            return true;
        }
        catch (ApiException e) when (e.Code is 404 or 409) { return false; }
    }

    public JsonObject Delete(Identity who, ResourceType rt, string? ns, string name, DeleteOptions options)
    {
        lock (store.Gate)
        {
            var current = store.Get(rt, ns, name) ?? throw ApiException.NotFound(rt.Group, rt.Plural, name);
            if (options.PreconditionUid is { Length: > 0 } uid && uid != current.Uid())
                throw ApiException.Conflict(rt.Group, rt.Plural, name,
                    $"Precondition failed: UID in precondition: {uid}, UID in object meta: {current.Uid()}");
            if (options.PreconditionResourceVersion is { Length: > 0 } prv && prv != current.Str("metadata", "resourceVersion"))
                throw ApiException.Conflict(rt.Group, rt.Plural, name,
                    $"Precondition failed: ResourceVersion in precondition: {prv}, ResourceVersion in object meta: {current.Str("metadata", "resourceVersion")}");

            var policy = options.PropagationPolicy ?? "Background";
            if (policy is not ("Orphan" or "Background" or "Foreground"))
                throw ApiException.Invalid("meta.k8s.io", "DeleteOptions", "", [FieldError.NotSupported("propagationPolicy", $"\"{policy}\"", ["Foreground", "Background", "Orphan"])]);

            if (current.At("metadata", "deletionTimestamp") is not null)
            {
                // Already terminating: a grace period of 0 forces the pod out now.
                if (rt.Kind == "Pod" && options.GracePeriodSeconds == 0)
                    return store.Remove(rt, ns, name) ?? current;
                return current;
            }

            if (policy == "Orphan") Orphan(current);

            var graceful = rt.Kind == "Pod" && current.Str("spec", "nodeName") is { Length: > 0 } && options.GracePeriodSeconds != 0;
            var finalizers = policy == "Foreground" ? ["foregroundDeletion"] : Array.Empty<string>();
            var keepsFinalizers = current.Arr("metadata", "finalizers")?.Count > 0;
            if (rt.Kind == "Namespace" || graceful || finalizers.Length > 0 || keepsFinalizers)
            {
                var grace = options.GracePeriodSeconds ?? current.Long("spec", "terminationGracePeriodSeconds") ?? 30;
                return store.Update(rt, ns, name, o =>
                {
                    var meta = o.Ensure("metadata");
                    meta["deletionTimestamp"] = JsonPath.Timestamp(DateTimeOffset.UtcNow.AddSeconds(rt.Kind == "Pod" ? grace : 0));
                    if (rt.Kind == "Pod") meta["deletionGracePeriodSeconds"] = grace;
                    if (finalizers.Length > 0)
                    {
                        var list = meta.EnsureArray("finalizers");
                        foreach (var f in finalizers)
                            if (!list.Any(x => x?.ToString() == f)) list.Add(f);
                    }
                    if (rt.Kind == "Namespace") o.Ensure("status")["phase"] = "Terminating";
                    return o;
                });
            }
            return store.Remove(rt, ns, name) ?? current;
        }
    }

    // Orphan deletion: the dependents lose their owner reference instead of going with it.
    void Orphan(JsonObject owner)
    {
        var uid = owner.Uid();
        foreach (var rt in new[] { ResourceCatalog.ReplicaSets, ResourceCatalog.Pods })
            foreach (var dependent in store.List(rt, owner.Namespace(), o => o.Objects("metadata", "ownerReferences").Any(r => r.Str("uid") == uid)).Items)
                store.Update(rt, dependent.Namespace(), dependent.Name(), o =>
                {
                    var refs = o.Arr("metadata", "ownerReferences")!;
                    foreach (var r in refs.OfType<JsonObject>().Where(r => r.Str("uid") == uid).ToList()) refs.Remove(r);
                    if (refs.Count == 0) o.Obj("metadata")!.Remove("ownerReferences");
                    return o;
                });
    }
}
