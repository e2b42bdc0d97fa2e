using MediaStack.Core.Cluster;
using MediaStack.Core.Errors;
using MediaStack.Core.Pods;
using MediaStack.Core.Probes;
using MediaStack.Core.Tests.Pods;

namespace MediaStack.Core.Tests.Probes;

public class MountCheckRunnerTests
{
    internal static MediaPod Pod(string name, Dictionary<string, string>? waiting = null) => MediaPodFactory.FromJson(PodJson.Pod(
        name, ["rclone-zurg", "rclone-torbox", "plex"], appLabel: "plex", args: PodJson.SeedArgs, waiting: waiting), MountGraderTests.Config);

    internal const string Healthy = "probe\t1\ttimeout\tnew\nm\t0\tfstype\tfuse.rclone\nm\t0\tstat_rc\t0\nm\t0\tlist_rc\t0\nm\t0\tcount\t2000\nm\t1\tfstype\tfuse.rclone\nm\t1\tstat_rc\t0\nm\t1\tlist_rc\t0\nm\t1\tcount\t20\nend\n";

    // Answers after a delay, counts how many execs run at once, and fails or hangs on cue.
    private sealed class FakeExec(TimeSpan delay) : IPodExec
    {
        private int _running;

        public int MaxConcurrent;

        public readonly List<(ExecTarget Target, IReadOnlyList<string> Command)> Calls = [];

        public async Task<ExecResult> ExecAsync(ExecTarget target, IReadOnlyList<string> command, TimeSpan timeout, CancellationToken ct)
        {
            var now = Interlocked.Increment(ref _running);
            InterlockedMax(ref MaxConcurrent, now);
            lock (Calls)
            {
                Calls.Add((target, command));
            }
            try
            {
                if (target.Pod.StartsWith("forbidden"))
                {
                    throw new MediaStackException(ErrorIds.ClusterForbidden, ErrorCategory.PermissionDenied, "Permission denied (403)", target.Pod);
                }
                using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
                deadline.CancelAfter(timeout);
                try
                {
                    await Task.Delay(target.Pod.StartsWith("hung") ? Timeout.InfiniteTimeSpan : delay, deadline.Token);
                }
                catch (OperationCanceledException) when (!ct.IsCancellationRequested)
                {
                    return new ExecResult(null, "", "", true);
                }
                return new ExecResult(0, Healthy, "", false);
            }
            finally
            {
                Interlocked.Decrement(ref _running);
            }
        }

        private static void InterlockedMax(ref int target, int value)
        {
            int seen;
            while (value > (seen = Volatile.Read(ref target)) && Interlocked.CompareExchange(ref target, value, seen) != seen)
            {
            }
        }
    }

    private static async Task<List<MountCheckResult>> RunAsync(IPodExec exec, IEnumerable<MediaPod> pods, MountCheckOptions options, CancellationToken ct = default)
    {
        var runner = new MountCheckRunner(exec, options, ct);
        foreach (var pod in pods)
        {
            runner.Add(pod);
        }
        runner.Complete();
        var results = new List<MountCheckResult>();
        await foreach (var result in runner.Results.ReadAllAsync(ct))
        {
            results.Add(result);
        }
        return results;
    }

    [Fact]
    public async Task Runs_pods_in_parallel_up_to_the_throttle_limit()
    {
        var exec = new FakeExec(TimeSpan.FromMilliseconds(200));
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var results = await RunAsync(exec, Enumerable.Range(0, 12).Select(i => Pod($"plex-{i}")), new MountCheckOptions(ThrottleLimit: 4));

        Assert.Equal(12, results.Count);
        Assert.Equal(4, exec.MaxConcurrent);
        Assert.All(results, result => Assert.Equal(MountHealth.OK, result.Report.Status));
        // Never more than four at once (above), so three waves of 200 ms at least. How much
        // faster than twelve in sequence is a benchmark's question (MountCheck.Bench.ps1).
        Assert.True(watch.ElapsedMilliseconds >= 550, $"took {watch.ElapsedMilliseconds} ms");
    }

