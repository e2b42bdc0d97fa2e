using System.Net;
using System.Net.Sockets;
using MediaStack.Sandbox.Node.Linux;

namespace MediaStack.Sandbox.Backends;

// One backend as one pod sees it: a listener on 127.0.0.1:<podPort> inside the pod's network
// namespace, relaying each connection to the backend's real port on the host's loopback.
// Pods therefore reach backends without any non-loopback address.
public sealed class PodRelay : IAsyncDisposable
{
    readonly NetnsSockets _sockets;
    readonly string _netnsHostPath;
    readonly int _podPort;
    readonly int _backendPort;
    readonly BackendFault _fault;
    readonly CancellationTokenSource _stop = new();
    readonly List<Socket> _open = [];
    Socket? _listener;

    public PodRelay(NetnsSockets sockets, string netnsHostPath, int podPort, int backendPort, BackendFault fault)
    {
        (_sockets, _netnsHostPath, _podPort, _backendPort, _fault) = (sockets, netnsHostPath, podPort, backendPort, fault);
        _fault.Changed += OnFault;
    }

    public async Task StartAsync()
    {
        if (_fault.Mode != BackendMode.Stopped) await OpenAsync();
    }

    async Task OpenAsync()
    {
        var listener = await _sockets.ListenAsync(_netnsHostPath, _podPort);
        lock (_open) { _listener?.Dispose(); _listener = listener; }
        _ = AcceptLoopAsync(listener);
    }

    void OnFault(BackendMode mode)
    {
        if (mode == BackendMode.Stopped)
        {
            lock (_open)
            {
                _listener?.Dispose();
                _listener = null;
                foreach (var s in _open) s.Dispose();
                _open.Clear();
            }
        }
        else if (_listener is null && !_stop.IsCancellationRequested)
        {
            _ = OpenAsync();
        }
    }

    async Task AcceptLoopAsync(Socket listener)
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try { client = await listener.AcceptAsync(_stop.Token); }
            catch (Exception e) when (e is SocketException or ObjectDisposedException or OperationCanceledException) { return; }
            _ = RelayAsync(client);
        }
    }

    async Task RelayAsync(Socket client)
    {
        using var upstream = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        lock (_open) { _open.Add(client); _open.Add(upstream); }
        try
        {
            await upstream.ConnectAsync(new IPEndPoint(IPAddress.Loopback, _backendPort), _stop.Token);
            await Task.WhenAny(PumpAsync(client, upstream, gated: true), PumpAsync(upstream, client, gated: false));
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or OperationCanceledException) { }
        finally
        {
            lock (_open) { _open.Remove(client); _open.Remove(upstream); }
            client.Dispose();
        }
    }

    // Requests (pod -> backend) pass the fault gate; answers flow back untouched.
    async Task PumpAsync(Socket from, Socket to, bool gated)
    {
        var buffer = new byte[64 * 1024];
        try
        {
            while (true)
            {
                var n = await from.ReceiveAsync(buffer, SocketFlags.None, _stop.Token);
                if (n == 0) return;
                if (gated) await _fault.PassAsync(_stop.Token);
                await to.SendAsync(buffer.AsMemory(0, n), SocketFlags.None, _stop.Token);
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or OperationCanceledException) { }
    }

    public ValueTask DisposeAsync()
    {
        _fault.Changed -= OnFault;
        _stop.Cancel();
        lock (_open)
        {
            _listener?.Dispose();
            foreach (var s in _open) s.Dispose();
            _open.Clear();
        }
        _stop.Dispose();
        return ValueTask.CompletedTask;
    }
}
