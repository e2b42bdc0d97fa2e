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

    private static async Task<ProbeReport> RunAsync(IPodExec exec, IReadOnlyList<MountProbeTarget> mounts, int timeoutSec = 6, int maxEntries = 1000, bool deep = false)
    {
        var command = MountProbeScript.Command(mounts, ProbeTimeouts.For(timeoutSec, deep), maxEntries);
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

    [Theory]
    [MemberData(nameof(Shells))]
    public async Task The_deep_read_takes_the_first_bytes_of_one_file_below_the_probe_directory(string shell)
    {
        var mount = MakeDirectory("deep", 0);
        var movie = MakeDirectory("deep/__all__/Some Movie (2020)", 0);
        File.WriteAllBytes(Path.Combine(movie, "movie.mkv"), new byte[10_000]);
        var report = await RunAsync(new LocalExec(shell), [new MountProbeTarget("zurg", mount, "__all__", 0, 0)], deep: true);

        var zurg = report.Mounts[0];
        Assert.Equal(1, zurg.Count);
        Assert.Equal(0, zurg.ReadExitCode);
        Assert.Equal(MountProbeScript.DeepReadBytes, zurg.ReadBytes);
        Assert.Equal(Path.Combine(movie, "movie.mkv"), zurg.ReadFile);
        Assert.NotNull(zurg.ReadLatencyMs);
    }

    [Theory]
    [MemberData(nameof(Shells))]
    public async Task Without_deep_nothing_is_read_and_an_empty_tree_has_nothing_to_read(string shell)
    {
        var mount = MakeDirectory("shallow", 0);
        MakeDirectory("shallow/list/a/b", 0);
        var plain = await RunAsync(new LocalExec(shell), [new MountProbeTarget("m", mount, "list", 0, 0)]);
        var deep = await RunAsync(new LocalExec(shell), [new MountProbeTarget("m", mount, "list", 0, 0)], deep: true);

        Assert.Null(plain.Mounts[0].ReadExitCode);
        Assert.False(plain.Mounts[0].NothingToRead);
        Assert.True(deep.Mounts[0].NothingToRead);
        Assert.Null(deep.Mounts[0].ReadFile);
    }

    [Fact]
    public async Task The_deep_read_lists_the_big_probe_directory_only_once()
    {
        // __all__ can hold 25,000 entries: the read starts from the name the count kept.
        var log = Path.Combine(_root, "ls.log");
        var bin = FakeCommand("ls", $"echo \"$*\" >>'{log}'\nexec /bin/ls \"$@\"");
        var mount = MakeDirectory("once", 0);
        File.WriteAllText(Path.Combine(MakeDirectory("once/__all__/a", 0), "a.mkv"), "x");
        MakeDirectory("once/__all__/b", 0);
        var report = await RunAsync(new LocalExec("sh", bin), [new MountProbeTarget("m", mount, "__all__", 0, 0)], deep: true);

        Assert.Equal(2, report.Mounts[0].Count);
        Assert.EndsWith("__all__/a/a.mkv", report.Mounts[0].ReadFile);
        var listings = File.ReadAllLines(log);
        Assert.Single(listings, line => line.EndsWith("/__all__", StringComparison.Ordinal));
        Assert.Single(listings, line => line.EndsWith("/__all__/a", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_read_that_hangs_is_given_up_and_one_that_fails_says_why()
    {
        // head -c plays a read stuck at a hung backend, then one that gets EIO; `head -n`
        // (the listing's cap) stays the real one.
        var mount = MakeDirectory("reads", 0);
        File.WriteAllText(Path.Combine(MakeDirectory("reads/all/x", 0), "file"), "data");
        var hung = FakeCommand("head", "case $1 in -c) exec sleep 60 ;; esac\nexec /usr/bin/head \"$@\"");
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var report = await RunAsync(new LocalExec("sh", hung), [new MountProbeTarget("m", mount, "all", 0, 0)], timeoutSec: 8, deep: true);
        watch.Stop();

        Assert.Equal(1, report.Mounts[0].Count);
        Assert.Equal(137, report.Mounts[0].ReadExitCode);
        Assert.EndsWith("x/file", report.Mounts[0].ReadFile);
        Assert.InRange(watch.Elapsed.TotalSeconds, 1.5, 8);

        var failing = FakeCommand("head", "case $1 in -c) echo \"head: $3: Input/output error\" >&2; exit 1 ;; esac\nexec /usr/bin/head \"$@\"");
        report = await RunAsync(new LocalExec("sh", failing), [new MountProbeTarget("m", mount, "all", 0, 0)], deep: true);
        Assert.Equal(1, report.Mounts[0].ReadExitCode);
        Assert.Contains("Input/output error", report.Mounts[0].ReadError);
    }

    [Fact]
    public async Task Without_a_writable_temp_directory_the_deep_read_still_works()
    {
        var bin = FakeCommand("mktemp", "exit 1");
        var mount = MakeDirectory("fallback", 0);
        File.WriteAllText(Path.Combine(MakeDirectory("fallback/all/one", 0), "f.mkv"), "abc");
        var report = await RunAsync(new LocalExec("sh", bin), [new MountProbeTarget("m", mount, "all", 0, 0)], deep: true);

        Assert.Equal("new", report.TimeoutMode);
        Assert.Equal(0, report.Mounts[0].ReadExitCode);
        Assert.EndsWith("one/f.mkv", report.Mounts[0].ReadFile);
    }

    [Fact]
    public void The_exec_url_stays_well_below_the_8_kb_request_line_limit_of_proxies()
    {
        // The command travels as query parameters of the exec URL, escaped. kube-apiserver
        // takes 1 MB, but proxies in front of it (and Kestrel) stop at 8 KB for the request
        // line: three mounts with long paths and the deep read must leave room for the rest.
        var mounts = Enumerable.Range(0, 3).Select(i => new MountProbeTarget($"remote{i}", $"/mnt/media/a-fairly-long-remote-name-{i}", "__all__", 1000, 100)).ToList();
        var command = MountProbeScript.Command(mounts, ProbeTimeouts.For(20, deep: true), 100000);
        var query = string.Join("&", command.Select(word => "command=" + Uri.EscapeDataString(word)));

        Assert.InRange(query.Length, 1000, 7600);
        Assert.DoesNotContain("\n# ", MountProbeScript.CompactScript);
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

        Assert.Equal(["sh", "-c", MountProbeScript.CompactScript, "mediastack-probe", "2", "6", "100000", "0", "4096", "/mnt/media/zurg", "/mnt/media/zurg", "/mnt/media/zurg/__all__"], command);
        var deep = MountProbeScript.Command([new MountProbeTarget("zurg", "/mnt/media/zurg/", "__all__", 1000, 100)], ProbeTimeouts.For(20, deep: true), 100000);
        Assert.Equal(["4", "9", "100000", "5", "4096"], deep.Skip(4).Take(5));
        Assert.DoesNotContain("/mnt/media", MountProbeScript.Script);
    }
}
