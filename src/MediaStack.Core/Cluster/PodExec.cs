using System.Net.Http;
using System.Net.WebSockets;
using System.Text;
using k8s;
using k8s.Models;

namespace MediaStack.Core.Cluster;

public sealed record ExecTarget(string Namespace, string Pod, string Container);

// What one exec produced. ExitCode is null when the process never reported one (timed out,
// or the server answered a Failure status that is not an exit code: Failure says why).
// Dropped: the connection was open and then ended without an exit status (a proxy or the
// API server cut it); the command may or may not have run to its end.
public sealed record ExecResult(int? ExitCode, string Stdout, string Stderr, bool TimedOut, string? Failure = null)
{
    public bool Dropped { get; init; }
}

// Runs one command in a container. A seam, so the parallel runner can be tested without
// a cluster.
public interface IPodExec
{
    Task<ExecResult> ExecAsync(ExecTarget target, IReadOnlyList<string> command, TimeSpan timeout, CancellationToken ct);
}

// Exec over the API server's WebSocket (channel.k8s.io v4): reads the frames itself so that
// a timeout or Ctrl+C aborts the socket at once (the client's StreamDemuxer blocks a thread
// per stream and cannot be cancelled), and takes the exit code from the status channel.
public sealed class PodExec(IKubernetes client) : IPodExec
{
    private const byte StdoutChannel = 1;
    private const byte StderrChannel = 2;
    private const byte StatusChannel = 3;

    // Enough for any probe report; more is dropped rather than held in memory.
    public int MaxOutputBytes { get; init; } = 1 << 20;

    public async Task<ExecResult> ExecAsync(ExecTarget target, IReadOnlyList<string> command, TimeSpan timeout, CancellationToken ct)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(timeout);
        var stdout = new Capped(MaxOutputBytes);
        var stderr = new Capped(MaxOutputBytes);
        var status = new MemoryStream();
        var opened = false;
        try
        {
            using var socket = await client.WebSocketNamespacedPodExecAsync(
                target.Pod, target.Namespace, command, target.Container,
                stderr: true, stdin: false, stdout: true, tty: false,
                webSocketSubProtocol: WebSocketProtocol.V4BinaryWebsocketProtocol,
                cancellationToken: deadline.Token).ConfigureAwait(false);
            opened = true;
            await PumpAsync(socket, stdout, stderr, status, deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return new ExecResult(null, stdout.Text, stderr.Text, TimedOut: true);
        }
        catch (WebSocketException) when (status.Length > 0)
        {
            // The server closed without a close frame after sending the status: done.
        }
        catch (Exception exception) when (opened && exception is WebSocketException or IOException or HttpRequestException)
        {
            // Cut off after the server took the exec: not a cluster that cannot be reached.
            return new ExecResult(null, stdout.Text, stderr.Text, false,
                $"the exec connection was cut off after {stdout.Length + stderr.Length} bytes of output ({exception.Message})") { Dropped = true };
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            throw ClusterErrors.Map(exception, $"exec into container '{target.Container}' of pod {target.Namespace}/{target.Pod}", target.Pod);
        }
        return Finish(stdout, stderr, status);
    }

    private static async Task PumpAsync(WebSocket socket, Capped stdout, Capped stderr, MemoryStream status, CancellationToken ct)
    {
        var buffer = new byte[64 * 1024];
        byte channel = 0;
        var startOfMessage = true;
        while (true)
        {
            var received = await socket.ReceiveAsync(buffer, ct).ConfigureAwait(false);
            if (received.MessageType == WebSocketMessageType.Close)
            {
                break;
            }
            var data = buffer.AsSpan(0, received.Count);
            if (startOfMessage && data.Length > 0)
            {
                channel = data[0];
                data = data[1..];
            }
            switch (channel)
            {
                case StdoutChannel:
                    stdout.Write(data);
                    break;
                case StderrChannel:
                    stderr.Write(data);
                    break;
                case StatusChannel:
                    status.Write(data);
                    break;
            }
            startOfMessage = received.EndOfMessage;
        }
        if (socket.State == WebSocketState.CloseReceived)
        {
            await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, ct).ConfigureAwait(false);
        }
    }

    private static ExecResult Finish(Capped stdout, Capped stderr, MemoryStream status)
    {
        if (status.Length == 0)
        {
            return new ExecResult(null, stdout.Text, stderr.Text, false, "the connection closed without an exit status");
        }
        V1Status? parsed;
        try
        {
            parsed = KubernetesJson.Deserialize<V1Status>(Encoding.UTF8.GetString(status.ToArray()));
        }
        catch (System.Text.Json.JsonException)
        {
            return new ExecResult(null, stdout.Text, stderr.Text, false, "the exit status could not be read");
        }
        return ExitCodeOf(parsed) is { } code
            ? new ExecResult(code, stdout.Text, stderr.Text, false)
            : new ExecResult(null, stdout.Text, stderr.Text, false, parsed?.Message ?? parsed?.Reason ?? "exec failed");
    }

    // Success -> 0; NonZeroExitCode -> the code from the ExitCode cause; anything else -> null.
    public static int? ExitCodeOf(V1Status? status)
    {
        if (status?.Status == "Success")
        {
            return 0;
        }
        if (status is { Status: "Failure", Reason: "NonZeroExitCode" }
            && int.TryParse(status.Details?.Causes?.FirstOrDefault(cause => cause.Reason == "ExitCode")?.Message, out var code))
        {
            return code;
        }
        return null;
    }

    private sealed class Capped(int limit)
    {
        private readonly MemoryStream _bytes = new();

        public void Write(ReadOnlySpan<byte> data)
        {
            var room = limit - (int)_bytes.Length;
            if (room > 0)
            {
                _bytes.Write(data[..Math.Min(room, data.Length)]);
            }
        }

        public string Text => Encoding.UTF8.GetString(_bytes.GetBuffer(), 0, (int)_bytes.Length);

        public long Length => _bytes.Length;
    }
}
