using System.Diagnostics;
using System.Text.RegularExpressions;

namespace MediaStack.Sandbox.Tests;

// The sandbox as a program: `up` prints where it is and writes kubeconfig + state file,
// `fault` and `down` find it through the state file, SIGTERM stops it cleanly.
public sealed class CliTests : IDisposable
{
    readonly string _folder = Directory.CreateTempSubdirectory("sandbox-cli-").FullName;
    readonly List<Process> _started = new();

    string Kubeconfig => Path.Combine(_folder, "kubeconfig");
    static string Program => Path.Combine(AppContext.BaseDirectory, "MediaStack.Sandbox.dll");

    Process Start(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Program);
        foreach (var a in args) start.ArgumentList.Add(a);
        var process = Process.Start(start)!;
        _started.Add(process);
        return process;
    }

    async Task<(int Exit, string Stdout, string Stderr)> RunToEnd(params string[] args)
    {
        using var process = Start(args);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, (await stdout).Trim(), (await stderr).Trim());
    }

    async Task<(Process Process, string Line)> Up()
    {
        var process = Start("up", "--scenario", "empty", "--kubeconfig", Kubeconfig, "--runtime", "host");
        var line = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60)) ?? "";
        _ = process.StandardError.ReadToEndAsync();
        return (process, line);
    }

    [Fact]
    public async Task Up_fault_and_down_work_through_the_state_file()
    {
        var (process, line) = await Up();
        Assert.Matches(@"^sandbox: up at https://127\.0\.0\.1:\d+ \(pid \d+, openshift, runtime host, scenario empty\); kubeconfig ", line);
        Assert.True(File.Exists(Kubeconfig + ".sandbox.json"));
        var config = await File.ReadAllTextAsync(Kubeconfig);
        Assert.Contains("current-context: \"sandbox\"", config);
        Assert.Contains("namespace: \"media-stack\"", config);
        if (!OperatingSystem.IsWindows())
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Kubeconfig));

        var kubectl = new Kubectl(Kubeconfig, Path.Combine(_folder, "cache"));
        var ns = await kubectl.Run("get", "ns", "media-stack", "-o", "name");
        Assert.Equal("namespace/media-stack", ns.Stdout);

        var fault = await RunToEnd("fault", "api-error", "status=500", "path=/api/v1/namespaces/default/configmaps", "count=1", "--kubeconfig", Kubeconfig);
        Assert.True(fault.Exit == 0, fault.Stderr);
        Assert.Matches("^f1: api-error: HTTP 500 on paths containing \"/api/v1/namespaces/default/configmaps\", 1 time\\(s\\)$", fault.Stdout);
        var failing = await kubectl.Run("get", "cm", "-n", "default");
        Assert.Equal(1, failing.Exit);
        Assert.Contains("Internal error occurred: injected fault", failing.Stderr);
        Assert.Equal(0, (await kubectl.Run("get", "cm", "-n", "default")).Exit);

        var down = await RunToEnd("down", "--kubeconfig", Kubeconfig);
        Assert.True(down.Exit == 0, down.Stderr);
        Assert.Equal($"sandbox: stopped (pid {process.Id})", down.Stdout);
        Assert.True(process.HasExited);
        Assert.Equal(0, process.ExitCode);
        Assert.False(File.Exists(Kubeconfig + ".sandbox.json"));

        var again = await RunToEnd("down", "--kubeconfig", Kubeconfig);
        Assert.Equal(1, again.Exit);
        Assert.Contains("no sandbox is running", again.Stderr);
    }

    [Fact]
    public async Task Sigterm_stops_the_server_and_removes_the_state_file()
    {
        var (process, line) = await Up();
        Assert.StartsWith("sandbox: up at https://127.0.0.1:", line);
        using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString()])) await kill.WaitForExitAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await process.WaitForExitAsync(timeout.Token);
        Assert.Equal(0, process.ExitCode);
        Assert.False(File.Exists(Kubeconfig + ".sandbox.json"));
    }

    [Fact]
    public async Task Bad_arguments_are_refused_with_a_sentence()
    {
        var missing = await RunToEnd("up", "--scenario", "no-such-scenario", "--kubeconfig", Kubeconfig);
        Assert.Equal(2, missing.Exit);
        Assert.Matches(new Regex("^sandbox: no scenario file \"no-such-scenario\" and no built-in scenario of that name \\(built-in: .*empty.*\\)$"), missing.Stderr);
        var scenario = Path.Combine(_folder, "broken.yaml");
        await File.WriteAllTextAsync(scenario, "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: Not_Valid\n");
        var broken = await RunToEnd("up", "--scenario", scenario, "--kubeconfig", Kubeconfig, "--runtime", "host");
        Assert.Equal(2, broken.Exit);
        Assert.StartsWith("sandbox: scenario document 1 (ConfigMap Not_Valid): ConfigMap \"Not_Valid\" is invalid: metadata.name: Invalid value: \"Not_Valid\"", broken.Stderr);
        Assert.False(File.Exists(Kubeconfig + ".sandbox.json"));
        var usage = await RunToEnd("frobnicate");
        Assert.Equal(2, usage.Exit);
        Assert.StartsWith("usage:", usage.Stderr);
    }

    public void Dispose()
    {
        foreach (var p in _started)
        {
            try { if (!p.HasExited) p.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            p.Dispose();
        }
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { }
    }
}
