using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.Win32.SafeHandles;

namespace MediaStack.Sandbox.Node.Linux;

// Opens sockets inside a pod's network namespace. One dedicated thread joins the pod's netns
// (setns(CLONE_NEWNET) is allowed per thread, unlike a mount namespace), creates the socket,
// and returns to the host's netns; a socket stays in the netns it was created in, so the
// rest of the process uses it from any thread.
public sealed class NetnsSockets : IDisposable
{
    readonly BlockingCollection<Action> _work = new();
    readonly SafeFileHandle _hostNetns = File.OpenHandle("/proc/self/ns/net");
    readonly Thread _thread;

    public NetnsSockets()
    {
        _thread = new Thread(() => { foreach (var item in _work.GetConsumingEnumerable()) item(); })
        { IsBackground = true, Name = "netns sockets" };
        _thread.Start();
    }

    public Task<Socket> ListenAsync(string netnsHostPath, int port) =>
        InNetns(netnsHostPath, () =>
        {
            var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                s.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
                s.Bind(new IPEndPoint(IPAddress.Loopback, port));
                s.Listen(64);
                return s;
            }
            catch { s.Dispose(); throw; }
        });

    // An unconnected socket in the pod's netns; the caller connects it (probes).
    public Task<Socket> CreateAsync(string netnsHostPath) =>
        InNetns(netnsHostPath, () => new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp));

    Task<T> InNetns<T>(string netnsHostPath, Func<T> create)
    {
        var tcs = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        _work.Add(() =>
        {
            try
            {
                using var ns = File.OpenHandle(netnsHostPath);
                if (Native.setns((int)ns.DangerousGetHandle(), Native.CLONE_NEWNET) != 0)
                    throw new IOException($"setns({netnsHostPath}) failed: errno {System.Runtime.InteropServices.Marshal.GetLastPInvokeError()}");
                try { tcs.SetResult(create()); }
                finally
                {
                    if (Native.setns((int)_hostNetns.DangerousGetHandle(), Native.CLONE_NEWNET) != 0)
                        Environment.FailFast("netns sockets: could not return to the host network namespace");
                }
            }
            catch (Exception e) { tcs.TrySetException(e); }
        });
        return tcs.Task;
    }

    public void Dispose()
    {
        _work.CompleteAdding();
        _thread.Join(TimeSpan.FromSeconds(5));
        _hostNetns.Dispose();
    }
}
