using System.Text.Json.Nodes;
using MediaStack.Sandbox.Json;

namespace MediaStack.Sandbox.Api.Tables;

public sealed record Column(string Name, string Type, string Format, string Description, int Priority);

public sealed record TablePrinter(Column[] Columns, Func<JsonObject, DateTimeOffset, JsonArray> Cells);

// The server-side printers' columns and cells for the kinds admins list most.
public static class KindPrinters
{
    static Column C(string name, int priority = 0, string format = "", string type = "string") => new(name, type, format, "", priority);

    static readonly Column NameColumn = new("Name", "string", "name", "Name must be unique within a namespace.", 0);
    static readonly Column AgeColumn = new("Age", "string", "", "CreationTimestamp is a timestamp representing the server time when this object was created.", 0);

    static string Age(JsonObject o, DateTimeOffset now) =>
        o.Time("metadata", "creationTimestamp") is { } created ? HumanDuration.Format(now - created) : "<unknown>";

    static string Since(DateTimeOffset? t, DateTimeOffset now) => t is { } v ? HumanDuration.Format(now - v) : "<unknown>";

    static string Labels(JsonObject o, params string[] path) =>
        o.StringMap(path) is { Count: > 0 } m ? string.Join(",", m.Select(p => $"{p.Key}={p.Value}")) : "<none>";

    // labels.FormatLabels: key=value pairs sorted by key.
    static string SortedLabels(JsonObject o, params string[] path) =>
        o.StringMap(path) is { Count: > 0 } m ? string.Join(",", m.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}")) : "<none>";

    // The wide CONTAINERS and IMAGES cells of a workload's pod template.
    static string ContainerNames(JsonObject o) => string.Join(",", o.Objects("spec", "template", "spec", "containers").Select(c => c.Str("name")));

    static string ContainerImages(JsonObject o) => string.Join(",", o.Objects("spec", "template", "spec", "containers").Select(c => c.Str("image")));

    static readonly TablePrinter CreatedAt = new([NameColumn, C("Created At", format: "date")],
        (o, _) => new JsonArray(o.Name(), o.Str("metadata", "creationTimestamp") ?? ""));

    static readonly TablePrinter Binding = new([NameColumn, C("Role"), AgeColumn, C("Users", 1), C("Groups", 1), C("ServiceAccounts", 1)],
        (o, now) =>
        {
            string Subjects(string kind, Func<JsonObject, string> show) =>
                string.Join(", ", o.Objects("subjects").Where(s => s.Str("kind") == kind).Select(show));
            return new JsonArray(o.Name(), $"{o.Str("roleRef", "kind")}/{o.Str("roleRef", "name")}", Age(o, now),
                Subjects("User", s => s.Str("name") ?? ""), Subjects("Group", s => s.Str("name") ?? ""),
                Subjects("ServiceAccount", s => $"{s.Str("namespace") ?? o.Namespace()}/{s.Str("name")}"));
        });

    public static readonly TablePrinter Generic = new([NameColumn, AgeColumn], (o, now) => new JsonArray(o.Name(), Age(o, now)));

