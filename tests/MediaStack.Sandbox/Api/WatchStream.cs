using System.Text;
using System.Text.Json.Nodes;
using MediaStack.Sandbox.Api.Tables;
using MediaStack.Sandbox.Hosting;
using MediaStack.Sandbox.Json;
using MediaStack.Sandbox.Store;

namespace MediaStack.Sandbox.Api;

// A watch: chunked newline-delimited {"type","object"} events, initial ADDED events when
// no resourceVersion is given, resumption from a resourceVersion, timeoutSeconds honoured,
// one flush per event. An object that starts or stops matching the selectors is ADDED or
// DELETED from the watcher's point of view, as with the real watch cache.
public sealed class WatchStream(SandboxCluster cluster)
{
    public async Task Serve(HttpContext ctx, ResourceType rt, string? ns, string singleName)
    {
        var query = ctx.Request.Query;
        var labels = LabelSelector.Parse(query["labelSelector"]);
        var fields = FieldSelector.Parse(query["fieldSelector"]);
        bool Match(JsonObject? o) => o is not null
            && (ns is null || o.Namespace() == ns)
            && (singleName.Length == 0 || o.Name() == singleName)
            && labels.Matches(o) && fields.Matches(o);

        var table = TableBuilder.Wanted(ctx);
        var rvText = query["resourceVersion"].ToString();
        var timeout = long.TryParse(query["timeoutSeconds"], out var t) && t > 0 ? TimeSpan.FromSeconds(t) : TimeSpan.FromHours(1);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ctx.RequestAborted, cluster.Stopping);
        cts.CancelAfter(timeout);

        List<JsonObject> initial = [];
        WatchFeed? feed;
        if (string.IsNullOrEmpty(rvText) || rvText == "0")
        {
            lock (cluster.Store.Gate)
            {
                initial = cluster.Store.List(rt, ns, Match).Items;
                feed = cluster.Store.Watch(0);
            }
        }
        else if (long.TryParse(rvText, out var from))
        {
            feed = cluster.Store.Watch(from);
        }
        else throw ApiException.BadRequest($"invalid resource version: {rvText}");

        ctx.Response.StatusCode = 200;
        ctx.Response.ContentType = "application/json";
        ctx.Response.Headers.CacheControl = "no-cache, private";
        var firstTable = true;

        async Task Send(string type, JsonObject obj)
        {
            JsonNode payload = obj;
            if (table && type != "ERROR")
            {
                payload = TableBuilder.Build(rt, [obj], obj.Str("metadata", "resourceVersion") ?? "", null, "Metadata", firstTable);
                firstTable = false;
            }
            var line = new JsonObject { ["type"] = type, ["object"] = payload.DeepClone() }.Compact() + "\n";
            await ctx.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(line), cts.Token);
            await ctx.Response.Body.FlushAsync(cts.Token);
        }

        if (feed is null)
        {
            await Send("ERROR", Status.Failure(410, "Expired", $"too old resource version: {rvText} ({cluster.Store.Revision})", null));
            return;
        }
        using (feed)
        {
            try
            {
                await ctx.Response.StartAsync(cts.Token);
                await ctx.Response.Body.FlushAsync(cts.Token);
                foreach (var o in initial) await Send("ADDED", o);
                await foreach (var e in feed.Reader.ReadAllAsync(cts.Token))
                {
                    if (e.Resource != rt) continue;
                    var now = Match(e.Object);
                    var before = e.Old is not null && Match(e.Old);
                    var type = e.Type switch
                    {
                        "ADDED" when now => "ADDED",
                        "MODIFIED" when now && before => "MODIFIED",
                        "MODIFIED" when now => "ADDED",
                        "MODIFIED" when before => "DELETED",
                        "DELETED" when before => "DELETED",
                        _ => null,
                    };
                    if (type is not null) await Send(type, e.Object);
                }
            }
            catch (OperationCanceledException) { }
        }
    }
}
