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
            case "StatefulSet":
                ValidateStatefulSet(obj.Obj("spec") ?? new JsonObject(), errors);
                break;
            case "DaemonSet":
                ValidateDaemonSet(obj.Obj("spec") ?? new JsonObject(), errors);
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
        "Namespace" or "Service" or "StatefulSet" => NameRules.LabelErrors(name),
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
        // ReplicaSets say "deployment" too: the real validation shares the text.
        ValidateSelector(spec, "deployment", errors);

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

    // The selector a workload needs, and its template's labels matching it.
    static void ValidateSelector(JsonObject spec, string kind, List<FieldError> errors, bool required = true)
    {
        var selector = spec.Obj("selector");
        var labels = spec.StringMap("template", "metadata", "labels");
        if (selector is null)
        {
            if (required) errors.Add(FieldError.Required("spec.selector"));
            else errors.Add(FieldError.Invalid("spec.template.metadata.labels", GoMap(labels), "`selector` does not match template `labels`"));
        }
        else if (selector.Obj("matchLabels") is not { Count: > 0 } && selector.Arr("matchExpressions") is not { Count: > 0 })
            errors.Add(FieldError.Invalid("spec.selector", GoSelector(selector), $"empty selector is invalid for {kind}"));
        else if (!(LabelSelector.FromObject(selector)?.Matches(labels) ?? false))
            errors.Add(FieldError.Invalid("spec.template.metadata.labels", GoMap(labels), "`selector` does not match template `labels`"));
    }

    // What pkg/apis/apps/validation checks of a StatefulSet: its policies, selector and
    // template labels, restartPolicy. Not the pod spec: the real API server leaves that to
    // pod creation (a bad template shows as FailedCreate events on the StatefulSet).
    static void ValidateStatefulSet(JsonObject spec, List<FieldError> errors)
    {
        switch (spec.Str("podManagementPolicy"))
        {
            case null: errors.Add(FieldError.Required("spec.podManagementPolicy")); break;
            case "OrderedReady" or "Parallel": break;
            case var other: errors.Add(FieldError.Invalid("spec.podManagementPolicy", $"\"{other}\"", "must be 'OrderedReady' or 'Parallel'")); break;
        }
        var strategy = spec.Obj("updateStrategy");
        switch (strategy.Str("type"))
        {
            case null: errors.Add(FieldError.Required("spec.updateStrategy")); break;
            case "OnDelete" when strategy!.Obj("rollingUpdate") is { } rolling:
                errors.Add(FieldError.Invalid("spec.updateStrategy.rollingUpdate", GoStruct("v1.RollingUpdateStatefulSetStrategy", rolling), "only allowed for updateStrategy 'RollingUpdate'"));
                break;
            case "OnDelete": break;
            case "RollingUpdate":
                if (strategy!.Long("rollingUpdate", "partition") is < 0 and var partition)
                    errors.Add(FieldError.Invalid("spec.updateStrategy.rollingUpdate.partition", partition.ToString(), "must be greater than or equal to 0"));
                break;
            default:
                errors.Add(FieldError.Invalid("spec.updateStrategy", GoStruct("v1.StatefulSetUpdateStrategy", strategy!), "must be 'RollingUpdate' or 'OnDelete'"));
                break;
        }
        foreach (var field in new[] { "replicas", "minReadySeconds" })
            if (spec.Long(field) is < 0 and var negative)
                errors.Add(FieldError.Invalid($"spec.{field}", negative.ToString(), "must be greater than or equal to 0"));
        ValidateSelector(spec, "statefulset", errors);
        ValidateTemplateBasics(spec, "StatefulSet", errors);
    }

    static void ValidateDaemonSet(JsonObject spec, List<FieldError> errors)
    {
        ValidateSelector(spec, "daemonset", errors, required: false);
        ValidatePodSpec(spec.Obj("template", "spec"), "spec.template.spec", errors);
        ValidateTemplateBasics(spec, "DaemonSet", errors);
        var strategy = spec.Obj("updateStrategy");
        switch (strategy.Str("type"))
        {
            case "OnDelete": break;
            case "RollingUpdate" when strategy!.Obj("rollingUpdate") is not { } rolling:
                errors.Add(FieldError.Required("spec.updateStrategy.rollingUpdate"));
                break;
            case "RollingUpdate":
                {
                    var unavailable = Amount(strategy!.At("rollingUpdate", "maxUnavailable"));
                    var surge = Amount(strategy.At("rollingUpdate", "maxSurge"));
                    if (unavailable != 0 && surge != 0)
                        errors.Add(FieldError.Invalid("spec.updateStrategy.rollingUpdate.maxSurge", strategy.At("rollingUpdate", "maxSurge")!.ToString(), "may not be set when maxUnavailable is non-zero"));
                    else if (unavailable == 0 && surge == 0)
                        errors.Add(FieldError.Required("spec.updateStrategy.rollingUpdate.maxUnavailable", "cannot be 0 when maxSurge is 0"));
                    break;
                }
            case var other:
                errors.Add(FieldError.NotSupported("spec.updateStrategy", GoStruct("v1.DaemonSetUpdateStrategy", strategy ?? new JsonObject()), ["RollingUpdate", "OnDelete"]));
                break;
        }
    }

    // An int-or-percent's number ("25%" -> 25), as the apps validation compares them with 0.
    static int Amount(JsonNode? value) =>
        int.TryParse(value?.ToString().TrimEnd('%'), out var n) ? n : 0;

    // Both kinds run their pods forever, and only with restartPolicy Always.
    static void ValidateTemplateBasics(JsonObject spec, string kind, List<FieldError> errors)
    {
        var restart = spec.Str("template", "spec", "restartPolicy");
        if (restart is not null and not "Always")
            errors.Add(FieldError.NotSupported("spec.template.spec.restartPolicy", $"\"{restart}\"", ["Always"]));
        if (spec.At("template", "spec", "activeDeadlineSeconds") is not null)
            errors.Add(FieldError.Forbidden("spec.template.spec.activeDeadlineSeconds", $"activeDeadlineSeconds in {kind} is not Supported"));
    }

    // What an update may not change: a workload's selector, and a StatefulSet's spec beyond
    // the fields the registry lets through.
    static readonly string[] StatefulSetMutable = ["replicas", "ordinals", "template", "updateStrategy", "persistentVolumeClaimRetentionPolicy", "minReadySeconds"];

    public static void ValidateUpdate(ResourceType rt, JsonObject updated, JsonObject current)
    {
        var errors = new List<FieldError>();
        if (rt.Kind == "StatefulSet")
        {
            var fixedNow = (current.Obj("spec") ?? new JsonObject()).Clone();
            var fixedThen = (updated.Obj("spec") ?? new JsonObject()).Clone();
            foreach (var field in StatefulSetMutable) { fixedNow.Remove(field); fixedThen.Remove(field); }
            if (!JsonNode.DeepEquals(fixedNow, fixedThen))
                errors.Add(FieldError.Forbidden("spec", "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden"));
        }
        else if (rt.IsWorkload && !JsonNode.DeepEquals(updated.At("spec", "selector"), current.At("spec", "selector")) && updated.Obj("spec", "selector") is { } selector)
            errors.Add(FieldError.Invalid("spec.selector", GoSelector(selector), "field is immutable"));
        if (errors.Count > 0) throw ApiException.Invalid(rt.Group, rt.Kind, updated.Name(), errors);
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
            if (v.Obj("hostPath") is { } hostPath) ValidateHostPath(hostPath, $"{path}.volumes[{vi}].hostPath", errors);
            vi++;
        }
        if (!(spec?.Arr("containers")?.Count > 0))
            errors.Add(FieldError.Required($"{path}.containers"));
        var names = new HashSet<string>(StringComparer.Ordinal);
        ValidateContainers(spec, "initContainers", path, volumes, names, errors);
        ValidateContainers(spec, "containers", path, volumes, names, errors);
    }

    static readonly string[] HostPathTypes = ["", "BlockDevice", "CharDevice", "Directory", "DirectoryOrCreate", "File", "FileOrCreate", "Socket"];

    // validateHostPathVolumeSource: a path without '..' steps and a known type.
    static void ValidateHostPath(JsonObject hostPath, string at, List<FieldError> errors)
    {
        var hostDir = hostPath.Str("path") ?? "";
        if (hostDir.Length == 0)
        {
            errors.Add(FieldError.Required($"{at}.path"));
            return;
        }
        if (hostDir.Split('/').Contains(".."))
            errors.Add(FieldError.Invalid($"{at}.path", $"\"{hostDir}\"", "must not contain '..'"));
        if (hostPath.Str("type") is { } type && !HostPathTypes.Contains(type))
            errors.Add(FieldError.NotSupported($"{at}.type", $"\"{type}\"", HostPathTypes));
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

    // A struct value in field errors, close to Go's %#v: the type and its JSON fields.
    static string GoStruct(string type, JsonObject value) => $"{type}{value.ToJsonString()}";
}
