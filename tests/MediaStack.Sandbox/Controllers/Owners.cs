using System.Text.Json.Nodes;
using MediaStack.Sandbox.Json;

namespace MediaStack.Sandbox.Controllers;

public static class Owners
{
    public static bool ControlledBy(JsonObject obj, string ownerUid) =>
        obj.Objects("metadata", "ownerReferences").Any(r => r.Str("uid") == ownerUid && r.Bool("controller") == true);

    public static JsonArray ControllerReference(JsonObject owner) => new(new JsonObject
    {
        ["apiVersion"] = owner.Str("apiVersion"),
        ["kind"] = owner.Str("kind"),
        ["name"] = owner.Name(),
        ["uid"] = owner.Uid(),
        ["controller"] = true,
        ["blockOwnerDeletion"] = true,
    });

    // controller.GetPodFromTemplate: the template's labels, annotations and spec, in the
    // owner's namespace, controlled by it. The caller names it.
    public static JsonObject PodFromTemplate(JsonObject owner, JsonObject? template)
    {
        var meta = template.Obj("metadata")?.Clone() ?? new JsonObject();
        meta.Remove("name");
        meta.Remove("creationTimestamp");
        meta["namespace"] = owner.Namespace();
        meta["ownerReferences"] = ControllerReference(owner);
        return new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Pod",
            ["metadata"] = meta,
            ["spec"] = template.Obj("spec")?.Clone() ?? new JsonObject(),
        };
    }

    public static bool IsTerminating(JsonObject obj) => obj.At("metadata", "deletionTimestamp") is not null;

    public static bool IsReady(JsonObject pod) =>
        pod.Objects("status", "conditions").Any(c => c.Str("type") == "Ready" && c.Str("status") == "True");

    public static bool IsRunningAndReady(JsonObject pod) => pod.Str("status", "phase") == "Running" && IsReady(pod);

    // podutil.IsPodAvailable: Ready for at least minReadySeconds.
    public static bool IsAvailable(JsonObject pod, long minReadySeconds, DateTimeOffset now)
    {
        if (!IsReady(pod)) return false;
        if (minReadySeconds <= 0) return true;
        var since = pod.Objects("status", "conditions").First(c => c.Str("type") == "Ready").Time("lastTransitionTime");
        return since is { } t && t.AddSeconds(minReadySeconds) < now;
    }

    public static bool IsActive(JsonObject pod) =>
        !IsTerminating(pod) && pod.Str("status", "phase") is not ("Succeeded" or "Failed");
}
