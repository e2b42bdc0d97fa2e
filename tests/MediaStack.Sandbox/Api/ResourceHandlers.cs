using System.Text.Json.Nodes;
using MediaStack.Sandbox.Api.Tables;
using MediaStack.Sandbox.Hosting;
using MediaStack.Sandbox.Json;
using MediaStack.Sandbox.Rbac;
using MediaStack.Sandbox.Resources;
using MediaStack.Sandbox.Store;

namespace MediaStack.Sandbox.Api;

// The REST verbs on stored resources: get, list, watch, create, update, patch, delete,
// deletecollection, and the status and scale subresources.
public sealed class ResourceHandlers(SandboxCluster cluster)
{
    static readonly string[] PatchTypes =
        ["application/json-patch+json", "application/merge-patch+json", "application/strategic-merge-patch+json"];

    public async Task Handle(HttpContext ctx, Identity who, ResourceType rt, RequestInfo info, string verb)
    {
        string? ns = rt.Namespaced ? (info.Namespace.Length > 0 ? info.Namespace : null) : null;
        switch (verb)
        {
            case "get":
                await Get(ctx, rt, ns, info);
                return;
            case "list":
                await List(ctx, rt, ns);
                return;
            case "watch":
                await new WatchStream(cluster).Serve(ctx, rt, ns, info.Name);
                return;
            case "create":
                {
                    if (info.Subresource.Length > 0 || info.Name.Length > 0) throw ApiException.MethodNotAllowed();
                    if (rt.Namespaced && ns is null) throw ApiException.NotFoundPath();
                    var body = await ReadObject(ctx);
                    var created = cluster.Objects.Create(who, rt, ns, body, DryRun(ctx), Warn(ctx));
                    await HttpJson.Write(ctx, 201, created);
                    return;
                }
            case "update":
                {
                    var body = await ReadObject(ctx);
                    if (info.Subresource == "scale")
                    {
                        await Scale(ctx, rt, ns, info.Name, current => ApplyScaleBody(rt, current, body));
                        return;
                    }
                    var updated = cluster.Objects.Replace(who, rt, ns, info.Name, body, info.Subresource, DryRun(ctx), Warn(ctx));
                    await HttpJson.Write(ctx, 200, updated);
                    return;
                }
            case "patch":
                {
                    var contentType = (ctx.Request.ContentType ?? "").Split(';')[0].Trim();
                    var kind = contentType switch
                    {
                        "application/json-patch+json" => PatchKind.Json,
                        "application/merge-patch+json" => PatchKind.Merge,
                        "application/strategic-merge-patch+json" when rt.Group is "" or "apps" or "rbac.authorization.k8s.io" => PatchKind.Strategic,
                        _ => throw ApiException.UnsupportedMediaType(contentType,
                            rt.Group is "" or "apps" or "rbac.authorization.k8s.io" ? PatchTypes : PatchTypes[..2]),
                    };
                    var patch = await HttpJson.ReadBody(ctx);
                    if (info.Subresource == "scale")
                    {
                        await Scale(ctx, rt, ns, info.Name, current =>
                        {
                            var scale = ScaleOf(rt, current);
                            var patched = kind switch
                            {
                                PatchKind.Json => Patch.JsonPatch.Apply(scale, patch),
                                _ => Patch.MergePatch.Apply(scale, patch),
                            };
                            return ApplyScaleBody(rt, current, patched);
                        });
                        return;
                    }
                    var result = cluster.Objects.Patch(who, rt, ns, info.Name, kind, patch, info.Subresource, DryRun(ctx), Warn(ctx));
                    await HttpJson.Write(ctx, 200, result);
                    return;
                }
            case "delete":
                {
                    var options = await ReadDeleteOptions(ctx);
                    var deleted = cluster.Objects.Delete(who, rt, ns, info.Name, options);
                    await HttpJson.Write(ctx, 200, deleted);
                    return;
                }
            case "deletecollection":
                {
                    var options = await ReadDeleteOptions(ctx);
                    foreach (var item in Select(ctx, rt, ns))
                    {
                        try { cluster.Objects.Delete(who, rt, item.Namespace() is { Length: > 0 } ins ? ins : null, item.Name(), options); }
                        catch (ApiException e) when (e.Code == 404) { }
                    }
                    await HttpJson.Write(ctx, 200, Status.Success());
                    return;
                }
            default:
                throw ApiException.MethodNotAllowed();
        }
    }

    async Task Get(HttpContext ctx, ResourceType rt, string? ns, RequestInfo info)
    {
        var obj = cluster.Store.Get(rt, ns, info.Name) ?? throw ApiException.NotFound(rt.Group, rt.Plural, info.Name);
        if (info.Subresource == "scale")
        {
            await HttpJson.Write(ctx, 200, ScaleOf(rt, obj));
            return;
        }
        if (TableBuilder.Wanted(ctx) && info.Subresource.Length == 0)
        {
            await HttpJson.Write(ctx, 200, TableBuilder.Build(rt, [obj], obj.Str("metadata", "resourceVersion") ?? "", null, IncludeObject(ctx)));
            return;
        }
        await HttpJson.Write(ctx, 200, obj);
    }

    static async Task<JsonObject> ReadObject(HttpContext ctx)
    {
        var raw = await HttpJson.ReadBody(ctx);
        return ProtobufBodies.IsProtobuf(ctx) ? ProtobufBodies.Decode(raw) : HttpJson.ParseBody(raw);
    }