    [Fact]
    public async Task A_failing_pod_and_a_hung_pod_do_not_stop_the_others()
    {
        var exec = new FakeExec(TimeSpan.FromMilliseconds(20));
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var results = await RunAsync(exec, [Pod("forbidden-1"), Pod("hung-1"), Pod("plex-1")], new MountCheckOptions(TimeoutSec: 2));

        var byName = results.ToDictionary(result => result.Report.Name);
        Assert.Equal(MountHealth.OK, byName["plex-1"].Report.Status);
        Assert.Equal(ErrorIds.ClusterForbidden, byName["forbidden-1"].Error?.ErrorId);
        Assert.Equal(MountHealth.FAIL, byName["forbidden-1"].Report.Status);
        Assert.Equal(MountHealth.TIMEOUT, byName["hung-1"].Report.Status);
        Assert.Null(byName["hung-1"].Error);
        // The hung pod is cut at TimeoutSec plus the one-second margin (slack for a busy machine).
        Assert.InRange(watch.Elapsed.TotalSeconds, 2.9, 8);
    }

    [Fact]
    public async Task Cancellation_stops_at_once()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        var exec = new FakeExec(TimeSpan.FromSeconds(30));
        var watch = System.Diagnostics.Stopwatch.StartNew();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => RunAsync(exec, [Pod("plex-1"), Pod("plex-2")], new MountCheckOptions(TimeoutSec: 60), cts.Token));

        // Far below the 30 s each exec would take (slack for a busy machine).
        Assert.InRange(watch.ElapsedMilliseconds, 250, 10_000);
    }

    [Fact]
    public void A_throttle_limit_below_one_is_refused()
    {
        var error = Assert.Throws<MediaStackException>(() => new MountCheckRunner(new FakeExec(TimeSpan.Zero), new MountCheckOptions(ThrottleLimit: 0), default));

        Assert.Equal((ErrorIds.InvalidThrottleLimit, "ThrottleLimit must be at least 1 (got 0)."), (error.ErrorId, error.Message));
    }

    [Fact]
    public async Task The_exec_runs_in_the_app_container_and_checks_only_the_served_mounts_asked_for()
    {
        var exec = new FakeExec(TimeSpan.Zero);
        var pod = Pod("plex-1");
        var runner = new MountCheckRunner(exec, new MountCheckOptions { Mounts = ["torbox"] }, default);

        var command = runner.CommandFor(pod);
        var results = await RunAsync(exec, [pod], new MountCheckOptions { Mounts = ["torbox"] });

        Assert.Equal(MountProbeScript.Command([new MountProbeTarget("torbox", "/mnt/media/torbox", "torrents", 10, 0)], runner.Timeouts, MountCheckOptions.DefaultMaxEntries), command);
        var call = Assert.Single(exec.Calls);
        Assert.Equal(new ExecTarget("media-stack", "plex-1", "plex"), call.Target);
        Assert.Equal(command, call.Command);
        // The healthy answer's first mount is the one mount sent.
        Assert.Equal("torbox=OK (2000)", Assert.Single(results).Report.Summary);
    }

    [Fact]
    public async Task Pods_that_cannot_be_looked_into_are_graded_without_an_exec()
    {
        var exec = new FakeExec(TimeSpan.Zero);
        var crashing = Pod("plex-crash", waiting: new() { ["plex"] = "CrashLoopBackOff" });
        var bare = MediaPodFactory.FromJson(PodJson.Pod("bazarr-1", ["bazarr"], appLabel: "bazarr"), MountGraderTests.Config);

        var results = (await RunAsync(exec, [crashing, bare], new MountCheckOptions())).ToDictionary(result => result.Report.Name);

        Assert.Empty(exec.Calls);
        Assert.Equal(MountHealth.NOTREADY, results["plex-crash"].Report.Status);
        Assert.Equal(MountHealth.NOSIDECAR, results["bazarr-1"].Report.Status);
        Assert.All(results.Values, result => Assert.Null(result.Error));
    }
}
