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

    public static bool IsTerminating(JsonObject obj) => obj.At("metadata", "deletionTimestamp") is not null;

    public static bool IsReady(JsonObject pod) =>
        pod.Objects("status", "conditions").Any(c => c.Str("type") == "Ready" && c.Str("status") == "True");

    public static bool IsActive(JsonObject pod) =>
        !IsTerminating(pod) && pod.Str("status", "phase") is not ("Succeeded" or "Failed");
}
