using MediaStack.Core.Cluster;
using MediaStack.Core.Probes;

namespace MediaStack.Core.Tests.Probes;

// The probe script run by real shells on real directories.
public sealed class MountProbeScriptTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("mediastack-probe-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    public static TheoryData<string> Shells()
    {
        var shells = new TheoryData<string> { "sh" };
        if (File.Exists("/usr/bin/busybox") || File.Exists("/bin/busybox"))
        {
            shells.Add("busybox sh");
        }
        return shells;
    }

    private string MakeDirectory(string relative, int entries)
    {
        var path = Path.Combine(_root, relative);
        Directory.CreateDirectory(path);
        for (var i = 0; i < entries; i++)
        {
            File.WriteAllText(Path.Combine(path, $"entry {i}"), "");
        }
        return path;
    }

    private static async Task<ProbeReport> RunAsync(IPodExec exec, IReadOnlyList<MountProbeTarget> mounts, int timeoutSec = 6, int maxEntries = 1000)
    {
        var command = MountProbeScript.Command(mounts, ProbeTimeouts.For(timeoutSec), maxEntries);
        var result = await exec.ExecAsync(new ExecTarget("ns", "pod", "app"), command, TimeSpan.FromSeconds(20), CancellationToken.None);
        Assert.False(result.TimedOut);
        Assert.Equal(0, result.ExitCode);
        return ProbeReport.Parse(result.Stdout);
    }

    [SkippableTheory]
    [MemberData(nameof(Shells))]
    public async Task Counts_entries_and_reads_the_mount_table(string shell)
    {
        LocalExec.SkipWithoutShell();
        var mount = MakeDirectory("media/zurg", 0);
        MakeDirectory("media/zurg/__all__", 37);
        var report = await RunAsync(new LocalExec(shell), [
            new MountProbeTarget("zurg", mount, "__all__", 10, 1),
            new MountProbeTarget("proc", "/proc", "self", 0, 0),
        ]);

        Assert.True(report.Completed);
        Assert.Equal("background", report.TimeoutMode);
        var zurg = report.Mounts[0];
        Assert.Equal(37, zurg.Count);
        Assert.Equal(0, zurg.StatExitCode);
        Assert.Equal(0, zurg.ListExitCode);
        Assert.False(zurg.IsMounted);
        Assert.NotNull(zurg.LatencyMs);
        Assert.Equal("proc", report.Mounts[1].FsType);
    }

    [SkippableTheory]
    [MemberData(nameof(Shells))]
    public async Task Caps_the_count_at_one_above_the_limit(string shell)
    {
        LocalExec.SkipWithoutShell();
        var mount = MakeDirectory("big", 0);
        MakeDirectory("big/all", 120);
        var report = await RunAsync(new LocalExec(shell), [new MountProbeTarget("big", mount, "all", 10, 1)], maxEntries: 50);

        Assert.Equal(51, report.Mounts[0].Count);
    }

    [SkippableTheory]
    [MemberData(nameof(Shells))]
    public async Task Reports_missing_paths_with_the_shell_message(string shell)
    {
        LocalExec.SkipWithoutShell();
        var mount = MakeDirectory("present", 0);
        var report = await RunAsync(new LocalExec(shell), [
            new MountProbeTarget("gone", Path.Combine(_root, "absent"), "x", 1, 0),
            new MountProbeTarget("empty", mount, "torrents", 1, 0),
        ]);

        Assert.NotEqual(0, report.Mounts[0].StatExitCode);
        Assert.Contains("No such file or directory", report.Mounts[0].StatError);
        Assert.Equal(0, report.Mounts[1].StatExitCode);
        Assert.NotEqual(0, report.Mounts[1].ListExitCode);
        Assert.Contains("No such file or directory", report.Mounts[1].ListError);
    }

    [SkippableTheory]
    [MemberData(nameof(Shells))]
    public async Task A_path_with_quotes_and_command_substitution_runs_nothing(string shell)
    {
        LocalExec.SkipWithoutShell();
        var marker = Path.Combine(_root, "pwned");
        var hostile = $"it's \"$(touch {marker})\" `touch {marker}` $HOME; touch {marker}";
        var mount = MakeDirectory(hostile, 0);
        MakeDirectory(Path.Combine(hostile, "list"), 3);
        var report = await RunAsync(new LocalExec(shell), [new MountProbeTarget("evil", mount, "list", 1, 0)]);

        Assert.False(File.Exists(marker));
        Assert.Equal(3, report.Mounts[0].Count);
        Assert.Equal(0, report.Mounts[0].StatExitCode);
    }

    private string FakeCommand(string name, string body)
    {
        var bin = MakeDirectory("bin", 0);
        var fake = Path.Combine(bin, name);
        File.WriteAllText(fake, "#!/bin/sh\n" + body + "\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(fake, UnixFileMode.UserRead | UnixFileMode.UserExecute | UnixFileMode.UserWrite);
        }
        return bin;
    }

    [SkippableFact]
    public async Task A_hanging_stat_is_given_up_by_the_script_itself()
    {
        LocalExec.SkipWithoutShell();
        // A stat that never returns, like one on a hung FUSE mount (dash runs it from PATH).
        var bin = FakeCommand("stat", "exec sleep 60");
        var mount = MakeDirectory("hung", 1);
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var report = await RunAsync(new LocalExec("sh", bin), [new MountProbeTarget("hung", mount, "", 0, 0)], timeoutSec: 4);

        Assert.Equal(137, report.Mounts[0].StatExitCode);
        Assert.InRange(watch.Elapsed.TotalSeconds, 0.9, 4);
    }

    [SkippableFact]
    public async Task Without_a_writable_temp_directory_it_falls_back_to_timeout()
    {
        LocalExec.SkipWithoutShell();
        // mktemp fails (a read-only image); a hung stat is then killed by `timeout`.
        var bin = FakeCommand("mktemp", "exit 1");
        File.WriteAllText(Path.Combine(bin, "stat"), "#!/bin/sh\nexec sleep 60\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(Path.Combine(bin, "stat"), UnixFileMode.UserRead | UnixFileMode.UserExecute | UnixFileMode.UserWrite);
        }
        var mount = MakeDirectory("readonly", 0);
        MakeDirectory("readonly/list", 7);
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var report = await RunAsync(new LocalExec("sh", bin), [new MountProbeTarget("ro", mount, "list", 0, 0)], timeoutSec: 4);

        Assert.Equal("new", report.TimeoutMode);
        Assert.Equal(137, report.Mounts[0].StatExitCode);
        Assert.InRange(watch.Elapsed.TotalSeconds, 0.9, 4);
    }

    [SkippableFact]
    public async Task Without_a_writable_temp_directory_counts_still_work()
    {
        LocalExec.SkipWithoutShell();
        var bin = FakeCommand("mktemp", "exit 1");
        var mount = MakeDirectory("plain", 0);
        MakeDirectory("plain/list", 7);
        var report = await RunAsync(new LocalExec("sh", bin), [new MountProbeTarget("ro", mount, "list", 0, 0)]);

        Assert.Equal("new", report.TimeoutMode);
        Assert.Equal(7, report.Mounts[0].Count);
        Assert.Equal(0, report.Mounts[0].ListExitCode);
    }

    [SkippableFact]
    public async Task A_listing_that_cannot_be_killed_does_not_hold_the_exec()
    {
        LocalExec.SkipWithoutShell();
        // A process blocked in a FUSE call outlives SIGKILL and keeps its pipe open; here a
        // child of the fake ls plays that part. The script must return without waiting.
        var bin = FakeCommand("ls", "sleep 30 &\nexec sleep 30");
        var mount = MakeDirectory("stuck", 0);
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var report = await RunAsync(new LocalExec("sh", bin), [new MountProbeTarget("stuck", mount, "", 0, 0)], timeoutSec: 4);

        Assert.True(report.Completed);
        Assert.Equal(0, report.Mounts[0].StatExitCode);
        Assert.Equal(137, report.Mounts[0].ListExitCode);
        Assert.InRange(watch.Elapsed.TotalSeconds, 0.9, 5);
    }

    [Fact]
    public void Mount_table_escapes_match_the_kernel()
    {
        Assert.Equal(@"/mnt/my\040media\011x\134y", MountProbeScript.MountInfoEscape("/mnt/my media\tx\\y"));
    }

    [Fact]
    public void Paths_travel_as_arguments_never_in_the_script()
    {
        var command = MountProbeScript.Command([new MountProbeTarget("zurg", "/mnt/media/zurg/", "__all__", 1000, 100)], ProbeTimeouts.For(10), 100000);

        Assert.Equal(["sh", "-c", MountProbeScript.Script, "mediastack-probe", "2", "6", "100000", "/mnt/media/zurg", "/mnt/media/zurg", "/mnt/media/zurg/__all__"], command);
        Assert.DoesNotContain("/mnt/media", MountProbeScript.Script);
    }
}
