using System.Net;
using System.Text;

namespace MediaStack.Sandbox.Tests;

// What a real API server answers to bad requests, and a barrage of malformed ones the
// server must survive.
public sealed class BadInputTests(SandboxFixture sandbox) : IClassFixture<SandboxFixture>
{
    static StringContent Body(string text, string type) => new(text, Encoding.UTF8, type);

    async Task AssertStatus(HttpResponseMessage response, int code, string reason, string? message = null)
    {
        Assert.Equal(code, (int)response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var status = await SandboxFixture.Json(response);
        Assert.Equal("Status", status["kind"]!.GetValue<string>());
        Assert.Equal("Failure", status["status"]!.GetValue<string>());
        Assert.Equal(reason, status["reason"]!.GetValue<string>());
        Assert.Equal(code, status["code"]!.GetValue<int>());
        if (message is not null) Assert.Equal(message, status["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task Authentication_and_authorization_failures()
    {
        using var anonymous = sandbox.Http(authenticated: false);
        await AssertStatus(await anonymous.GetAsync("/api/v1/namespaces/media-stack/pods"), 401, "Unauthorized", "Unauthorized");
        using var wrong = sandbox.Http(token: "not-a-token");
        await AssertStatus(await wrong.GetAsync("/version"), 401, "Unauthorized");
        using var viewer = sandbox.Http(token: sandbox.Server.IdentityTokens["viewer"]);
        await AssertStatus(await viewer.GetAsync("/api/v1/namespaces/media-stack/secrets"), 403, "Forbidden",
            "secrets is forbidden: User \"viewer\" cannot list resource \"secrets\" in API group \"\" in the namespace \"media-stack\"");
        await AssertStatus(await viewer.GetAsync("/api/v1/nodes"), 403, "Forbidden",
            "nodes is forbidden: User \"viewer\" cannot list resource \"nodes\" in API group \"\" at the cluster scope");
        await AssertStatus(await viewer.GetAsync("/sandbox/v1/faults"), 403, "Forbidden");
        Assert.Equal(HttpStatusCode.OK, (await viewer.GetAsync("/api/v1/namespaces/media-stack/pods")).StatusCode);
    }

    [Fact]
    public async Task Not_found_method_media_type_and_body_errors()
    {
        using var http = sandbox.Http();
        await AssertStatus(await http.GetAsync("/api/v1/namespaces/media-stack/widgets"), 404, "NotFound", "the server could not find the requested resource");
        await AssertStatus(await http.GetAsync("/apis/apps/v1/namespaces/media-stack/deployments/ghost"), 404, "NotFound", "deployments.apps \"ghost\" not found");
        await AssertStatus(await http.PutAsync("/api/v1/namespaces/media-stack/pods", Body("{}", "application/json")), 405, "MethodNotAllowed");
        await AssertStatus(await http.PostAsync("/api/v1/namespaces/media-stack/pods/x", Body("{}", "application/json")), 405, "MethodNotAllowed");
        await AssertStatus(await http.PatchAsync("/apis/apps/v1/namespaces/media-stack/deployments/web", Body("kind: Deployment", "application/apply-patch+yaml")), 415, "UnsupportedMediaType",
            "the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json");
        await AssertStatus(await http.PatchAsync("/apis/apps/v1/namespaces/media-stack/deployments/web", Body("{not json", "application/merge-patch+json")), 400, "BadRequest");
        await AssertStatus(await http.PatchAsync("/apis/apps/v1/namespaces/media-stack/deployments/web", Body("{\"op\":\"add\"}", "application/json-patch+json")), 400, "BadRequest");
        await AssertStatus(await http.PostAsync("/api/v1/namespaces/media-stack/configmaps", Body("{\"metadata\":", "application/json")), 400, "BadRequest");
        await AssertStatus(await http.PostAsync("/api/v1/namespaces/nowhere/configmaps", Body("{\"metadata\":{\"name\":\"a\"}}", "application/json")), 404, "NotFound", "namespaces \"nowhere\" not found");
        var created = await http.PostAsync("/api/v1/namespaces/media-stack/configmaps", Body("{\"metadata\":{\"generateName\":\"gen-\"}}", "application/json"));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var name = (await SandboxFixture.Json(created))["metadata"]!["name"]!.GetValue<string>();
        Assert.Matches("^gen-[bcdfghjklmnpqrstvwxz2456789]{5}$", name);
        await AssertStatus(await http.PostAsync("/api/v1/namespaces/media-stack/configmaps", Body($"{{\"metadata\":{{\"name\":\"{name}\"}}}}", "application/json")), 409, "AlreadyExists",
            $"configmaps \"{name}\" already exists");
        await AssertStatus(await http.GetAsync("/api/v1/namespaces/media-stack/pods?labelSelector=app%20in%20(a"), 400, "BadRequest");
    }

    [Fact]
    public async Task Malformed_requests_never_take_the_server_down()
    {
        using var http = sandbox.Http();
        string[] paths =
        [
            "/api/v1/namespaces//pods", "/api/v1/namespaces/media-stack/pods/", "/apis/apps", "/apis/apps/v9/deployments",
            "/api/v1/namespaces/media-stack/pods/x/y/z/w", "/api/v1/namespaces/media-stack/pods/%00", "/api/v1/watch/namespaces/media-stack/pods/x/log",
            "/api/v1/namespaces/media-stack/pods?limit=-5", "/api/v1/namespaces/media-stack/pods?continue=%%%", "/api/v1/namespaces/media-stack/pods?continue=e30=",
            "/api/v1/namespaces/media-stack/pods?watch=1&resourceVersion=abc", "/api/v1/namespaces/media-stack/pods?fieldSelector=%3D%3D%3D",
            "/api/v1/namespaces/media-stack/pods/nope/exec?command=ls", "/api/v1/namespaces/media-stack/pods/nope/log",
            "/openapi/v3/apis/nothing/v1", "/openapi/v2", "/apis/authorization.k8s.io/v1/subjectaccessreviews",
            "/" + new string('a', 5000),
        ];
        foreach (var path in paths)
        {
            var response = await http.GetAsync(path);
            Assert.InRange((int)response.StatusCode, 200, 499);
        }
        string[] bodies = ["", "null", "[]", "42", "\"x\"", "{\"kind\":7}", "{\"metadata\":{\"name\":{}}}", "{\"spec\":[]}", new string('{', 5000), "\u0000\u0001binary"];
        string[] targets = ["/api/v1/namespaces/media-stack/pods", "/apis/apps/v1/namespaces/media-stack/deployments", "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews", "/api/v1/namespaces"];
        foreach (var target in targets)
            foreach (var body in bodies)
            {
                var response = await http.PostAsync(target, Body(body, "application/json"));
                Assert.InRange((int)response.StatusCode, 400, 499);
            }
        foreach (var type in new[] { "application/json-patch+json", "application/merge-patch+json", "application/strategic-merge-patch+json" })
            foreach (var body in bodies)
            {
                var response = await http.PatchAsync("/apis/apps/v1/namespaces/media-stack/deployments/web", Body(body, type));
                Assert.True((int)response.StatusCode is 200 or (>= 400 and < 500), $"{type} {body[..Math.Min(body.Length, 20)]}: {(int)response.StatusCode}");
            }
        var protobuf = new ByteArrayContent([0x6b, 0x38, 0x73, 0x00, 0x0a, 0xff, 0xff]);
        protobuf.Headers.ContentType = new("application/vnd.kubernetes.protobuf");
        Assert.Equal(400, (int)(await http.PostAsync("/apis/authorization.k8s.io/v1/selfsubjectaccessreviews", protobuf)).StatusCode);

        var version = await SandboxFixture.Json(await http.GetAsync("/version"));
        Assert.Equal("32", version["minor"]!.GetValue<string>());
        var deploy = await SandboxFixture.Json(await http.GetAsync("/apis/apps/v1/namespaces/media-stack/deployments/web"));
        Assert.Equal("web", deploy["metadata"]!["name"]!.GetValue<string>());
    }
}
