using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;

namespace MediaStack.Sandbox.Node.Linux;

// A probe as the kubelet runs it: exec inside the container, tcpSocket and httpGet against
// the pod's loopback (inside its network namespace). Delays and periods are multiplied by
// the runtime's time scale so suites stay fast; timeouts are not scaled below one second.
public sealed class Probe(JsonObject spec, double timeScale)
{
    public TimeSpan InitialDelay => Scale(spec["initialDelaySeconds"].AsInt() ?? 0);
    public TimeSpan Period => Scale(spec["periodSeconds"].AsInt() ?? 10);
    public TimeSpan Timeout => TimeSpan.FromSeconds(Math.Max(1, spec["timeoutSeconds"].AsInt() ?? 1));
    public int FailureThreshold => spec["failureThreshold"].AsInt() ?? 3;

    TimeSpan Scale(int seconds) => TimeSpan.FromSeconds(seconds * timeScale);

    // Success, or the failure message the kubelet would put in the Unhealthy event.
    public async Task<string?> RunAsync(ContainerProcess container, IReadOnlyDictionary<string, string> env,
        JsonObject containerSpec, NetnsSockets sockets, string netnsHostPath, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(Timeout);
        try
        {
            if (spec["exec"] is JsonObject exec)
                return await ExecAsync(container, env, (exec["command"] as JsonArray ?? []).Select(c => (string)c!).ToList(), timeout.Token);
            if (spec["tcpSocket"] is JsonObject tcp)
            {
                var port = Port(tcp["port"], containerSpec);
                using var s = await sockets.CreateAsync(netnsHostPath);
                try { await s.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), timeout.Token); return null; }
                catch (SocketException e) { return $"dial tcp 127.0.0.1:{port}: connect: {e.Message.ToLowerInvariant()}"; }
            }
            if (spec["httpGet"] is JsonObject http)
                return await HttpAsync(http, containerSpec, sockets, netnsHostPath, timeout.Token);
            return null;
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return $"command timed out after {Timeout.TotalSeconds:0}s";
        }
    }

    static async Task<string?> ExecAsync(ContainerProcess container, IReadOnlyDictionary<string, string> env, IReadOnlyList<string> command, CancellationToken ct)
    {
        using var p = Process.Start(container.Exec(command, env))!;
        p.StandardInput.Close();
        var output = p.StandardOutput.ReadToEndAsync(ct);
        var error = p.StandardError.ReadToEndAsync(ct);
        try { await p.WaitForExitAsync(ct); }
        catch (OperationCanceledException) { p.Kill(entireProcessTree: true); throw; }
        if (p.ExitCode == 0) return null;
        var text = ((await output) + (await error)).Trim();
        return text.Length > 0 ? text : $"command {string.Join(' ', command)} exited with {p.ExitCode}";
    }

    static async Task<string?> HttpAsync(JsonObject http, JsonObject containerSpec, NetnsSockets sockets, string netnsHostPath, CancellationToken ct)
    {
        var port = Port(http["port"], containerSpec);
        var path = (string?)http["path"] ?? "/";
        using var s = await sockets.CreateAsync(netnsHostPath);
        try { await s.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), ct); }
        catch (SocketException e) { return $"Get \"http://127.0.0.1:{port}{path}\": dial tcp 127.0.0.1:{port}: connect: {e.Message.ToLowerInvariant()}"; }
        await s.SendAsync(Encoding.ASCII.GetBytes($"GET {path} HTTP/1.0\r\nHost: 127.0.0.1:{port}\r\nUser-Agent: kube-probe/1.32\r\n\r\n"), ct);
        var buffer = new byte[256];
        var n = await s.ReceiveAsync(buffer, ct);
        var statusLine = Encoding.ASCII.GetString(buffer, 0, n).Split("\r\n")[0];
        var parts = statusLine.Split(' ');
        return parts.Length > 1 && int.TryParse(parts[1], out var code) && code is >= 200 and < 400
            ? null
            : $"HTTP probe failed with statuscode: {(parts.Length > 1 ? parts[1] : "none")}";
    }

    static int Port(JsonNode? port, JsonObject containerSpec)
    {
        if (port.AsInt() is { } number) return number;
        var name = port?.ToString();
        return (containerSpec["ports"] as JsonArray ?? []).OfType<JsonObject>()
            .Where(p => (string?)p["name"] == name).Select(p => p["containerPort"].AsInt() ?? 0).FirstOrDefault();
    }
}
