using System.Text.Json.Nodes;
using MediaStack.Sandbox.Api;
using MediaStack.Sandbox.Hosting;
using MediaStack.Sandbox.Json;

namespace MediaStack.Sandbox.Faults;

// The sandbox's own control API, admin token only:
//   GET    /sandbox/v1/status          server, runtime, mode, pid
//   GET    /sandbox/v1/faults          active faults
//   POST   /sandbox/v1/faults          {"name": "...", "args": {...}} -> {"message": "..."}
//   DELETE /sandbox/v1/faults[/{id}]   clear all, or one
//   POST   /sandbox/v1/shutdown        stop the server (what `down` calls)
public sealed class ControlEndpoint(SandboxCluster cluster, Action requestShutdown, Func<string> serverUrl)
{
    public async Task Handle(HttpContext ctx)
    {
        if (cluster.Auth.Authenticate(ctx) is null) throw ApiException.Unauthorized();
        if (!cluster.Auth.IsAdmin(ctx))
            throw new ApiException(403, "Forbidden", "the sandbox control endpoints need the admin token of the kubeconfig's sandbox context");
        var path = (ctx.Request.Path.Value ?? "").TrimEnd('/');
        var method = ctx.Request.Method;
        switch (path)
        {
            case "/sandbox/v1/status" when method == "GET":
                await HttpJson.Write(ctx, 200, new JsonObject
                {
                    ["server"] = serverUrl(),
                    ["pid"] = Environment.ProcessId,
                    ["runtime"] = cluster.RuntimeName,
                    ["mode"] = cluster.Mode.ToString().ToLowerInvariant(),
                });
                return;
            case "/sandbox/v1/faults" when method == "GET":
                await HttpJson.Write(ctx, 200, new JsonObject { ["faults"] = cluster.Faults.List() });
                return;
            case "/sandbox/v1/faults" when method == "POST":
                {
                    var body = HttpJson.ParseBody(await HttpJson.ReadBody(ctx));
                    var name = body.Str("name") ?? throw ApiException.BadRequest("a fault needs a name");
                    var args = body.Obj("args") ?? new JsonObject();
                    string message;
                    try
                    {
                        message = FaultRegistry.IsApiFault(name)
                            ? cluster.Faults.Add(name, args)
                            : await cluster.Runtime.ApplyFaultAsync(name, args, ctx.RequestAborted);
                    }
                    catch (Exception e) when (e is NotSupportedException or ArgumentException or InvalidOperationException)
                    {
                        throw ApiException.BadRequest(e.Message);
                    }
                    await HttpJson.Write(ctx, 201, new JsonObject { ["message"] = message });
                    return;
                }
            case "/sandbox/v1/faults" when method == "DELETE":
                cluster.Faults.Clear();
                await HttpJson.Write(ctx, 200, new JsonObject { ["message"] = "all API faults cleared" });
                return;
            case var p when p.StartsWith("/sandbox/v1/faults/", StringComparison.Ordinal) && method == "DELETE":
                var id = p["/sandbox/v1/faults/".Length..];
                if (!cluster.Faults.Remove(id)) throw new ApiException(404, "NotFound", $"no fault \"{id}\"");
                await HttpJson.Write(ctx, 200, new JsonObject { ["message"] = $"fault {id} cleared" });
                return;
            case "/sandbox/v1/shutdown" when method == "POST":
                await HttpJson.Write(ctx, 202, new JsonObject { ["message"] = "stopping" });
                await ctx.Response.CompleteAsync();
                requestShutdown();
                return;
            default:
                throw ApiException.NotFoundPath();
        }
    }
}
