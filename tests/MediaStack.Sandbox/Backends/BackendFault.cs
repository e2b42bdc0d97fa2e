namespace MediaStack.Sandbox.Backends;

// What a backend currently does to requests relayed to it. Slow adds latency per request,
// Stopped refuses connections (pod-side listeners closed), Hung accepts and never answers.
public enum BackendMode { Normal, Slow, Stopped, Hung }

public sealed class BackendFault
{
    readonly object _gate = new();
    TaskCompletionSource _released = NewReleased();

    public BackendMode Mode { get; private set; } = BackendMode.Normal;
    public TimeSpan Latency { get; private set; }

    public event Action<BackendMode>? Changed;

    public void Set(BackendMode mode, TimeSpan latency = default)
    {
        lock (_gate)
        {
            Mode = mode;
            Latency = mode == BackendMode.Slow ? latency : TimeSpan.Zero;
            if (mode != BackendMode.Hung) { _released.TrySetResult(); _released = NewReleased(); }
        }
        Changed?.Invoke(mode);
    }

    // Called before a request chunk is relayed: waits out a hang (until restored), adds latency.
    public async Task PassAsync(CancellationToken ct)
    {
        Task hang;
        TimeSpan latency;
        lock (_gate) { hang = Mode == BackendMode.Hung ? _released.Task : Task.CompletedTask; latency = Latency; }
        await hang.WaitAsync(ct);
        if (latency > TimeSpan.Zero) await Task.Delay(latency, ct);
    }

    static TaskCompletionSource NewReleased() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
