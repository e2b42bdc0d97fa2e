using System.Net;
using System.Net.WebSockets;
using System.Text;
using k8s;
using MediaStack.Core.Cluster;
using MediaStack.Core.Errors;

namespace MediaStack.Core.Tests.Cluster;

// PodExec against a WebSocket server on 127.0.0.1 that speaks the channel.k8s.io framing:
// output frames, the status on channel 3, a server that never finishes, a refused upgrade.
[Collection(nameof(LocalHttpServers))]
public sealed class PodExecTests : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly int _port;
    private readonly CancellationTokenSource _stop = new();
    private Func<HttpListenerContext, Task> _handler = _ => Task.CompletedTask;
    private readonly Task _loop;

    public string? Query;

    public PodExecTests()
    {
        // A free port: bind, read it, release (HttpListener cannot pick one itself).
        var probe = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        _port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        _listener.Prefixes.Add($"http://127.0.0.1:{_port}/");
        _listener.Start();
        _loop = Task.Run(async () =>
        {
            while (!_stop.IsCancellationRequested)
            {
                HttpListenerContext context;
                try
                {
                    context = await _listener.GetContextAsync();
                }
                catch (Exception)
                {
                    return;
                }
                Query = context.Request.Url?.Query;
                _ = Task.Run(() => _handler(context));
            }
        });
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Close();
        await _loop;
    }

    private IKubernetes Client() => new Kubernetes(new KubernetesClientConfiguration { Host = $"http://127.0.0.1:{_port}" });

    private static Task Frame(WebSocket socket, byte channel, string text)
    {
        var bytes = new[] { channel }.Concat(Encoding.UTF8.GetBytes(text)).ToArray();
        return socket.SendAsync(bytes, WebSocketMessageType.Binary, true, CancellationToken.None);
    }

    private void Serve(Func<WebSocket, Task> session) => _handler = async context =>
    {
        var accepted = await context.AcceptWebSocketAsync("v4.channel.k8s.io");
        await session(accepted.WebSocket);
    };

    private static readonly ExecTarget Target = new("media-stack", "plex-1", "plex");

    [Fact]
    public async Task Collects_stdout_stderr_and_the_exit_code()
    {
        Serve(async socket =>
        {
            await Frame(socket, 1, "");
            await Frame(socket, 1, "probe\t1\n");
            await Frame(socket, 2, "warning\n");
            await Frame(socket, 1, "end\n");
            await Frame(socket, 3, """{"metadata":{},"status":"Failure","reason":"NonZeroExitCode","details":{"causes":[{"reason":"ExitCode","message":"3"}]}}""");
            await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
        });
        using var client = Client();
        var result = await new PodExec(client).ExecAsync(Target, ["sh", "-c", "echo $1", "x", "it's"], TimeSpan.FromSeconds(10), CancellationToken.None);

        Assert.Equal(3, result.ExitCode);
        Assert.Equal("probe\t1\nend\n", result.Stdout);
        Assert.Equal("warning\n", result.Stderr);
        Assert.False(result.TimedOut);
        Assert.Contains("container=plex", Query);
        Assert.Contains("command=it%27s", Query);
    }

    [Fact]
    public async Task Gives_up_at_the_deadline_and_keeps_what_arrived()
    {
        Serve(async socket =>
        {
            await Frame(socket, 1, "partial\n");
            await Task.Delay(TimeSpan.FromSeconds(30));
        });
        using var client = Client();
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var result = await new PodExec(client).ExecAsync(Target, ["sh"], TimeSpan.FromMilliseconds(700), CancellationToken.None);

        Assert.True(result.TimedOut);
        Assert.Null(result.ExitCode);
        Assert.Equal("partial\n", result.Stdout);
        Assert.InRange(watch.ElapsedMilliseconds, 600, 3000);
    }

    [Fact]
    public async Task Cancellation_by_the_caller_stops_at_once()
    {
        Serve(_ => Task.Delay(TimeSpan.FromSeconds(30)));
        using var client = Client();
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        var watch = System.Diagnostics.Stopwatch.StartNew();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => new PodExec(client).ExecAsync(Target, ["sh"], TimeSpan.FromSeconds(30), cts.Token));
        Assert.InRange(watch.ElapsedMilliseconds, 200, 3000);
    }

    [Fact]
    public async Task A_connection_cut_off_after_output_is_a_dropped_result_not_an_unreachable_cluster()
    {
        _handler = async context =>
        {
            var accepted = await context.AcceptWebSocketAsync("v4.channel.k8s.io");
            await Frame(accepted.WebSocket, 1, "");
            await Frame(accepted.WebSocket, 1, "p");
            // The TCP connection goes, as when a proxy or the API server cuts it.
            context.Response.Abort();
        };
        using var client = Client();

        var result = await new PodExec(client).ExecAsync(Target, ["sh"], TimeSpan.FromSeconds(10), CancellationToken.None);

        Assert.True(result.Dropped);
        Assert.Null(result.ExitCode);
        Assert.False(result.TimedOut);
        Assert.Contains("cut off", result.Failure);
    }

    [Fact]
    public async Task A_refused_upgrade_is_mapped_like_any_api_error()
    {
        _handler = async context =>
        {
            context.Response.StatusCode = 403;
            context.Response.ContentType = "application/json";
            var body = Encoding.UTF8.GetBytes("""{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"pods \"plex-1\" is forbidden: User \"viewer\" cannot create resource \"pods/exec\"","reason":"Forbidden","code":403}""");
            await context.Response.OutputStream.WriteAsync(body);
            context.Response.Close();
        };
        using var client = Client();

        var error = await Assert.ThrowsAsync<MediaStackException>(() => new PodExec(client).ExecAsync(Target, ["sh"], TimeSpan.FromSeconds(10), CancellationToken.None));
        Assert.Equal(ErrorIds.ClusterForbidden, error.ErrorId);
        Assert.Equal(ErrorCategory.PermissionDenied, error.Category);
        Assert.Contains("plex-1", error.Message);
    }
}
