using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using MediaStack.Sandbox.Node.Linux;

namespace MediaStack.Sandbox.Backends;

// One backend: `rclone serve webdav` over a generated tree, running inside the node (so it
// dies with the node) and listening on the host's loopback. Pods reach it through PodRelays.
public sealed class WebDavBackend : IAsyncDisposable
{
    readonly Process _serve;

    WebDavBackend(BackendServer server, Process serve, int port) { Server = server; _serve = serve; Port = port; }

    public BackendServer Server { get; }
    public int Port { get; }
    public BackendFault Fault { get; } = new();

    public static async Task<WebDavBackend> StartAsync(NodeNamespace node, BackendServer server, CancellationToken ct)
    {
        var treeNodePath = $"{NodeNamespace.Root}/backends/{server.Name}";
        TreeGenerator.Generate(server, node.HostPath(treeNodePath));
        var port = FreeLoopbackPort();
        var psi = node.Enter([Availability.Tools["rclone"], "serve", "webdav", treeNodePath,
            "--addr", $"127.0.0.1:{port}", "--read-only", "--config", "/dev/null", "--log-level", "NOTICE"]);
        var serve = Process.Start(psi)!;
        serve.StandardInput.Close();
        serve.OutputDataReceived += (_, _) => { };
        serve.ErrorDataReceived += (_, _) => { };
        serve.BeginOutputReadLine();
        serve.BeginErrorReadLine();
        await WaitListeningAsync(port, serve, server.Name, ct);
        return new WebDavBackend(server, serve, port);
    }

    static int FreeLoopbackPort()
    {
        using var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        s.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)s.LocalEndPoint!).Port;
    }

    static async Task WaitListeningAsync(int port, Process serve, string name, CancellationToken ct)
    {
        for (var i = 0; i < 300; i++)
        {
            if (serve.HasExited) throw new InvalidOperationException($"Backend {name}: rclone serve webdav exited with {serve.ExitCode}.");
            using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            try { await probe.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), ct); return; }
            catch (SocketException) { await Task.Delay(50, ct); }
        }
        throw new TimeoutException($"Backend {name}: rclone serve webdav did not listen on 127.0.0.1:{port}.");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_serve.HasExited) _serve.Kill(entireProcessTree: true);
        await _serve.WaitForExitAsync();
        _serve.Dispose();
    }
}
