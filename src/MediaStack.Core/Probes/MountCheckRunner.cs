using System.Diagnostics;
using System.Threading.Channels;
using MediaStack.Core.Cluster;
using MediaStack.Core.Errors;
using MediaStack.Core.Pods;

namespace MediaStack.Core.Probes;

public sealed record MountCheckOptions(int ThrottleLimit = MountCheckOptions.DefaultThrottleLimit, int TimeoutSec = MountCheckOptions.DefaultTimeoutSec, int MaxEntries = MountCheckOptions.DefaultMaxEntries)
{
    // A jump host opens this many exec WebSockets at once without strain.
    public const int DefaultThrottleLimit = 16;
    public const int DefaultTimeoutSec = 10;
    public const int DefaultMaxEntries = 100_000;

    // Only the mounts of these names (null: every mount each app expects).
    public IReadOnlyCollection<string>? Mounts { get; init; }

    // How long a pod may be Pending / ContainerCreating before it is NOTREADY (the config's).
    public int StartupGraceSec { get; init; } = Config.MediaStackConfig.Default.StartupGraceSec;
}

// A finished pod: its report, and the error to show when the exec itself failed.
public sealed record MountCheckResult(PodMountReport Report, MediaStackException? Error);

// Checks pods in parallel (at most ThrottleLimit execs at once, each cancelled at its own
// deadline or when the caller's token fires) and reports each pod through a channel as it
// finishes, so the caller writes every object on its own thread. One pod failing never
// stops the others.
public sealed class MountCheckRunner
{
    private readonly IPodExec _exec;
    private readonly MountCheckOptions _options;
    private readonly ProbeTimeouts _timeouts;
    private readonly SemaphoreSlim _slots;
    private readonly CancellationToken _ct;
    private readonly Channel<MountCheckResult> _results = Channel.CreateUnbounded<MountCheckResult>(new UnboundedChannelOptions { SingleReader = true });
    private static readonly TimeSpan MinRetryTime = TimeSpan.FromSeconds(2);
    // Starts at 1 for the producer; Complete() releases it.
    private int _pending = 1;
    private int _started;

    public MountCheckRunner(IPodExec exec, MountCheckOptions options, CancellationToken ct)
    {
        if (options.ThrottleLimit < 1)
        {
            throw new MediaStackException(ErrorIds.InvalidThrottleLimit, ErrorCategory.InvalidArgument, $"ThrottleLimit must be at least 1 (got {options.ThrottleLimit}).", options.ThrottleLimit);
        }
        _exec = exec;
        _options = options;
        _timeouts = ProbeTimeouts.For(options.TimeoutSec);
        _slots = new SemaphoreSlim(options.ThrottleLimit);
        _ct = ct;
    }

    public ChannelReader<MountCheckResult> Results => _results.Reader;

    public int Started => Volatile.Read(ref _started);

    public ProbeTimeouts Timeouts => _timeouts;

    // The exec command for a pod (exposed for -Verbose and tests).
    public IReadOnlyList<string> CommandFor(MediaPod pod) =>
        MountProbeScript.Command(MountGrader.ProbeTargets(MountGrader.Targets(pod, _options.Mounts)), _timeouts, _options.MaxEntries);

    public void Add(MediaPod pod)
    {
        Interlocked.Increment(ref _pending);
        Interlocked.Increment(ref _started);
        _ = Task.Run(() => CheckAsync(pod));
    }

    // No more pods: the channel completes once the last one is reported.
    public void Complete() => Release();

    private async Task CheckAsync(MediaPod pod)
    {
        MountCheckResult result;
        try
        {
            result = await CheckOneAsync(pod).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Ctrl+C: the caller stops reading; nothing to report.
            Release();
            return;
        }
        await _results.Writer.WriteAsync(result, CancellationToken.None).ConfigureAwait(false);
        Release();
    }

    private async Task<MountCheckResult> CheckOneAsync(MediaPod pod)
    {
        var mounts = MountGrader.Targets(pod, _options.Mounts);
        if (!MountGrader.NeedsExec(pod, mounts, _options, DateTime.UtcNow))
        {
            return new MountCheckResult(MountGrader.Grade(pod, mounts, null, null, _timeouts, _options, 0, DateTime.UtcNow), null);
        }
        await _slots.WaitAsync(_ct).ConfigureAwait(false);
        var watch = Stopwatch.StartNew();
        try
        {
            var target = new ExecTarget(pod.Namespace, pod.Name, pod.AppContainer!);
            var command = CommandFor(pod);
            var exec = await _exec.ExecAsync(target, command, _timeouts.Total, _ct).ConfigureAwait(false);
            if (exec.Dropped)
            {
                // The probe only reads: a cut-off exec is tried once more, in the time left.
                var left = _timeouts.Total - watch.Elapsed;
                exec = await _exec.ExecAsync(target, command, left > MinRetryTime ? left : MinRetryTime, _ct).ConfigureAwait(false);
            }
            if (exec.Dropped)
            {
                var error = new MediaStackException(
                    ErrorIds.PodExecFailed, ErrorCategory.ConnectionError,
                    $"The mount check of pod {pod} was cut off twice: {exec.Failure}", pod.Name,
                    "Run Test-MediaMount again; if the exec keeps being cut off, check the API server and any proxy or load balancer in front of it.");
                return new MountCheckResult(MountGrader.Grade(pod, mounts, null, exec.Failure, _timeouts, _options, (int)watch.ElapsedMilliseconds, DateTime.UtcNow), error);
            }
            return new MountCheckResult(MountGrader.Grade(pod, mounts, exec, null, _timeouts, _options, (int)watch.ElapsedMilliseconds, DateTime.UtcNow), null);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            var error = exception as MediaStackException ?? new MediaStackException(
                ErrorIds.PodExecFailed, ErrorCategory.NotSpecified,
                $"The mount check of pod {pod} failed: {exception.Message}", pod.Name, null, exception);
            var report = MountGrader.Grade(pod, mounts, null, error.Message, _timeouts, _options, (int)watch.ElapsedMilliseconds, DateTime.UtcNow);
            return new MountCheckResult(report, error);
        }
        finally
        {
            _slots.Release();
        }
    }

    private void Release()
    {
        if (Interlocked.Decrement(ref _pending) == 0)
        {
            _results.Writer.TryComplete();
        }
    }
}
