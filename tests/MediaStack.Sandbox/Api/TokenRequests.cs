using System.Text.Json.Nodes;
using MediaStack.Sandbox.Hosting;
using MediaStack.Sandbox.Json;
using MediaStack.Sandbox.Store;

namespace MediaStack.Sandbox.Api;

// POST serviceaccounts/<name>/token: a TokenRequest, what `kubectl create token` sends. The
// answer carries a new bearer token for the account that the API server accepts until
// status.expirationTimestamp, and only while the account exists. As kube-apiserver does,
// expirationSeconds below 10 minutes is refused and the default is one hour.
public sealed class TokenRequests(SandboxCluster cluster)
{
    const long MinimumSeconds = 600;
    const long DefaultSeconds = 3600;

    public async Task Serve(HttpContext ctx, string ns, string name)
    {
        if (ctx.Request.Method != "POST") throw ApiException.MethodNotAllowed();
        var raw = await HttpJson.ReadBody(ctx);
        var body = ProtobufBodies.IsProtobuf(ctx) ? ProtobufBodies.Decode(raw) : HttpJson.ParseBody(raw);
        var account = cluster.Store.Get(ResourceCatalog.ServiceAccounts, ns, name)
            ?? throw ApiException.NotFound("", "serviceaccounts", name);
        var seconds = body.Long("spec", "expirationSeconds") ?? DefaultSeconds;
        if (seconds < MinimumSeconds)
            throw ApiException.Invalid("authentication.k8s.io", "TokenRequest", name,
                [FieldError.Invalid("spec.expirationSeconds", seconds.ToString(), "may not specify a duration less than 10 minutes")]);
        var now = DateTimeOffset.UtcNow;
        var expires = now.AddSeconds(seconds);
        var token = Authentication.NewToken();
        cluster.Auth.AddBound(token, new Authentication.BoundToken(ns, name, account.Uid(), expires));
        var audiences = body.Arr("spec", "audiences") is { Count: > 0 } given ? given.DeepClone() : new JsonArray("https://kubernetes.default.svc");
        await HttpJson.Write(ctx, 201, new JsonObject
        {
            ["kind"] = "TokenRequest",
            ["apiVersion"] = "authentication.k8s.io/v1",
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns, ["creationTimestamp"] = JsonPath.Timestamp(now) },
            ["spec"] = new JsonObject { ["audiences"] = audiences, ["expirationSeconds"] = seconds, ["boundObjectRef"] = null },
            ["status"] = new JsonObject { ["token"] = token, ["expirationTimestamp"] = JsonPath.Timestamp(expires) },
        });
    }
}
