using System.Text.Json.Nodes;
using MediaStack.Sandbox.Api;
using MediaStack.Sandbox.Json;
using MediaStack.Sandbox.Store;

namespace MediaStack.Sandbox.Admission;

// Field validation the real API server does for the kinds the sandbox cares about:
// names, required pod-template fields, selectors, and mount propagation.
public static class ObjectValidator
{
    public const string BidirectionalMessage = "Bidirectional mount propagation is available only to privileged containers";

    static readonly string[] Propagations = ["Bidirectional", "HostToContainer", "None"];

    public static void Validate(ResourceType rt, JsonObject obj)
    {
        var errors = new List<FieldError>();
        var name = obj.Name();
        var generateName = obj.Str("metadata", "generateName") ?? "";
        if (name.Length == 0 && generateName.Length == 0)
            errors.Add(FieldError.Required("metadata.name", "name or generateName is required"));
        else if (name.Length > 0)
            foreach (var e in NameErrors(rt, name)) errors.Add(FieldError.Invalid("metadata.name", $"\"{name}\"", e));

        switch (rt.Kind)
        {
            case "Pod":
                ValidatePodSpec(obj.Obj("spec"), "spec", errors);
                break;
            case "Deployment":
            case "ReplicaSet":
                ValidateWorkload(rt, obj, errors);
                break;
            case "Service":
                if (obj.Str("spec", "type") is not "ExternalName" && !(obj.Arr("spec", "ports")?.Count > 0))
                    errors.Add(FieldError.Required("spec.ports"));
                break;
        }
        if (errors.Count > 0) throw ApiException.Invalid(rt.Group, rt.Kind, name.Length > 0 ? name : generateName, errors);
    }

    static IEnumerable<string> NameErrors(ResourceType rt, string name) => rt.Kind switch
    {
        "Namespace" or "Service" => NameRules.LabelErrors(name),
        "Role" or "ClusterRole" or "RoleBinding" or "ClusterRoleBinding" or "SecurityContextConstraints" => NameRules.PathSegmentErrors(name),
        _ => NameRules.SubdomainErrors(name),
    };

    static void ValidateWorkload(ResourceType rt, JsonObject obj, List<FieldError> errors)
    {
        var spec = obj.Obj("spec");
        if (spec is null)
        {
            errors.Add(FieldError.Required("spec.selector"));
            errors.Add(FieldError.Required("spec.template.spec.containers"));
            return;
        }
        if (spec.Long("replicas") is < 0)
            errors.Add(FieldError.Invalid("spec.replicas", spec.Long("replicas")!.Value.ToString(), "must be greater than or equal to 0"));
        var selector = spec.Obj("selector");
        var labels = spec.StringMap("template", "metadata", "labels");
        if (selector is null) errors.Add(FieldError.Required("spec.selector"));
        else if (selector.Obj("matchLabels") is null && selector.Arr("matchExpressions") is null)
            errors.Add(FieldError.Invalid("spec.selector", GoSelector(selector), "empty selector is invalid for deployment"));
        else if (!(LabelSelector.FromObject(selector)?.Matches(labels) ?? false))
            errors.Add(FieldError.Invalid("spec.template.metadata.labels", GoMap(labels), "`selector` does not match template `labels`"));

        if (rt.Kind == "Deployment" && spec.Obj("strategy") is { } strategy)
        {
            var type = strategy.Str("type");
            if (type is not null and not ("Recreate" or "RollingUpdate"))
                errors.Add(FieldError.NotSupported("spec.strategy.type", $"\"{type}\"", ["Recreate", "RollingUpdate"]));
            if (type == "Recreate" && strategy.Obj("rollingUpdate") is not null)
                errors.Add(FieldError.Forbidden("spec.strategy.rollingUpdate", "may not be specified when strategy `type` is 'Recreate'"));
        }
        ValidatePodSpec(spec.Obj("template", "spec"), "spec.template.spec", errors);
    }

    public static void ValidatePodSpec(JsonObject? spec, string path, List<FieldError> errors)
    {
        var volumes = new HashSet<string>(StringComparer.Ordinal);
        var vi = 0;
        foreach (var v in spec.Objects("volumes"))
        {
            var vname = v.Str("name") ?? "";
            if (vname.Length == 0) errors.Add(FieldError.Required($"{path}.volumes[{vi}].name"));
            else if (!volumes.Add(vname)) errors.Add(new($"{path}.volumes[{vi}].name", "Duplicate value", $"Duplicate value: \"{vname}\"", "FieldValueDuplicate"));
            vi++;
        }
        if (!(spec?.Arr("containers")?.Count > 0))
            errors.Add(FieldError.Required($"{path}.containers"));
        var names = new HashSet<string>(StringComparer.Ordinal);
        ValidateContainers(spec, "initContainers", path, volumes, names, errors);
        ValidateContainers(spec, "containers", path, volumes, names, errors);
    }

    static void ValidateContainers(JsonObject? spec, string field, string path, HashSet<string> volumes, HashSet<string> names, List<FieldError> errors)
    {
        var i = 0;
        foreach (var c in spec.Objects(field))
        {
            var at = $"{path}.{field}[{i}]";
            var cname = c.Str("name") ?? "";
            if (cname.Length == 0) errors.Add(FieldError.Required($"{at}.name"));
            else
            {
                foreach (var e in NameRules.LabelErrors(cname)) errors.Add(FieldError.Invalid($"{at}.name", $"\"{cname}\"", e));
                if (!names.Add(cname)) errors.Add(new($"{at}.name", "Duplicate value", $"Duplicate value: \"{cname}\"", "FieldValueDuplicate"));
            }
            if (string.IsNullOrEmpty(c.Str("image"))) errors.Add(FieldError.Required($"{at}.image"));
            var privileged = c.Bool("securityContext", "privileged") == true;
            var j = 0;
            foreach (var m in c.Objects("volumeMounts"))
            {
                var mat = $"{at}.volumeMounts[{j}]";
                var mname = m.Str("name") ?? "";
                if (mname.Length == 0) errors.Add(FieldError.Required($"{mat}.name"));
                else if (!volumes.Contains(mname)) errors.Add(new($"{mat}.name", "Not found", $"Not found: \"{mname}\"", "FieldValueNotFound"));
                if (string.IsNullOrEmpty(m.Str("mountPath"))) errors.Add(FieldError.Required($"{mat}.mountPath"));
                var propagation = m.Str("mountPropagation");
                if (propagation is not null && !Propagations.Contains(propagation))
                    errors.Add(FieldError.NotSupported($"{mat}.mountPropagation", $"\"{propagation}\"", Propagations));
                else if (propagation == "Bidirectional" && !privileged)
                    errors.Add(FieldError.Forbidden($"{mat}.mountPropagation", BidirectionalMessage));
                j++;
            }
            i++;
        }
    }

    // Go's %#v of map[string]string, which the real message embeds.
    public static string GoMap(IReadOnlyDictionary<string, string> map) =>
        "map[string]string{" + string.Join(", ", map.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"\"{p.Key}\":\"{p.Value}\"")) + "}";

    static string GoSelector(JsonObject selector) =>
        $"v1.LabelSelector{{MatchLabels:{GoMap(selector.StringMap("matchLabels"))}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}}";
}
