using System.Threading.Channels;
using MediaStack.Sandbox.Store;

namespace MediaStack.Sandbox.Controllers;

// Runs the controllers one after another on one thread, woken by store changes (and a
// one-second tick for time-based work such as progress deadlines and back-offs).
public sealed class ControllerManager(ObjectStore store, IReadOnlyList<IController> controllers) : IAsyncDisposable
{
    readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    readonly CancellationTokenSource _stop = new();
    Task? _loop;

    public void Start()
    {
        store.Changed += _ => _wake.Writer.TryWrite(true);
        _loop = Task.Run(Run);
    }

    async Task Run()
    {
        while (!_stop.IsCancellationRequested)
        {
            foreach (var c in controllers)
            {
                try { c.Reconcile(); }
                catch (Exception e) { Console.Error.WriteLine($"sandbox: controller {c.Name}: {e.GetType().Name}: {e.Message}"); }
            }
            using var tick = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
            tick.CancelAfter(TimeSpan.FromSeconds(1));
            try
            {
                await _wake.Reader.ReadAsync(tick.Token);
                // Let a burst of changes settle into one pass.
                await Task.Delay(15, _stop.Token);
            }
            catch (OperationCanceledException) { }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        if (_loop is not null) await _loop;
    }
}
