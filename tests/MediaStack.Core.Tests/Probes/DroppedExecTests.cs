using MediaStack.Core.Cluster;
using MediaStack.Core.Errors;
using MediaStack.Core.Probes;

namespace MediaStack.Core.Tests.Probes;

// An exec cut off mid-stream: tried once more; cut off again, that pod alone fails with the
// reason and every other pod is graded.
public class DroppedExecTests
{
    // Drops the first `drops` execs of each pod whose name starts with "flaky", and every
    // exec of a pod whose name starts with "cut".
    private sealed class DroppingExec(int drops) : IPodExec
    {
        private readonly Dictionary<string, int> _calls = [];

        public int Calls(string pod)
        {
            lock (_calls)
            {
                return _calls.GetValueOrDefault(pod);
            }
        }

        public Task<ExecResult> ExecAsync(ExecTarget target, IReadOnlyList<string> command, TimeSpan timeout, CancellationToken ct)
        {
            int call;
            lock (_calls)
            {
                call = _calls[target.Pod] = _calls.GetValueOrDefault(target.Pod) + 1;
            }
            var drop = target.Pod.StartsWith("cut", StringComparison.Ordinal) || (target.Pod.StartsWith("flaky", StringComparison.Ordinal) && call <= drops);
            return Task.FromResult(drop
                ? new ExecResult(null, "p", "", false, "the exec connection was cut off after 1 bytes of output") { Dropped = true }
                : new ExecResult(0, MountCheckRunnerTests.Healthy, "", false));
        }
    }

    private static async Task<Dictionary<string, MountCheckResult>> Run(IPodExec exec, params string[] pods)
    {
        var runner = new MountCheckRunner(exec, new MountCheckOptions(TimeoutSec: 5), CancellationToken.None);
        foreach (var pod in pods)
        {
            runner.Add(MountCheckRunnerTests.Pod(pod));
        }
        runner.Complete();
        var results = new Dictionary<string, MountCheckResult>();
        await foreach (var result in runner.Results.ReadAllAsync())
        {
            results[result.Report.Name] = result;
        }
        return results;
    }

    [Fact]
    public async Task A_dropped_exec_is_tried_once_more_and_then_graded()
    {
        var exec = new DroppingExec(drops: 1);

        var results = await Run(exec, "flaky-1", "plex-1");

        Assert.Equal(2, exec.Calls("flaky-1"));
        Assert.Equal(1, exec.Calls("plex-1"));
        Assert.All(results.Values, result => Assert.Equal(MountHealth.OK, result.Report.Status));
        Assert.All(results.Values, result => Assert.Null(result.Error));
    }

    [Fact]
    public async Task Dropped_twice_fails_that_pod_with_the_reason_and_the_others_finish()
    {
        var exec = new DroppingExec(drops: 0);

        var results = await Run(exec, "cut-1", "plex-1", "plex-2");

        Assert.Equal(2, exec.Calls("cut-1"));
        var cut = results["cut-1"];
        Assert.Equal(MountHealth.FAIL, cut.Report.Status);
        Assert.All(cut.Report.Mounts, mount => Assert.Contains("cut off after 1 bytes", mount.Reason));
        Assert.Equal(ErrorIds.PodExecFailed, cut.Error!.ErrorId);
        Assert.Equal(ErrorCategory.ConnectionError, cut.Error.Category);
        Assert.False(ClusterErrors.IsTerminating(cut.Error));
        Assert.NotNull(cut.Error.RecommendedAction);
        Assert.Equal(MountHealth.OK, results["plex-1"].Report.Status);
        Assert.Equal(MountHealth.OK, results["plex-2"].Report.Status);
    }
}
