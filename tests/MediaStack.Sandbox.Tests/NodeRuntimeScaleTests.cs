using System.Diagnostics;
using System.Text.Json.Nodes;
using MediaStack.Sandbox.Node.Linux;
using Xunit.Abstractions;

namespace MediaStack.Sandbox.Tests;

// 40 pods of the scenario's shape (two rclone sidecars + app) on one node at once. Opt-in
// (MEDIASTACK_NODE_SCALE=1) because it loads the machine for a minute; the figures it prints
// are the ones in docs/performance.md ("Sandbox").
public sealed class NodeRuntimeScaleTests(ITestOutputHelper output)
{
    const string Ns = "media-stack";
    const int Pods = 40;

    [SkippableFact]
    public async Task Forty_pods_with_two_rclone_sidecars_each_run_at_once()
    {
        Skip.If(Availability.Reason is not null, Availability.Reason);
        Skip.If(Environment.GetEnvironmentVariable("MEDIASTACK_NODE_SCALE") != "1", "Set MEDIASTACK_NODE_SCALE=1 to run the 40-pod scale measurement.");
        await using var host = new NodeRuntimeTestHost();
        var load = Stopwatch.StartNew();
        await host.LoadAsync(await File.ReadAllTextAsync(NodeRuntimeTestHost.ScenarioPath()), CancellationToken.None);
        output.WriteLine($"backends up (25,000 + 60 entries generated, 2 rclone serve): {load.Elapsed.TotalSeconds:0.0} s");

        var availableBefore = MemAvailableKiB();
        var start = Stopwatch.StartNew();
        var names = new List<string>();
        for (var i = 0; i < Pods; i++)
        {
            var pod = host.PodFor("plex", $"s{i:D2}");
            var containers = (JsonArray)pod["spec"]!["containers"]!;
            containers.Remove(containers.Single(c => (string?)c!["name"] == "nginx"));
            await host.Runtime.StartPodAsync(pod, CancellationToken.None);
            names.Add((string)pod["metadata"]!["name"]!);
        }
        await NodeRuntimeTestHost.WaitForAsync(() => names.All(n => host.ContainerStatus(Ns, n, "plex")?["ready"]?.GetValue<bool>() == true
            && host.ContainerStatus(Ns, n, "rclone-zurg")?["ready"]?.GetValue<bool>() == true
            && host.ContainerStatus(Ns, n, "rclone-torbox")?["ready"]?.GetValue<bool>() == true),
            TimeSpan.FromSeconds(180), () => $"{names.Count(n => host.ContainerStatus(Ns, n, "plex")?["ready"]?.GetValue<bool>() == true)} of {Pods} ready");
        output.WriteLine($"{Pods} pods ready (startup probes passed, both mounts up): {start.Elapsed.TotalSeconds:0.0} s");

        foreach (var n in new[] { names[0], names[^1] })
        {
            var r = await host.ExecAsync(Ns, n, "plex", "sh", "-c", "grep -c fuse.rclone /proc/self/mountinfo; ls -A /mnt/media/zurg/__all__ | wc -l");
            Assert.Equal("2\n25000\n", r.Out);
        }

        var before = Sample();
        await Task.Delay(TimeSpan.FromSeconds(10));
        var after = Sample();
        var cpu = (after.CpuTicks - before.CpuTicks) / 100.0 / 10.0;
        output.WriteLine($"node processes: {after.Count} (rclone mount: {after.RcloneMounts}), PSS {after.RssKiB / 1024} MiB total, {after.RcloneRssKiB / 1024.0 / Math.Max(1, after.RcloneMounts):0.0} MiB per rclone mount");
        output.WriteLine($"machine MemAvailable dropped by {(availableBefore - MemAvailableKiB()) / 1024} MiB with the pods up");
        output.WriteLine($"idle CPU over 10 s: {cpu * 100:0.0}% of one core (node processes), sandbox process RSS {Process.GetCurrentProcess().WorkingSet64 / 1024 / 1024} MiB");
        Assert.Equal(2 * Pods, after.RcloneMounts);
    }

    sealed record Figures(int Count, int RcloneMounts, long RssKiB, long RcloneRssKiB, long CpuTicks);

    static Figures Sample()
    {
        var pids = Descendants(Environment.ProcessId);
        long rss = 0, rcloneRss = 0, ticks = 0;
        var mounts = 0;
        foreach (var p in pids)
        {
            try
            {
                // PSS: shared pages (the rclone binary, libc) split between their users.
                var rollup = File.ReadAllLines($"/proc/{p}/smaps_rollup");
                var kib = long.Parse(rollup.FirstOrDefault(l => l.StartsWith("Pss:"))?.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1] ?? "0");
                rss += kib;
                var cmd = File.ReadAllText($"/proc/{p}/cmdline").Replace('\0', ' ');
                if (cmd.StartsWith("rclone mount")) { mounts++; rcloneRss += kib; }
                var stat = File.ReadAllText($"/proc/{p}/stat");
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                ticks += long.Parse(fields[11]) + long.Parse(fields[12]);
            }
            catch (IOException) { }
        }
        return new Figures(pids.Count, mounts, rss, rcloneRss, ticks);
    }

    static long MemAvailableKiB() =>
        long.Parse(File.ReadAllLines("/proc/meminfo").First(l => l.StartsWith("MemAvailable:")).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]);

    static List<int> Descendants(int pid)
    {
        var all = new List<int>();
        var queue = new Queue<int>([pid]);
        while (queue.Count > 0)
        {
            var p = queue.Dequeue();
            try
            {
                // Children are listed per thread that forked them.
                foreach (var task in Directory.GetDirectories($"/proc/{p}/task"))
                    foreach (var c in File.ReadAllText($"{task}/children").Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse))
                    { all.Add(c); queue.Enqueue(c); }
            }
            catch (IOException) { }
        }
        return all;
    }
}
