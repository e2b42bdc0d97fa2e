using System.IO.Pipelines;
using System.Net.WebSockets;
using System.Text.Json.Nodes;
using MediaStack.Sandbox.Api;
using MediaStack.Sandbox.Hosting;
using MediaStack.Sandbox.Json;
using MediaStack.Sandbox.Node;
using MediaStack.Sandbox.Store;

namespace MediaStack.Sandbox.Exec;

// pods/{name}/exec over WebSocket, as kube-apiserver serves it to kubectl (v5.channel.k8s.io)
// and the C# client (v4.channel.k8s.io, or no subprotocol): [channel][payload] frames,
// an empty frame first, output streamed, then a metav1.Status on channel 3 and close 1000.
public sealed class ExecHandler(SandboxCluster cluster)
{
    const byte Stdin = 0, Stdout = 1, Stderr = 2, Error = 3, Resize = 4, CloseChannel = 255;
    public const string V5 = "v5.channel.k8s.io";
    public const string V4 = "v4.channel.k8s.io";

    public async Task Serve(HttpContext ctx, string ns, string podName)
    {
        var pod = cluster.Store.Get(ResourceCatalog.Pods, ns, podName) ?? throw ApiException.NotFound("", "pods", podName);
        var query = ctx.Request.Query;
        var command = query["command"].Where(c => c is not null).Select(c => c!).ToList();
        if (command.Count == 0) throw ApiException.BadRequest("you must specify at least 1 command");
        var container = ContainerResolver.Resolve(pod, query["container"]);
        bool wantStdin = HttpJson.Flag(ctx, "stdin"), wantStdout = HttpJson.Flag(ctx, "stdout"), wantStderr = HttpJson.Flag(ctx, "stderr");
        if (!wantStdin && !wantStdout && !wantStderr)
            throw ApiException.BadRequest("you must specify at least 1 of stdin, stdout, stderr");
        if (pod.Str("spec", "nodeName") is not { Length: > 0 })
            throw ApiException.BadRequest($"pod {podName} does not have a host assigned");
        if (pod.Str("status", "phase") is "Succeeded" or "Failed")
            throw ApiException.BadRequest($"cannot exec into a container in a completed pod; current phase is {pod.Str("status", "phase")}");
        if (ContainerResolver.StatusOf(pod, container) is { } cs && cs.Obj("state", "running") is null)
            throw new ApiException(500, "InternalError", $"container not found (\"{container}\")");
        if (!ctx.WebSockets.IsWebSocketRequest)
            throw ApiException.BadRequest("Upgrade request required");

        var requested = ctx.WebSockets.WebSocketRequestedProtocols;
        string? protocol = requested.Contains(V5) ? V5 : requested.Contains(V4) ? V4 : null;
        if (protocol is null && requested.Count > 0)
            throw ApiException.BadRequest(
                $"unable to upgrade: unable to negotiate protocol: client supports [{string.Join(" ", requested)}], server supports [{V5} {V4}]");

        var fault = cluster.Faults.TakeExecFault(ctx.Request.Path.Value ?? "");
        using var ws = await ctx.WebSockets.AcceptWebSocketAsync(protocol);
        var session = new Session(ws, protocol == V5);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ctx.RequestAborted, cluster.Stopping);

        var stdin = new Pipe();
        var reader = session.ReadLoop(stdin.Writer, cts.Token);

        await session.Send(wantStdout ? Stdout : wantStderr ? Stderr : Error, ReadOnlyMemory<byte>.Empty, cts.Token);

        if (fault is { Hang: true })
        {
            try { await reader.WaitAsync(cts.Token); } catch (OperationCanceledException) { }
            return;
        }

        var sentBytes = 0;
        async Task Output(byte channel, ReadOnlyMemory<byte> data, CancellationToken ct)
        {
            if (data.Length == 0) return;
            await session.Send(channel, data, ct);
            sentBytes += data.Length;
            if (fault is { Hang: false } drop && sentBytes >= drop.DropAfterBytes)
            {
                ctx.Abort();
                throw new OperationCanceledException("exec WebSocket dropped by an injected fault");
            }
        }

