using System.Text.Json.Nodes;
using MediaStack.Sandbox.Api;
using MediaStack.Sandbox.Json;

namespace MediaStack.Sandbox.Rbac;

// authorization.k8s.io/v1 SubjectAccessReview (for any subject) and SelfSubjectAccessReview
// (for the caller, what `kubectl auth can-i` posts), answered from the stored RBAC.
public sealed class AccessReviews(RbacAuthorizer rbac)
{
    // SelfSubjectRulesReview: the caller's rules in spec.namespace (`kubectl auth can-i --list`).
    public JsonObject Rules(JsonObject body, Identity self)
    {
        var review = body.Clone();
        var ns = review.Str("spec", "namespace") ?? "";
        var resourceRules = new JsonArray();
        var nonResourceRules = new JsonArray();
        foreach (var rule in rbac.RulesFor(self, ns))
        {
            if (rule.Arr("nonResourceURLs") is { Count: > 0 } urls)
                nonResourceRules.Add(new JsonObject { ["verbs"] = rule["verbs"]?.DeepClone(), ["nonResourceURLs"] = urls.DeepClone() });
            if (rule.Arr("resources") is { Count: > 0 })
            {
                var copy = new JsonObject { ["verbs"] = rule["verbs"]?.DeepClone(), ["apiGroups"] = rule["apiGroups"]?.DeepClone(), ["resources"] = rule["resources"]?.DeepClone() };
                if (rule["resourceNames"] is { } names) copy["resourceNames"] = names.DeepClone();
                resourceRules.Add(copy);
            }
        }
        review["status"] = new JsonObject { ["resourceRules"] = resourceRules, ["nonResourceRules"] = nonResourceRules, ["incomplete"] = false };
        review.Ensure("metadata")["creationTimestamp"] = null;
        return review;
    }

    public JsonObject Review(JsonObject body, Identity? self)
    {
        var review = body.Clone();
        var spec = review.Obj("spec") ?? throw ApiException.Invalid("authorization.k8s.io", review.Str("kind") ?? "SubjectAccessReview", "",
            [FieldError.Required("spec")]);
        Identity who;
        if (self is not null) who = self;
        else
        {
            var user = spec.Str("user") ?? "";
            var groups = spec.Arr("groups")?.Select(g => g?.ToString() ?? "").ToList() ?? [];
            if (user.Length == 0 && groups.Count == 0)
                throw ApiException.Invalid("authorization.k8s.io", "SubjectAccessReview", "",
                    [FieldError.Invalid("spec.user", "\"\"", "at least one of user or group must be specified")]);
            who = new Identity(user, groups);
        }

        AccessRequest request;
        if (spec.Obj("resourceAttributes") is { } ra)
            request = new AccessRequest(ra.Str("verb") ?? "", ra.Str("group") ?? "", ra.Str("resource") ?? "",
                ra.Str("subresource") ?? "", ra.Str("namespace") ?? "", ra.Str("name") ?? "");
        else if (spec.Obj("nonResourceAttributes") is { } nra)
            request = new AccessRequest(nra.Str("verb") ?? "", "", "", "", "", "", nra.Str("path") ?? "");
        else
            throw ApiException.Invalid("authorization.k8s.io", review.Str("kind") ?? "SubjectAccessReview", "",
                [FieldError.Required("spec.resourceAttributes", "exactly one of nonResourceAttributes or resourceAttributes must be specified")]);

        var decision = rbac.Authorize(who, request);
        var status = new JsonObject { ["allowed"] = decision.Allowed };
        if (decision.Reason.Length > 0) status["reason"] = decision.Reason;
        review["status"] = status;
        review.Ensure("metadata")["creationTimestamp"] = null;
        return review;
    }
}
