using System.Diagnostics;
using MediaStack.Sandbox.Node.Linux;

namespace MediaStack.Sandbox.Backends;

// One backend: `rclone serve webdav` over a generated tree, running inside the node (so it
// dies with the node) and listening on the host's loopback. Pods reach it through PodRelays.
public sealed partial class WebDavBackend : IAsyncDisposable
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
        // rclone picks the port itself (:0) and says which one: a port found free beforehand
        // can be taken by another sandbox in the meantime, and a probe would then find that
        // sandbox's backend listening instead of ours.
        var psi = node.Enter([Availability.Tools["rclone"], "serve", "webdav", treeNodePath,
            "--addr", "127.0.0.1:0", "--read-only", "--config", "/dev/null", "--log-level", "NOTICE"]);
        var serve = Process.Start(psi)!;
        var listening = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        serve.StandardInput.Close();
        serve.OutputDataReceived += (_, _) => { };
        serve.ErrorDataReceived += (_, line) =>
        {
            if (line.Data is { } text && StartedOn().Match(text) is { Success: true } match)
                listening.TrySetResult(int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
        };
        serve.EnableRaisingEvents = true;
        serve.Exited += (_, _) => listening.TrySetException(new InvalidOperationException($"Backend {server.Name}: rclone serve webdav exited with {serve.ExitCode}."));
        serve.BeginOutputReadLine();
        serve.BeginErrorReadLine();
        try
        {
            var port = await listening.Task.WaitAsync(TimeSpan.FromSeconds(15), ct);
            return new WebDavBackend(server, serve, port);
        }
        catch (TimeoutException)
        {
            if (!serve.HasExited) serve.Kill(entireProcessTree: true);
            throw new TimeoutException($"Backend {server.Name}: rclone serve webdav did not say where it listens within 15 s.");
        }
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"WebDav Server started on \[?http://127\.0\.0\.1:(\d+)/")]
    private static partial System.Text.RegularExpressions.Regex StartedOn();

    public async ValueTask DisposeAsync()
    {
        if (!_serve.HasExited) _serve.Kill(entireProcessTree: true);
        await _serve.WaitForExitAsync();
        _serve.Dispose();
    }
}
