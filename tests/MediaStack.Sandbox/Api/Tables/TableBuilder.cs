using System.Text.Json.Nodes;
using MediaStack.Sandbox.Json;
using MediaStack.Sandbox.Store;

namespace MediaStack.Sandbox.Api.Tables;

// meta.k8s.io/v1 Table output with the columns the real server prints per kind (NAME/AGE
// for kinds without a printer). Rows carry the object as PartialObjectMetadata unless
// asked otherwise.
public static class TableBuilder
{
    static readonly Dictionary<string, TablePrinter> Printers = KindPrinters.All();

    static TablePrinter PrinterFor(ResourceType rt) =>
        Printers.TryGetValue(rt.Kind, out var p) ? p : KindPrinters.Generic;

    public static JsonObject Build(ResourceType rt, IEnumerable<JsonObject> items, string resourceVersion, string? continueToken, string includeObject, bool withColumns = true)
    {
        var now = DateTimeOffset.UtcNow;
        var rows = new JsonArray();
        foreach (var item in items)
        {
            var row = new JsonObject { ["cells"] = PrinterFor(rt).Cells(item, now) };
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
            table["columnDefinitions"] = new JsonArray(PrinterFor(rt).Columns.Select(c => (JsonNode)new JsonObject
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
