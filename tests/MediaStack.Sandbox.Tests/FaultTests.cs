using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text.Json.Nodes;

namespace MediaStack.Sandbox.Tests;

// Faults on demand through the control endpoint: API errors, throttling, latency, exec
// dropped mid-stream or hanging, and forwarding of node faults to the runtime.
public sealed class FaultTests(SandboxFixture sandbox) : IClassFixture<SandboxFixture>
{
    async Task<string> Inject(HttpClient http, string name, JsonObject args)
    {
        var response = await http.PostAsJsonAsync("/sandbox/v1/faults", new JsonObject { ["name"] = name, ["args"] = args });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await SandboxFixture.Json(response))["message"]!.GetValue<string>();
    }

    async Task<string> WebPod(HttpClient http) =>
        (await SandboxFixture.Json(await http.GetAsync("/api/v1/namespaces/media-stack/pods?labelSelector=app%3Dweb")))["items"]![0]!["metadata"]!["name"]!.GetValue<string>();

    [Fact]
    public async Task Api_errors_and_throttling_hit_matching_paths_the_given_number_of_times()
    {
        using var http = sandbox.Http();
        var message = await Inject(http, "api-error", new JsonObject { ["status"] = 503, ["path"] = "/configmaps", ["count"] = 2 });
        Assert.EndsWith("HTTP 503 on paths containing \"/configmaps\", 2 time(s)", message);
        for (int i = 0; i < 2; i++)
        {
            var failed = await http.GetAsync("/api/v1/namespaces/media-stack/configmaps");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, failed.StatusCode);
            Assert.Equal("ServiceUnavailable", (await SandboxFixture.Json(failed))["reason"]!.GetValue<string>());
        }
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/api/v1/namespaces/media-stack/configmaps")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/api/v1/namespaces/media-stack/secrets")).StatusCode);

        await Inject(http, "throttle", new JsonObject { ["path"] = "/secrets", ["retryAfter"] = 2, ["count"] = 1 });
        var throttled = await http.GetAsync("/api/v1/namespaces/media-stack/secrets");
        Assert.Equal(HttpStatusCode.TooManyRequests, throttled.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(2), throttled.Headers.RetryAfter?.Delta);
        Assert.Equal(2, (await SandboxFixture.Json(throttled))["details"]!["retryAfterSeconds"]!.GetValue<int>());

        var kubectl = await Inject(http, "api-error", new JsonObject { ["status"] = 500, ["path"] = "/api/v1/namespaces/media-stack/serviceaccounts", ["count"] = 1 });
        var r = await sandbox.Kubectl.Run("get", "sa");
        Assert.Equal(1, r.Exit);
        Assert.Contains("Internal error occurred: injected fault", r.Stderr);
        Assert.StartsWith("f", kubectl);
    }

    [Fact]
    public async Task Latency_delays_matching_requests()
    {
        using var http = sandbox.Http();
        // Long enough that the second, undelayed request cannot take as long on a busy machine.
        await Inject(http, "latency", new JsonObject { ["ms"] = 2000, ["path"] = "/persistentvolumeclaims", ["count"] = 1 });
        var watch = Stopwatch.StartNew();
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/api/v1/namespaces/media-stack/persistentvolumeclaims")).StatusCode);
        Assert.True(watch.ElapsedMilliseconds >= 1990, $"took {watch.ElapsedMilliseconds} ms");
        watch.Restart();
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/api/v1/namespaces/media-stack/persistentvolumeclaims")).StatusCode);
        Assert.True(watch.ElapsedMilliseconds < 1990, $"took {watch.ElapsedMilliseconds} ms");
    }

    [Fact]
    public async Task Exec_can_be_dropped_mid_stream_or_made_to_hang()
    {
        using var http = sandbox.Http();
        var pod = await WebPod(http);
        await Inject(http, "exec-drop", new JsonObject { ["afterBytes"] = 1 });
        var dropped = await sandbox.Kubectl.Run("exec", pod, "--", "sh", "-c", "echo first; sleep 1; echo second");
        Assert.NotEqual(0, dropped.Exit);
        Assert.DoesNotContain("second", dropped.Stdout);

        await Inject(http, "exec-hang", new JsonObject());
        using var client = sandbox.Client();
        using var ws = await client.WebSocketNamespacedPodExecAsync(pod, "media-stack", ["echo", "never"], "web");
        var buffer = new byte[1024];
        var first = await ws.ReceiveAsync(buffer, CancellationToken.None);
        Assert.Equal(1, first.Count);
        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(1));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => ws.ReceiveAsync(buffer, wait.Token));

        var normal = await sandbox.Kubectl.Run("exec", pod, "--", "echo", "fine");
        Assert.Equal("fine", normal.Stdout);
    }

    [Fact]
    public async Task Unknown_faults_go_to_the_runtime_and_faults_can_be_listed_and_cleared()
    {
        using var http = sandbox.Http();
        var forwarded = await http.PostAsJsonAsync("/sandbox/v1/faults", new JsonObject { ["name"] = "kill-container", ["args"] = new JsonObject { ["pod"] = "x" } });
        Assert.Equal(HttpStatusCode.BadRequest, forwarded.StatusCode);
        Assert.Equal("the node runtime does not know the fault \"kill-container\"", (await SandboxFixture.Json(forwarded))["message"]!.GetValue<string>());

        await Inject(http, "latency", new JsonObject { ["ms"] = 1, ["path"] = "/never-requested" });
        var list = await SandboxFixture.Json(await http.GetAsync("/sandbox/v1/faults"));
        Assert.Contains(list["faults"]!.AsArray(), f => f!["name"]!.GetValue<string>() == "latency");
        Assert.Equal(HttpStatusCode.OK, (await http.DeleteAsync("/sandbox/v1/faults")).StatusCode);
        Assert.Empty((await SandboxFixture.Json(await http.GetAsync("/sandbox/v1/faults")))["faults"]!.AsArray());

        var bad = await http.PostAsJsonAsync("/sandbox/v1/faults", new JsonObject { ["name"] = "api-error", ["args"] = new JsonObject { ["status"] = 200 } });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
    }
}