        JsonObject status;
        try
        {
            var exit = await cluster.Runtime.ExecAsync(new ExecRequest(ns, podName, container, command,
                wantStdin ? stdin.Reader.AsStream() : null,
                (d, ct) => wantStdout ? Output(Stdout, d, ct) : Task.CompletedTask,
                (d, ct) => wantStderr ? Output(Stderr, d, ct) : Task.CompletedTask), cts.Token);
            status = exit == 0
                ? new JsonObject { ["metadata"] = new JsonObject(), ["status"] = "Success" }
                : new JsonObject
                {
                    ["metadata"] = new JsonObject(),
                    ["status"] = "Failure",
                    ["message"] = $"command terminated with non-zero exit code: error executing command [{string.Join(" ", command)}], exit code {exit}",
                    ["reason"] = "NonZeroExitCode",
                    ["details"] = new JsonObject
                    {
                        ["causes"] = new JsonArray(new JsonObject { ["reason"] = "ExitCode", ["message"] = exit.ToString() }),
                    },
                };
        }
        catch (OperationCanceledException) { return; }
        catch (Exception e) when (e is ContainerNotFoundException or ContainerNotRunningException)
        {
            status = new JsonObject { ["metadata"] = new JsonObject(), ["status"] = "Failure", ["message"] = e.Message, ["reason"] = "InternalError", ["code"] = 500 };
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or IOException)
        {
            status = new JsonObject { ["metadata"] = new JsonObject(), ["status"] = "Failure", ["message"] = e.Message, ["reason"] = "InternalError", ["code"] = 500 };
        }

        try
        {
            await session.Send(Error, System.Text.Encoding.UTF8.GetBytes(status.Compact()), cts.Token);
            await ws.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", cts.Token);
            // Give the client time to read everything and answer the close.
            await reader.WaitAsync(TimeSpan.FromSeconds(5), cts.Token);
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException or TimeoutException) { }
        finally
        {
            await stdin.Writer.CompleteAsync();
        }
    }

    sealed class Session(WebSocket ws, bool v5)
    {
        readonly SemaphoreSlim _send = new(1, 1);

        public async Task Send(byte channel, ReadOnlyMemory<byte> data, CancellationToken ct)
        {
            var frame = new byte[data.Length + 1];
            frame[0] = channel;
            data.CopyTo(frame.AsMemory(1));
            await _send.WaitAsync(ct);
            try { await ws.SendAsync(frame, WebSocketMessageType.Binary, true, ct); }
            finally { _send.Release(); }
        }

        // Client frames: stdin data, v5 channel close ([255, 0] ends stdin), resize (ignored).
        public async Task ReadLoop(PipeWriter stdin, CancellationToken ct)
        {
            var buffer = new byte[32 * 1024];
            using var message = new MemoryStream();
            try
            {
                while (ws.State is WebSocketState.Open or WebSocketState.CloseSent)
                {
                    var result = await ws.ReceiveAsync(buffer, ct);
                    if (result.MessageType == WebSocketMessageType.Close) break;
                    message.Write(buffer, 0, result.Count);
                    if (!result.EndOfMessage) continue;
                    var frame = message.ToArray();
                    message.SetLength(0);
                    if (frame.Length == 0) continue;
                    switch (frame[0])
                    {
                        case Stdin when frame.Length > 1:
                            await stdin.WriteAsync(frame.AsMemory(1), ct);
                            break;
                        case CloseChannel when v5 && frame.Length > 1 && frame[1] == Stdin:
                            await stdin.CompleteAsync();
                            break;
                        case Resize:
                            break;
                    }
                }
            }
            catch (Exception e) when (e is OperationCanceledException or WebSocketException or InvalidOperationException) { }
            finally
            {
                await stdin.CompleteAsync();
            }
        }
    }
}
