using System.Net;
using System.Net.Http;
using MediaStack.Core.Cluster;

namespace MediaStack.Core.Tests.Cluster;

// The retry budget, against scripted answers; the waits are recorded instead of slept.
public class RetryHandlerTests
{
    private sealed class Script(params HttpStatusCode[] answers) : HttpMessageHandler
    {
        private int _next;

        public int Sent => _next;

        public TimeSpan? RetryAfter { get; init; }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var code = answers[Math.Min(_next++, answers.Length - 1)];
            var response = new HttpResponseMessage(code) { RequestMessage = request, Content = new StringContent(request.Content is null ? "" : "echo") };
            if (RetryAfter is { } after && code != HttpStatusCode.OK)
            {
                response.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(after);
            }
            return Task.FromResult(response);
        }
    }

    private static async Task<(HttpStatusCode Code, int Sent, List<TimeSpan> Waits)> Send(HttpMethod method, Script script)
    {
        var waits = new List<TimeSpan>();
        using var client = new HttpClient(new RetryHandler((wait, _) => { waits.Add(wait); return Task.CompletedTask; }, script));
        using var request = new HttpRequestMessage(method, "http://127.0.0.1:1/api/v1/pods") { Content = method == HttpMethod.Get ? null : new StringContent("[]") };
        using var response = await client.SendAsync(request);
        return (response.StatusCode, script.Sent, waits);
    }

    [Fact]
    public async Task Throttled_requests_of_any_verb_wait_for_Retry_After_and_try_again()
    {
        foreach (var method in new[] { HttpMethod.Get, HttpMethod.Patch, HttpMethod.Post })
        {
            var (code, sent, waits) = await Send(method, new Script(HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests, HttpStatusCode.OK) { RetryAfter = TimeSpan.FromSeconds(2) });

            Assert.Equal(HttpStatusCode.OK, code);
            Assert.Equal(3, sent);
            Assert.Equal([TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(2)], waits);
        }
    }

    [Fact]
    public async Task Throttling_without_Retry_After_waits_a_second_and_a_long_Retry_After_is_capped()
    {
        Assert.Equal([TimeSpan.FromSeconds(1)], (await Send(HttpMethod.Get, new Script(HttpStatusCode.TooManyRequests, HttpStatusCode.OK))).Waits);
        Assert.Equal([RetryHandler.MaxWait], (await Send(HttpMethod.Get, new Script(HttpStatusCode.TooManyRequests, HttpStatusCode.OK) { RetryAfter = TimeSpan.FromHours(1) })).Waits);
    }

    [Fact]
    public async Task Reads_that_fail_with_5xx_are_retried_with_a_short_backoff()
    {
        foreach (var code in new[] { HttpStatusCode.InternalServerError, HttpStatusCode.BadGateway, HttpStatusCode.ServiceUnavailable, HttpStatusCode.GatewayTimeout })
        {
            var result = await Send(HttpMethod.Get, new Script(code, HttpStatusCode.OK));
            Assert.Equal((HttpStatusCode.OK, 2), (result.Code, result.Sent));
            Assert.Equal([TimeSpan.FromMilliseconds(250)], result.Waits);
        }
    }

    [Fact]
    public async Task Writes_that_fail_with_5xx_are_not_repeated()
    {
        foreach (var method in new[] { HttpMethod.Patch, HttpMethod.Post, HttpMethod.Put, HttpMethod.Delete })
        {
            var (code, sent, waits) = await Send(method, new Script(HttpStatusCode.InternalServerError, HttpStatusCode.OK));

            Assert.Equal((HttpStatusCode.InternalServerError, 1), (code, sent));
            Assert.Empty(waits);
        }
    }

    [Fact]
    public async Task Other_errors_are_final_at_once()
    {
        foreach (var code in new[] { HttpStatusCode.BadRequest, HttpStatusCode.Unauthorized, HttpStatusCode.Forbidden, HttpStatusCode.NotFound, HttpStatusCode.Conflict, HttpStatusCode.NotImplemented })
        {
            Assert.Equal((code, 1), ((await Send(HttpMethod.Get, new Script(code, HttpStatusCode.OK))) is var r ? (r.Code, r.Sent) : default));
        }
    }

    [Fact]
    public async Task The_budget_ends_with_the_last_answer()
    {
        var failing = await Send(HttpMethod.Get, new Script(HttpStatusCode.ServiceUnavailable));
        Assert.Equal((HttpStatusCode.ServiceUnavailable, 1 + RetryHandler.MaxServerErrorRetries), (failing.Code, failing.Sent));
        Assert.Equal([TimeSpan.FromMilliseconds(250), TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(1)], failing.Waits);

        var throttled = await Send(HttpMethod.Get, new Script(HttpStatusCode.TooManyRequests) { RetryAfter = TimeSpan.FromSeconds(1) });
        Assert.Equal((HttpStatusCode.TooManyRequests, 1 + RetryHandler.MaxThrottledRetries), (throttled.Code, throttled.Sent));

        // No request waits more than MaxTotalWait in all: 10 s waits stop after three.
        var slow = await Send(HttpMethod.Get, new Script(HttpStatusCode.TooManyRequests) { RetryAfter = TimeSpan.FromSeconds(10) });
        Assert.Equal(3, slow.Waits.Count);
        Assert.True(slow.Waits.Aggregate(TimeSpan.Zero, (sum, wait) => sum + wait) <= RetryHandler.MaxTotalWait);
    }

    [Fact]
    public async Task Cancellation_during_a_wait_stops_at_once()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        using var client = new HttpClient(new RetryHandler(Task.Delay, new Script(HttpStatusCode.TooManyRequests) { RetryAfter = TimeSpan.FromSeconds(10) }));
        var watch = System.Diagnostics.Stopwatch.StartNew();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.GetAsync("http://127.0.0.1:1/api/v1/pods", cts.Token));

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"{watch.Elapsed}");
    }
}

// The retry over a real socket: a throttled PATCH is sent again, body and all.
[Collection(nameof(LocalHttpServers))]
public sealed class RetryHandlerOverHttpTests
{
    [Fact]
    public async Task A_throttled_patch_is_sent_again_with_its_body()
    {
        var probe = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        using var listener = new HttpListener();
        listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        listener.Start();
        var bodies = new List<string>();
        var server = Task.Run(async () =>
        {
            for (var i = 0; i < 2; i++)
            {
                var context = await listener.GetContextAsync();
                using (var reader = new StreamReader(context.Request.InputStream))
                {
                    bodies.Add($"{context.Request.HttpMethod} {await reader.ReadToEndAsync()}");
                }
                context.Response.StatusCode = i == 0 ? 429 : 200;
                if (i == 0)
                {
                    context.Response.AddHeader("Retry-After", "0");
                }
                context.Response.Close();
            }
        });
        using var client = new HttpClient(new RetryHandler { InnerHandler = new SocketsHttpHandler() });

        using var response = await client.PatchAsync($"http://127.0.0.1:{port}/apis/apps/v1/namespaces/x/deployments/y", new StringContent("""[{"op":"test","path":"/a","value":1}]"""));
        await server;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(["PATCH [{\"op\":\"test\",\"path\":\"/a\",\"value\":1}]", "PATCH [{\"op\":\"test\",\"path\":\"/a\",\"value\":1}]"], bodies);
    }
}
