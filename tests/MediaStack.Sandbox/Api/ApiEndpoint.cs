using MediaStack.Sandbox.Json;
using MediaStack.Sandbox.Exec;
using MediaStack.Sandbox.Faults;
using MediaStack.Sandbox.Hosting;
using MediaStack.Sandbox.Rbac;
using MediaStack.Sandbox.Store;

namespace MediaStack.Sandbox.Api;

// The one request handler: authenticates, applies injected faults, serves discovery and
// OpenAPI, authorizes resource requests against RBAC and dispatches them. Every failure
// becomes a Status answer; nothing a client sends can take the server down.
public sealed class ApiEndpoint(SandboxCluster cluster, ControlEndpoint control, Func<string> serverAddress)
{
    readonly Discovery _discovery = new(cluster.Catalog);
    readonly OpenApiDocuments _openApi = new(cluster.Catalog);
    readonly ResourceHandlers _resources = new(cluster);
    readonly ExecHandler _exec = new(cluster);
    readonly LogHandler _logs = new(cluster);
    readonly TokenRequests _tokens = new(cluster);

    public async Task Handle(HttpContext ctx)
    {
        try
        {
            var path = ctx.Request.Path.Value ?? "/";
            if (path is "/healthz" or "/livez" or "/readyz")
            {
                ctx.Response.ContentType = "text/plain";
                await ctx.Response.WriteAsync("ok", ctx.RequestAborted);
                return;
            }
            if (path.StartsWith("/sandbox/", StringComparison.Ordinal))
            {
                await control.Handle(ctx);
                return;
            }
            var who = cluster.Auth.Authenticate(ctx, (ns, name) => cluster.Store.Get(ResourceCatalog.ServiceAccounts, ns, name)?.Uid()) ?? throw ApiException.Unauthorized();
            who = Impersonate(ctx, who);
            if (await cluster.Faults.BeforeRequest(path, ctx.Request.Method, ctx.RequestAborted) is { } injected) throw injected;
            if (await NonResource(ctx, who, path)) return;
            await Resource(ctx, who, path);
        }
        catch (ApiException e)
        {
            if (!ctx.Response.HasStarted) await HttpJson.WriteError(ctx, e);
        }
        catch (OperationCanceledException) when (ctx.RequestAborted.IsCancellationRequested || cluster.Stopping.IsCancellationRequested)
        {
        }
        catch (Exception e) when (e is IOException or Microsoft.AspNetCore.Connections.ConnectionResetException && ctx.RequestAborted.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            Console.Error.WriteLine($"sandbox: {ctx.Request.Method} {ctx.Request.Path}: {e}");
            if (!ctx.Response.HasStarted)
                await HttpJson.WriteError(ctx, new ApiException(500, "InternalError", $"Internal error occurred: {e.Message}"));
        }
    }