    // RFC 7234 warning headers, which kubectl prints as "Warning: ...".
    static Action<string> Warn(HttpContext ctx) => text =>
        ctx.Response.Headers.Append("Warning", $"299 - \"{text.Replace("\\", "\\\\").Replace("\"", "\\\"")}\"");

    // ?dryRun=All: everything up to storing, nothing stored (kubectl --dry-run=server).
    static bool DryRun(HttpContext ctx) => ctx.Request.Query["dryRun"].ToString() switch
    {
        "" => false,
        "All" => true,
        var other => throw ApiException.BadRequest($"Invalid dry run value: {other}; valid values are: All"),
    };

    static string IncludeObject(HttpContext ctx) => ctx.Request.Query["includeObject"].ToString() is { Length: > 0 } v ? v : "Metadata";

    List<JsonObject> Select(HttpContext ctx, ResourceType rt, string? ns) => Select(ctx, rt, ns, out _);

    List<JsonObject> Select(HttpContext ctx, ResourceType rt, string? ns, out long revision)
    {
        var labels = LabelSelector.Parse(ctx.Request.Query["labelSelector"]);
        var fields = FieldSelector.Parse(ctx.Request.Query["fieldSelector"]);
        var (items, rv) = cluster.Store.List(rt, ns, o => labels.Matches(o) && fields.Matches(o));
        revision = rv;
        return items;
    }

    async Task List(HttpContext ctx, ResourceType rt, string? ns)
    {
        var items = Select(ctx, rt, ns, out var revision);
        var page = ListPaging.Apply(items, ctx.Request.Query["limit"], ctx.Request.Query["continue"], revision);
        var rv = revision.ToString();
        if (TableBuilder.Wanted(ctx))
        {
            await HttpJson.Write(ctx, 200, TableBuilder.Build(rt, page.Items, rv, page.Continue, IncludeObject(ctx)));
            return;
        }
        var meta = new JsonObject { ["resourceVersion"] = rv };
        if (page.Continue is not null)
        {
            meta["continue"] = page.Continue;
            meta["remainingItemCount"] = page.Remaining;
        }
        await HttpJson.Write(ctx, 200, new JsonObject
        {
            ["kind"] = rt.ListKind,
            ["apiVersion"] = rt.ApiVersion,
            ["metadata"] = meta,
            ["items"] = new JsonArray(page.Items.Select(i => (JsonNode)i).ToArray()),
        });
    }

    static async Task<DeleteOptions> ReadDeleteOptions(HttpContext ctx)
    {
        var body = await HttpJson.ReadBody(ctx);
        JsonObject? options = null;
        if (body.Length > 0)
        {
            try { options = JsonPath.ParseObject(body); }
            catch (FormatException e) { throw ApiException.BadRequest(e.Message); }
        }
        var query = ctx.Request.Query;
        var policy = options.Str("propagationPolicy") ?? (query["propagationPolicy"].ToString() is { Length: > 0 } p ? p : null);
        if (policy is null && options.Bool("orphanDependents") == true) policy = "Orphan";
        var grace = options.Long("gracePeriodSeconds") ?? (long.TryParse(query["gracePeriodSeconds"], out var g) ? g : null);
        return new DeleteOptions(policy, grace, options.Str("preconditions", "uid"), options.Str("preconditions", "resourceVersion"));
    }

    static JsonObject ScaleOf(ResourceType rt, JsonObject obj) => new()
    {
        ["kind"] = "Scale",
        ["apiVersion"] = "autoscaling/v1",
        ["metadata"] = new JsonObject
        {
            ["name"] = obj.Name(),
            ["namespace"] = obj.Namespace(),
            ["uid"] = obj.Uid(),
            ["resourceVersion"] = obj.Str("metadata", "resourceVersion"),
            ["creationTimestamp"] = obj.Str("metadata", "creationTimestamp"),
        },
        ["spec"] = new JsonObject { ["replicas"] = obj.Long("spec", "replicas") ?? 0 },
        ["status"] = new JsonObject
        {
            ["replicas"] = obj.Long("status", "replicas") ?? 0,
            ["selector"] = string.Join(",", obj.StringMap("spec", "selector", "matchLabels").Select(p => $"{p.Key}={p.Value}")),
        },
    };

    static JsonObject ApplyScaleBody(ResourceType rt, JsonObject current, JsonObject scale)
    {
        if (scale.Str("metadata", "resourceVersion") is { Length: > 0 } rv && rv != current.Str("metadata", "resourceVersion"))
            throw ApiException.Conflict(rt.Group, rt.Plural, current.Name(), ApiException.StaleObjectMessage);
        var replicas = scale.Long("spec", "replicas") ?? 0;
        if (replicas < 0)
            throw ApiException.Invalid("autoscaling", "Scale", current.Name(), [FieldError.Invalid("spec.replicas", replicas.ToString(), "must be greater than or equal to 0")]);
        current.Ensure("spec")["replicas"] = replicas;
        return current;
    }

    async Task Scale(HttpContext ctx, ResourceType rt, string? ns, string name, Func<JsonObject, JsonObject> change)
    {
        JsonObject updated;
        try { updated = cluster.Store.Update(rt, ns, name, change); }
        catch (Patch.PatchFormatException e) { throw ApiException.BadRequest(e.Message); }
        catch (Patch.PatchApplyException) { throw new ApiException(422, "Invalid", "the server rejected our request due to an error in our request", new JsonObject()); }
        await HttpJson.Write(ctx, 200, ScaleOf(rt, updated));
    }
}
