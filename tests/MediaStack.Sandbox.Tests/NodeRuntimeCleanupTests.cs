using System.Diagnostics;
using MediaStack.Sandbox.Node.Linux;

namespace MediaStack.Sandbox.Tests;

// Stopping the sandbox, or SIGKILLing it, leaves no FUSE mount, no namespace process and no
// directory behind: everything lives in the node namespace, which dies with its pid 1.
public sealed class NodeRuntimeCleanupTests
{
    static void SkipUnlessAvailable() => Skip.If(Availability.Reason is not null, Availability.Reason);

    static List<int> Descendants(int pid)
    {
        var all = new List<int>();
        var queue = new Queue<int>([pid]);
        while (queue.Count > 0)
        {
            var p = queue.Dequeue();
            // Children are listed per thread that forked them.
            string children;
            try { children = string.Join(' ', Directory.GetDirectories($"/proc/{p}/task").Select(t => File.ReadAllText($"{t}/children"))); }
            catch (IOException) { continue; }
            foreach (var c in children.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse)) { all.Add(c); queue.Enqueue(c); }
        }
        return all;
    }

    static string CommandLine(int pid)
    {
        try { return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' '); } catch (IOException) { return ""; }
    }

    static bool Alive(int pid)
    {
        try { return !File.ReadAllText($"/proc/{pid}/stat").Contains(") Z "); } catch (IOException) { return false; }
    }

    // The node's mount namespace, checked to hold FUSE mounts while it runs.
    static async Task<string> NodeMountNamespace(int node)
    {
        await NodeRuntimeTestHost.WaitForAsync(() => File.ReadAllText($"/proc/{node}/mounts").Contains("fuse.rclone"), TimeSpan.FromSeconds(30),
            () => "no FUSE mount in the node: " + File.ReadAllText($"/proc/{node}/mounts"));
        Assert.DoesNotContain("mediastack-node", File.ReadAllText("/proc/self/mounts"));
        return new FileInfo($"/proc/{node}/ns/mnt").LinkTarget!;
    }

    // Every process is gone, and no process on the machine is left in the node's mount
    // namespace: with it went every mount made in it (FUSE included) and its tmpfs.
    // Clock ticks since boot (USER_HZ is 100 on Linux), comparable to a process's start time.
    static long UptimeTicks() => (long)(double.Parse(File.ReadAllText("/proc/uptime").Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture) * 100);

    static long StartTicks(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        return long.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[19]);
    }

    // A namespace inode can be reused by a namespace created later (other runtimes run in
    // parallel), so only processes older than the stop count as left behind.
    static async Task AssertGoneAsync(IReadOnlyList<int> pids, string mountNamespace, long stoppedAt)
    {
        await NodeRuntimeTestHost.WaitForAsync(() => pids.All(p => !Alive(p)), TimeSpan.FromSeconds(15),
            () => "still alive: " + string.Join(", ", pids.Where(Alive).Select(p => $"{p} {CommandLine(p)}")));
        List<int> InNamespace() => Directory.GetDirectories("/proc").Select(d => Path.GetFileName(d)).Where(d => d.All(char.IsAsciiDigit)).Select(int.Parse)
            .Where(p => { try { return Alive(p) && new FileInfo($"/proc/{p}/ns/mnt").LinkTarget == mountNamespace && StartTicks(p) <= stoppedAt; } catch (IOException) { return false; } })
            .ToList();
        // Launchers started after the snapshot (an exec probe's nsenter) exit once their child is killed.
        await NodeRuntimeTestHost.WaitForAsync(() => InNamespace().Count == 0, TimeSpan.FromSeconds(15),
            () => "still in the node's mount namespace: " + string.Join(", ", InNamespace().Select(p => $"{p} {CommandLine(p)}")));
    }

    [SkippableFact]
    public async Task Disposing_the_runtime_leaves_no_process_mount_or_directory()
    {
        SkipUnlessAvailable();
        var host = new NodeRuntimeTestHost();
        await host.LoadAsync(await File.ReadAllTextAsync(NodeRuntimeTestHost.ScenarioPath()), CancellationToken.None);
        await host.StartAsync("rclone-zurg");
        await NodeRuntimeTestHost.WaitForAsync(() => host.Runtime.ReadLog("media-stack", "rclone-zurg-x1", "rclone", false) is not null
            && host.ExecAsync("media-stack", "rclone-zurg-x1", "rclone", "grep", "-q", "fuse.rclone", "/proc/self/mountinfo").Result.Code == 0,
            TimeSpan.FromSeconds(45), () => host.Describe("media-stack", "rclone-zurg-x1"));
        // Only this runtime's processes (other runtimes may run in this test process): the
        // node's launcher and pid 1, and every nsenter into it, with their descendants.
        var node = host.Runtime.NodePid!.Value;
        var roots = Descendants(Environment.ProcessId).Where(p => p == node || Descendants(p).Contains(node) || CommandLine(p).Contains($" -t {node} ")).ToList();
        var processes = roots.Concat(roots.SelectMany(Descendants)).Distinct().ToList();
        Assert.NotEmpty(processes);
        var mountNamespace = await NodeMountNamespace(node);

        var stoppedAt = UptimeTicks();
        await host.DisposeAsync();
        await AssertGoneAsync(processes, mountNamespace, stoppedAt);
    }

    // `up --runtime linux` with the media-stack scenario, once some rclone mount runs in its
    // node: the sandbox, its processes and the node's mount namespace.
    static async Task<(Process Sandbox, List<int> Processes, string MountNamespace)> UpWithMountsAsync(string folder)
    {
        var psi = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "MediaStack.Sandbox.dll"), "up",
            "--scenario", "media-stack", "--kubeconfig", Path.Combine(folder, "kubeconfig"), "--runtime", "linux"])
        { RedirectStandardOutput = true, RedirectStandardError = true };
        var sandbox = Process.Start(psi)!;
        _ = sandbox.StandardError.ReadToEndAsync();
        using (var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60)))
        {
            string? line;
            do line = await sandbox.StandardOutput.ReadLineAsync(cts.Token);
            while (line is not null && !line.StartsWith("sandbox: up"));
            Assert.NotNull(line);
        }
        _ = sandbox.StandardOutput.ReadToEndAsync();
        List<int> processes = [];
        await NodeRuntimeTestHost.WaitForAsync(() =>
        {
            processes = Descendants(sandbox.Id);
            return processes.Any(p => Alive(p) && CommandLine(p).StartsWith("rclone mount"));
        }, TimeSpan.FromSeconds(45), () => "no rclone mount process under the sandbox: " + string.Join("; ", processes.Select(CommandLine)));
        var node = processes.Single(p => CommandLine(p).StartsWith("/bin/sh -c mount -t tmpfs -o mode=0755 mediastack-node"));
        return (sandbox, processes, await NodeMountNamespace(node));
    }

    static async Task WithSandboxAsync(Func<Process, List<int>, string, string, Task> test)
    {
        var folder = Directory.CreateTempSubdirectory("sandbox-stop-test-").FullName;
        Process? sandbox = null;
        try
        {
            (sandbox, var processes, var mountNamespace) = await UpWithMountsAsync(folder);
            await test(sandbox, processes, mountNamespace, folder);
        }
        finally
        {
            if (sandbox is { HasExited: false }) { sandbox.Kill(entireProcessTree: true); await sandbox.WaitForExitAsync(); }
            sandbox?.Dispose();
            try { Directory.Delete(folder, recursive: true); } catch (IOException) { }
        }
    }

    [SkippableFact]
    public async Task Sigkill_of_the_sandbox_process_leaves_no_process_or_mount()
    {
        SkipUnlessAvailable();
        await WithSandboxAsync(async (sandbox, processes, mountNamespace, _) =>
        {
            var stoppedAt = UptimeTicks();
            sandbox.Kill();
            await sandbox.WaitForExitAsync();
            await AssertGoneAsync(processes, mountNamespace, stoppedAt);
        });
    }

    [SkippableFact]
    public async Task Ctrl_C_stops_the_sandbox_in_a_few_seconds_with_nothing_left()
    {
        SkipUnlessAvailable();
        await WithSandboxAsync(async (sandbox, processes, mountNamespace, folder) =>
        {
            var stoppedAt = UptimeTicks();
            var watch = Stopwatch.StartNew();
            // What a terminal sends on Ctrl+C.
            Assert.Equal(0, Node.Linux.Native.kill(sandbox.Id, 2));
            using (var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30)))
            {
                await sandbox.WaitForExitAsync(cts.Token);
            }
            // About 2 s on a quiet machine; the bound leaves room for a shared, busy one.
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(15), $"stopping took {watch.Elapsed.TotalSeconds:0.0} s");
            Assert.Equal(0, sandbox.ExitCode);
            Assert.False(File.Exists(Path.Combine(folder, "kubeconfig.sandbox.json")));
            await AssertGoneAsync(processes, mountNamespace, stoppedAt);
        });
    }

    [SkippableFact]
    public async Task A_pod_stopped_while_it_starts_leaves_no_process_behind()
    {
        SkipUnlessAvailable();
        await using var host = new NodeRuntimeTestHost();
        await host.LoadAsync(await File.ReadAllTextAsync(NodeRuntimeTestHost.ScenarioPath()), CancellationToken.None);
        foreach (var delay in new[] { 0, 300, 800 })
        {
            var pod = await host.StartAsync("plex", $"stop{delay}");
            var uid = (string)pod["metadata"]!["uid"]!;
            await Task.Delay(delay);
            await host.Runtime.StopPodAsync("media-stack", $"plex-stop{delay}", uid, 1, CancellationToken.None);
            await NodeRuntimeTestHost.WaitForAsync(() => !Descendants(Environment.ProcessId).Any(p => CommandLine(p).Contains(uid)), TimeSpan.FromSeconds(15),
                () => "left: " + string.Join("; ", Descendants(Environment.ProcessId).Where(p => CommandLine(p).Contains(uid)).Select(CommandLine)));
            Assert.False(Directory.Exists($"/proc/{host.Runtime.NodePid}/root/tmp/pods/{uid}"));
        }
    }
}