    Identity Impersonate(HttpContext ctx, Identity who)
    {
        var user = ctx.Request.Headers["Impersonate-User"].ToString();
        var groups = ctx.Request.Headers["Impersonate-Group"].Where(g => !string.IsNullOrEmpty(g)).Select(g => g!).ToList();
        if (user.Length == 0 && groups.Count == 0) return who;
        var sa = user.StartsWith("system:serviceaccount:", StringComparison.Ordinal) ? user.Split(':') : null;
        var request = sa is { Length: 4 }
            ? new AccessRequest("impersonate", "", "serviceaccounts", "", sa[2], sa[3])
            : new AccessRequest("impersonate", "", "users", "", "", user);
        if (!cluster.Rbac.Authorize(who, request).Allowed)
            throw ApiException.Forbidden("", request.Resource, request.Name,
                $"{request.Resource} \"{request.Name}\" is forbidden: User \"{who.User}\" cannot impersonate resource \"{request.Resource}\" in API group \"\"{(request.Namespace.Length > 0 ? $" in the namespace \"{request.Namespace}\"" : " at the cluster scope")}");
        foreach (var group in groups)
            if (!cluster.Rbac.Authorize(who, new AccessRequest("impersonate", "", "groups", "", "", group)).Allowed)
                throw ApiException.Forbidden("", "groups", group,
                    $"groups \"{group}\" is forbidden: User \"{who.User}\" cannot impersonate resource \"groups\" in API group \"\" at the cluster scope");
        if (sa is { Length: 4 } && groups.Count == 0) return Identity.ServiceAccount(sa[2], sa[3]);
        if (!groups.Contains("system:authenticated")) groups.Add("system:authenticated");
        return new Identity(user.Length > 0 ? user : who.User, groups);
    }

    async Task<bool> NonResource(HttpContext ctx, Identity who, string path)
    {
        var trimmed = path.TrimEnd('/');
        System.Text.Json.Nodes.JsonObject? doc = null;
        var known = true;
        var parts = trimmed.Split('/', StringSplitOptions.RemoveEmptyEntries);
        switch (parts)
        {
            case ["version"]: doc = Discovery.Version(); break;
            case ["api"]: doc = _discovery.ApiVersions(serverAddress()); break;
            case ["api", var v]: doc = _discovery.ResourceList("", v); break;
            case ["apis"]: doc = _discovery.GroupList(); break;
            case ["apis", var g]: doc = _discovery.ApiGroup(g); break;
            case ["apis", var g, var v]: doc = _discovery.ResourceList(g, v); break;
            case ["openapi", "v2"]: break;
            case ["openapi", "v3"]: doc = _openApi.Root(); break;
            case ["openapi", "v3", .. var rest]: doc = _openApi.GroupVersion(string.Join('/', rest)); break;
            default: known = false; break;
        }
        if (!known) return false;
        if (ctx.Request.Method != "GET") throw ApiException.MethodNotAllowed();
        var access = new AccessRequest("get", "", "", "", "", "", trimmed.Length == 0 ? "/" : trimmed);
        if (!cluster.Rbac.Authorize(who, access).Allowed)
            throw new ApiException(403, "Forbidden", RbacAuthorizer.ForbiddenMessage(who, access), new System.Text.Json.Nodes.JsonObject());
        if (doc is null) throw ApiException.NotFoundPath();
        await HttpJson.Write(ctx, 200, doc);
        return true;
    }

    async Task Resource(HttpContext ctx, Identity who, string path)
    {
        var info = RequestInfo.Parse(path) ?? throw ApiException.NotFoundPath();
        var rt = cluster.Catalog.Find(info.Group, info.Version, info.Resource) ?? throw ApiException.NotFoundPath();
        if (!rt.Namespaced && info.Namespace.Length > 0) throw ApiException.NotFoundPath();
        if (rt.Namespaced && info.Namespace.Length == 0 && info.Name.Length > 0) throw ApiException.NotFoundPath();
        if (info.Subresource.Length > 0 && (!rt.Subresources.Contains(info.Subresource) || info.Name.Length == 0))
            throw ApiException.NotFoundPath();
        if (info.WatchPath && info.Subresource.Length > 0) throw ApiException.NotFoundPath();

        var method = ctx.Request.Method;
        var verb = (method, info.Subresource) switch
        {
            (_, "exec") when method is "GET" or "POST" => "create",
            ("GET", "log") => "get",
            (_, "log") => null,
            ("GET", _) when info.WatchPath || HttpJson.Flag(ctx, "watch") => "watch",
            ("GET", _) => info.Name.Length > 0 ? "get" : "list",
            ("POST", _) => "create",
            ("PUT", _) when info.Name.Length > 0 => "update",
            ("PATCH", _) when info.Name.Length > 0 => "patch",
            ("DELETE", _) => info.Name.Length > 0 ? "delete" : "deletecollection",
            _ => null,
        } ?? throw ApiException.MethodNotAllowed();
        if (!rt.Verbs.Contains(verb) && info.Subresource.Length == 0) throw ApiException.MethodNotAllowed();
        if (rt.Virtual && (verb != "create" || info.Name.Length > 0)) throw ApiException.MethodNotAllowed();

        var access = new AccessRequest(verb, rt.Group, rt.Plural, info.Subresource, rt.Namespaced ? info.Namespace : "", info.Name);
        if (!cluster.Rbac.Authorize(who, access).Allowed)
            throw ApiException.Forbidden(rt.Group, rt.Plural, info.Name, RbacAuthorizer.ForbiddenMessage(who, access));

        if (rt.Virtual)
        {
            var raw = await HttpJson.ReadBody(ctx);
            var body = ProtobufBodies.IsProtobuf(ctx) ? ProtobufBodies.Decode(raw) : HttpJson.ParseBody(raw);
            var review = rt == ResourceCatalog.SelfSubjectRulesReviews
                ? cluster.Reviews.Rules(body, who)
                : cluster.Reviews.Review(body, rt == ResourceCatalog.SelfSubjectAccessReviews ? who : null);
            review["apiVersion"] = rt.ApiVersion;
            review["kind"] = rt.Kind;
            await HttpJson.Write(ctx, 201, review);
            return;
        }
        switch (info.Subresource)
        {
            case "exec":
                await _exec.Serve(ctx, info.Namespace, info.Name);
                return;
            case "log":
                await _logs.Serve(ctx, info.Namespace, info.Name);
                return;
            case "token":
                await _tokens.Serve(ctx, info.Namespace, info.Name);
                return;
        }
        await _resources.Handle(ctx, who, rt, info, verb);
    }
}
