using System.Text.Json.Nodes;
using MediaStack.Sandbox.Json;
using MediaStack.Sandbox.Store;

namespace MediaStack.Sandbox.Api.Tables;

// meta.k8s.io/v1 Table output: pods and deployments with kubectl's columns, NAME/AGE for
// the rest. Rows carry the object as PartialObjectMetadata unless asked otherwise.
public static class TableBuilder
{
    sealed record Column(string Name, string Type, string Format, string Description, int Priority);

    static readonly Column NameColumn = new("Name", "string", "name", "Name must be unique within a namespace.", 0);
    static readonly Column AgeColumn = new("Age", "string", "", "CreationTimestamp is a timestamp representing the server time when this object was created.", 0);

    static Column[] ColumnsFor(ResourceType rt) => rt.Kind switch
    {
        "Pod" =>
        [
            NameColumn,
            new("Ready", "string", "", "The aggregate readiness state of this pod for accepting traffic.", 0),
            new("Status", "string", "", "The aggregate status of the containers in this pod.", 0),
            new("Restarts", "string", "", "The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.", 0),
            AgeColumn,
            new("IP", "string", "", "IP address allocated to the pod. Routable at least within the cluster. Empty if not yet allocated.", 1),
            new("Node", "string", "", "NodeName is a request to schedule this pod onto a specific node.", 1),
            new("Nominated Node", "string", "", "nominatedNodeName is set only when this pod preempts other pods on the node.", 1),
            new("Readiness Gates", "string", "", "If specified, all readiness gates will be evaluated for pod readiness.", 1),
        ],
        "Deployment" =>
        [
            NameColumn,
            new("Ready", "string", "", "Number of the pod with ready state", 0),
            new("Up-to-date", "string", "", "Total number of non-terminated pods targeted by this deployment that have the desired template spec.", 0),
            new("Available", "string", "", "Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.", 0),
            AgeColumn,
            new("Containers", "string", "", "Names of each container in the template.", 1),
            new("Images", "string", "", "Images referenced by each container in the template.", 1),
            new("Selector", "string", "", "Label selector for pods. Existing ReplicaSets whose pods are selected by this will be the ones affected by this deployment.", 1),
        ],
        _ => [NameColumn, AgeColumn],
    };

    static JsonArray Cells(ResourceType rt, JsonObject obj, DateTimeOffset now)
    {
        var age = obj.Time("metadata", "creationTimestamp") is { } created ? HumanDuration.Format(now - created) : "<unknown>";
        switch (rt.Kind)
        {
            case "Pod":
                {
                    var row = PodStatusText.Compute(obj, now);
                    return new JsonArray(obj.Name(), row.Ready, row.Status, row.Restarts, age,
                        obj.Str("status", "podIP") ?? "<none>", obj.Str("spec", "nodeName") ?? "<none>",
                        obj.Str("status", "nominatedNodeName") ?? "<none>", "<none>");
                }
            case "Deployment":
                {
                    var desired = obj.Long("spec", "replicas") ?? 0;
                    var containers = obj.Objects("spec", "template", "spec", "containers").ToList();
                    var selector = string.Join(",", obj.StringMap("spec", "selector", "matchLabels").Select(p => $"{p.Key}={p.Value}"));
                    return new JsonArray(obj.Name(), $"{obj.Long("status", "readyReplicas") ?? 0}/{desired}",
                        obj.Long("status", "updatedReplicas") ?? 0, obj.Long("status", "availableReplicas") ?? 0, age,
                        string.Join(",", containers.Select(c => c.Str("name"))), string.Join(",", containers.Select(c => c.Str("image"))),
                        selector);
                }
            default:
                return new JsonArray(obj.Name(), age);
        }
    }

    public static JsonObject Build(ResourceType rt, IEnumerable<JsonObject> items, string resourceVersion, string? continueToken, string includeObject, bool withColumns = true)
    {
        var now = DateTimeOffset.UtcNow;
        var rows = new JsonArray();
        foreach (var item in items)
        {
            var row = new JsonObject { ["cells"] = Cells(rt, item, now) };
            if (includeObject == "Object") row["object"] = item.DeepClone();
            else if (includeObject != "None")
                row["object"] = new JsonObject
                {
                    ["kind"] = "PartialObjectMetadata",
                    ["apiVersion"] = "meta.k8s.io/v1",
                    ["metadata"] = item["metadata"]?.DeepClone(),
                };
            rows.Add(row);
        }
        var meta = new JsonObject { ["resourceVersion"] = resourceVersion };
        if (continueToken is not null) meta["continue"] = continueToken;
        var table = new JsonObject
        {
            ["kind"] = "Table",
            ["apiVersion"] = "meta.k8s.io/v1",
            ["metadata"] = meta,
        };
        if (withColumns)
            table["columnDefinitions"] = new JsonArray(ColumnsFor(rt).Select(c => (JsonNode)new JsonObject
            {
                ["name"] = c.Name,
                ["type"] = c.Type,
                ["format"] = c.Format,
                ["description"] = c.Description,
                ["priority"] = c.Priority,
            }).ToArray());
        table["rows"] = rows;
        return table;
    }

    public static bool Wanted(HttpContext ctx) =>
        ctx.Request.Headers.Accept.ToString().Contains("as=Table", StringComparison.Ordinal);
}