    public static Dictionary<string, TablePrinter> All() => new()
    {
        ["Pod"] = new(
            [NameColumn, C("Ready"), C("Status"), C("Restarts"), AgeColumn, C("IP", 1), C("Node", 1), C("Nominated Node", 1), C("Readiness Gates", 1)],
            (o, now) =>
            {
                var row = PodStatusText.Compute(o, now);
                return new JsonArray(o.Name(), row.Ready, row.Status, row.Restarts, Age(o, now),
                    o.Str("status", "podIP") ?? "<none>", o.Str("spec", "nodeName") ?? "<none>", o.Str("status", "nominatedNodeName") ?? "<none>", "<none>");
            }),
        ["Deployment"] = new(
            [NameColumn, C("Ready"), C("Up-to-date", type: "integer"), C("Available", type: "integer"), AgeColumn, C("Containers", 1), C("Images", 1), C("Selector", 1)],
            (o, now) => new JsonArray(o.Name(), $"{o.Long("status", "readyReplicas") ?? 0}/{o.Long("spec", "replicas") ?? 0}",
                o.Long("status", "updatedReplicas") ?? 0, o.Long("status", "availableReplicas") ?? 0, Age(o, now),
                ContainerNames(o), ContainerImages(o), Labels(o, "spec", "selector", "matchLabels"))),
        ["ReplicaSet"] = new(
            [NameColumn, C("Desired", type: "integer"), C("Current", type: "integer"), C("Ready", type: "integer"), AgeColumn, C("Containers", 1), C("Images", 1), C("Selector", 1)],
            (o, now) => new JsonArray(o.Name(), o.Long("spec", "replicas") ?? 0, o.Long("status", "replicas") ?? 0, o.Long("status", "readyReplicas") ?? 0, Age(o, now),
                ContainerNames(o), ContainerImages(o), Labels(o, "spec", "selector", "matchLabels"))),
        ["StatefulSet"] = new(
            [NameColumn, C("Ready"), AgeColumn, C("Containers", 1), C("Images", 1)],
            (o, now) => new JsonArray(o.Name(), $"{o.Long("status", "readyReplicas") ?? 0}/{o.Long("spec", "replicas") ?? 0}", Age(o, now),
                ContainerNames(o), ContainerImages(o))),
        ["DaemonSet"] = new(
            [NameColumn, C("Desired", type: "integer"), C("Current", type: "integer"), C("Ready", type: "integer"), C("Up-to-date", type: "integer"),
             C("Available", type: "integer"), C("Node Selector"), AgeColumn, C("Containers", 1), C("Images", 1), C("Selector", 1)],
            (o, now) => new JsonArray(o.Name(), o.Long("status", "desiredNumberScheduled") ?? 0, o.Long("status", "currentNumberScheduled") ?? 0,
                o.Long("status", "numberReady") ?? 0, o.Long("status", "updatedNumberScheduled") ?? 0, o.Long("status", "numberAvailable") ?? 0,
                SortedLabels(o, "spec", "template", "spec", "nodeSelector"), Age(o, now),
                ContainerNames(o), ContainerImages(o), Labels(o, "spec", "selector", "matchLabels"))),
        ["Event"] = new(
            [C("Last Seen"), C("Type"), C("Reason"), C("Object"), C("Subobject", 1), C("Source", 1), C("Message"), C("First Seen", 1), C("Count", 1, type: "integer"), C("Name", 1)],
            (o, now) =>
            {
                var source = string.Join(", ", new[] { o.Str("source", "component"), o.Str("source", "host") }.Where(s => !string.IsNullOrEmpty(s)));
                return new JsonArray(Since(o.Time("lastTimestamp") ?? o.Time("eventTime"), now), o.Str("type") ?? "", o.Str("reason") ?? "",
                    $"{(o.Str("involvedObject", "kind") ?? "").ToLowerInvariant()}/{o.Str("involvedObject", "name")}",
                    o.Str("involvedObject", "fieldPath") ?? "", source, o.Str("message") ?? "",
                    Since(o.Time("firstTimestamp") ?? o.Time("eventTime"), now), o.Long("count") ?? 1, o.Name());
            }),
        ["Service"] = new(
            [NameColumn, C("Type"), C("Cluster-IP"), C("External-IP"), C("Port(s)"), AgeColumn, C("Selector", 1)],
            (o, now) => new JsonArray(o.Name(), o.Str("spec", "type") ?? "ClusterIP", o.Str("spec", "clusterIP") ?? "<none>", "<none>",
                o.Objects("spec", "ports").Select(p => $"{p.Long("port")}/{p.Str("protocol") ?? "TCP"}").DefaultIfEmpty("<none>").Aggregate((a, b) => $"{a},{b}"),
                Age(o, now), Labels(o, "spec", "selector"))),
        ["Node"] = new(
            [NameColumn, C("Status"), C("Roles"), AgeColumn, C("Version")],
            (o, now) => new JsonArray(o.Name(),
                o.Objects("status", "conditions").Any(c => c.Str("type") == "Ready" && c.Str("status") == "True") ? "Ready" : "NotReady",
                string.Join(",", o.StringMap("metadata", "labels").Keys.Where(k => k.StartsWith("node-role.kubernetes.io/")).Select(k => k["node-role.kubernetes.io/".Length..]).DefaultIfEmpty("<none>")),
                Age(o, now), o.Str("status", "nodeInfo", "kubeletVersion") ?? "")),
        ["Namespace"] = new([NameColumn, C("Status"), AgeColumn], (o, now) => new JsonArray(o.Name(), o.Str("status", "phase") ?? "Active", Age(o, now))),
        ["Secret"] = new([NameColumn, C("Type"), C("Data", type: "integer"), AgeColumn],
            (o, now) => new JsonArray(o.Name(), o.Str("type") ?? "Opaque", o.Obj("data")?.Count ?? 0, Age(o, now))),
        ["ConfigMap"] = new([NameColumn, C("Data", type: "integer"), AgeColumn],
            (o, now) => new JsonArray(o.Name(), (o.Obj("data")?.Count ?? 0) + (o.Obj("binaryData")?.Count ?? 0), Age(o, now))),
        ["ServiceAccount"] = new([NameColumn, C("Secrets", type: "integer"), AgeColumn],
            (o, now) => new JsonArray(o.Name(), o.Arr("secrets")?.Count ?? 0, Age(o, now))),
        ["PersistentVolumeClaim"] = new(
            [NameColumn, C("Status"), C("Volume"), C("Capacity"), C("Access Modes"), C("StorageClass"), C("VolumeAttributesClass"), AgeColumn],
            (o, now) => new JsonArray(o.Name(), o.Str("status", "phase") ?? "Pending", o.Str("spec", "volumeName") ?? "",
                o.Str("status", "capacity", "storage") ?? o.Str("spec", "resources", "requests", "storage") ?? "",
                string.Join(",", (o.Arr("spec", "accessModes") ?? []).Select(m => m?.ToString() switch
                {
                    "ReadWriteOnce" => "RWO", "ReadOnlyMany" => "ROX", "ReadWriteMany" => "RWX", "ReadWriteOncePod" => "RWOP", var x => x,
                })),
                o.Str("spec", "storageClassName") ?? "<unset>", "<unset>", Age(o, now))),
        ["Role"] = CreatedAt,
        ["ClusterRole"] = CreatedAt,
        ["RoleBinding"] = Binding,
        ["ClusterRoleBinding"] = Binding,
        ["Route"] = new(
            [NameColumn, C("Host/Port"), C("Path"), C("Services"), C("Port"), C("Termination"), C("Wildcard")],
            (o, _) => new JsonArray(o.Name(), o.Str("spec", "host") ?? "", o.Str("spec", "path") ?? "", o.Str("spec", "to", "name") ?? "",
                o.At("spec", "port", "targetPort")?.ToString() ?? "<all>",
                o.Str("spec", "tls", "termination") is { } t ? (o.Str("spec", "tls", "insecureEdgeTerminationPolicy") is { Length: > 0 } i ? $"{t}/{i}" : t) : "",
                o.Str("spec", "wildcardPolicy") ?? "None")),
    };
}
