using System.Text.Json.Nodes;
using MediaStack.Sandbox.Json;
using MediaStack.Sandbox.Store;

namespace MediaStack.Sandbox.Resources;

// The defaulting kube-apiserver applies on create, for the fields clients read back.
public static class Defaults
{
    static int _serviceIp = 10;

    public static void Apply(ResourceType rt, JsonObject obj)
    {
        switch (rt.Kind)
        {
            case "Pod":
                PodSpec(obj.Ensure("spec"));
                // The API server gives a new pod its status at once; the kubelet fills in the rest.
                obj["status"] ??= new JsonObject { ["phase"] = "Pending", ["qosClass"] = QosClass(obj.Ensure("spec")) };
                break;
            case "Deployment":
                {
                    var spec = obj.Ensure("spec");
                    spec["replicas"] ??= 1;
                    spec["revisionHistoryLimit"] ??= 10;
                    spec["progressDeadlineSeconds"] ??= 600;
                    var strategy = spec.Ensure("strategy");
                    strategy["type"] ??= "RollingUpdate";
                    if (strategy.Str("type") == "RollingUpdate")
                    {
                        var rolling = strategy.Ensure("rollingUpdate");
                        rolling["maxSurge"] ??= "25%";
                        rolling["maxUnavailable"] ??= "25%";
                    }
                    PodSpec(spec.Ensure("template", "spec"));
                    break;
                }
            case "ReplicaSet":
                obj.Ensure("spec")["replicas"] ??= 1;
                PodSpec(obj.Ensure("spec", "template", "spec"));
                break;
            case "StatefulSet":
                StatefulSet(obj.Ensure("spec"));
                break;
            case "DaemonSet":
                {
                    var spec = obj.Ensure("spec");
                    var strategy = spec.Ensure("updateStrategy");
                    strategy["type"] ??= "RollingUpdate";
                    if (strategy.Str("type") == "RollingUpdate")
                    {
                        var rolling = strategy.Ensure("rollingUpdate");
                        rolling["maxUnavailable"] ??= 1;
                        rolling["maxSurge"] ??= 0;
                    }
                    spec["revisionHistoryLimit"] ??= 10;
                    PodSpec(spec.Ensure("template", "spec"));
                    break;
                }
            case "Service":
                {
                    var spec = obj.Ensure("spec");
                    spec["type"] ??= "ClusterIP";
                    spec["sessionAffinity"] ??= "None";
                    if (spec.Str("type") != "ExternalName" && spec["clusterIP"] is null)
                    {
                        var n = Interlocked.Increment(ref _serviceIp);
                        spec["clusterIP"] = $"172.30.{n / 250}.{n % 250 + 1}";
                        spec["clusterIPs"] = new JsonArray(spec.Str("clusterIP"));
                    }
                    foreach (var port in spec.Objects("ports"))
                    {
                        port["protocol"] ??= "TCP";
                        port["targetPort"] ??= port["port"]?.DeepClone();
                    }
                    break;
                }
            case "Secret":
                if (string.IsNullOrEmpty(obj.Str("type"))) obj["type"] = "Opaque";
                if (obj.Obj("stringData") is { } stringData)
                {
                    var data = obj.Ensure("data");
                    foreach (var (k, v) in stringData)
                        data[k] = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(v?.ToString() ?? ""));
                    obj.Remove("stringData");
                }
                break;
            case "Namespace":
                obj.Ensure("spec")["finalizers"] ??= new JsonArray("kubernetes");
                obj.Ensure("status")["phase"] = "Active";
                obj.Ensure("metadata", "labels")["kubernetes.io/metadata.name"] = obj.Name();
                break;
            case "PersistentVolumeClaim":
                obj.Ensure("spec")["volumeMode"] ??= "Filesystem";
                obj.Ensure("status")["phase"] = "Bound";
                break;
            case "Route":
                {
                    var spec = obj.Ensure("spec");
                    spec["host"] ??= $"{obj.Name()}-{obj.Namespace()}.apps.sandbox.local";
                    spec["wildcardPolicy"] ??= "None";
                    spec.Ensure("to")["weight"] ??= 100;
                    obj["status"] = new JsonObject
                    {
                        ["ingress"] = new JsonArray(new JsonObject
                        {
                            ["host"] = spec.Str("host"),
                            ["routerName"] = "default",
                            ["wildcardPolicy"] = "None",
                            ["conditions"] = new JsonArray(new JsonObject
                            {
                                ["type"] = "Admitted",
                                ["status"] = "True",
                                ["lastTransitionTime"] = JsonPath.Timestamp(DateTimeOffset.UtcNow),
                            }),
                        }),
                    };
                    break;
                }
        }
    }

    // apps/v1 SetDefaults_StatefulSet: an unset strategy becomes RollingUpdate with partition 0
    // (an explicit RollingUpdate without rollingUpdate stays without it); claim templates are
    // stored as PersistentVolumeClaims, Pending.
    static void StatefulSet(JsonObject spec)
    {
        spec["podManagementPolicy"] ??= "OrderedReady";
        var strategy = spec.Ensure("updateStrategy");
        if (strategy.Str("type") is null)
        {
            strategy["type"] = "RollingUpdate";
            strategy["rollingUpdate"] ??= new JsonObject();
        }
        if (strategy.Str("type") == "RollingUpdate" && strategy.Obj("rollingUpdate") is { } rolling) rolling["partition"] ??= 0;
        var retention = spec.Ensure("persistentVolumeClaimRetentionPolicy");
        retention["whenDeleted"] ??= "Retain";
        retention["whenScaled"] ??= "Retain";
        spec["replicas"] ??= 1;
        spec["revisionHistoryLimit"] ??= 10;
        foreach (var claim in spec.Objects("volumeClaimTemplates"))
        {
            claim["apiVersion"] ??= "v1";
            claim["kind"] ??= "PersistentVolumeClaim";
            claim.Ensure("spec")["volumeMode"] ??= "Filesystem";
            claim["status"] ??= new JsonObject { ["phase"] = "Pending" };
        }
        PodSpec(spec.Ensure("template", "spec"));
    }

    // The registry keeps a DaemonSet's template generation (apps/v1 shows it as this
    // annotation): 1 at create, one more each time the template changes.
    public const string TemplateGenerationAnnotation = "deprecated.daemonset.template.generation";

    public static void DaemonSetTemplateGeneration(JsonObject ds, JsonObject? current)
    {
        long generation = 1;
        if (current is not null)
        {
            generation = long.TryParse(current.Str("metadata", "annotations", TemplateGenerationAnnotation), out var g) ? g : 1;
            if (!JsonNode.DeepEquals(ds.At("spec", "template"), current.At("spec", "template"))) generation++;
        }
        ds.Ensure("metadata", "annotations")[TemplateGenerationAnnotation] = generation.ToString();
    }

    // BestEffort without any request or limit, Guaranteed when every container's limits equal
    // its requests for cpu and memory, else Burstable (pkg/apis/core/helper/qos).
    static string QosClass(JsonObject spec)
    {
        var containers = spec.Objects("containers").Concat(spec.Objects("initContainers")).ToList();
        var resources = containers.Select(c => (Requests: c.Obj("resources", "requests"), Limits: c.Obj("resources", "limits"))).ToList();
        if (resources.All(r => (r.Requests?.Count ?? 0) == 0 && (r.Limits?.Count ?? 0) == 0)) return "BestEffort";
        var guaranteed = resources.All(r => new[] { "cpu", "memory" }.All(key =>
            r.Limits?[key] is { } limit && (r.Requests?[key] is not { } request || request.ToString() == limit.ToString())));
        return guaranteed ? "Guaranteed" : "Burstable";
    }

    public static void PodSpec(JsonObject spec)
    {
        spec["restartPolicy"] ??= "Always";
        spec["terminationGracePeriodSeconds"] ??= 30;
        spec["dnsPolicy"] ??= "ClusterFirst";
        spec["schedulerName"] ??= "default-scheduler";
        spec["securityContext"] ??= new JsonObject();
        var sa = spec.Str("serviceAccountName") ?? spec.Str("serviceAccount") ?? "default";
        spec["serviceAccountName"] = sa;
        spec["serviceAccount"] = sa;
        foreach (var field in new[] { "initContainers", "containers" })
            foreach (var c in spec.Objects(field))
            {
                var image = c.Str("image") ?? "";
                var lastSegment = image[(image.LastIndexOf('/') + 1)..];
                c["imagePullPolicy"] ??= !lastSegment.Contains(':') || image.EndsWith(":latest", StringComparison.Ordinal) ? "Always" : "IfNotPresent";
                c["terminationMessagePath"] ??= "/dev/termination-log";
                c["terminationMessagePolicy"] ??= "File";
                c["resources"] ??= new JsonObject();
                foreach (var port in c.Objects("ports")) port["protocol"] ??= "TCP";
            }
        foreach (var v in spec.Objects("volumes"))
            if (v.Obj("secret") is { } secret) secret["defaultMode"] ??= 420;
            else if (v.Obj("configMap") is { } cm) cm["defaultMode"] ??= 420;
            else if (v.Obj("hostPath") is { } hostPath) hostPath["type"] ??= "";
    }
}
