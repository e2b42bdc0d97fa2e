using System.Diagnostics;
using MediaStack.Core.Cluster;

namespace MediaStack.Core.Tests.Probes;

// Runs an exec command on this machine instead of in a pod: the probe script meets a real
// shell (dash or busybox ash), real directories and real timeouts.
internal sealed class LocalExec(string shell = "sh", string? extraPath = null) : IPodExec
{
    // The probe script is POSIX sh: these tests run where sh does (not on Windows, where a
    // contributor runs the rest with build.ps1 -Task Test -SkipSandbox).
    public static void SkipWithoutShell() =>
        Skip.If(OperatingSystem.IsWindows() || !File.Exists("/bin/sh"), "needs a POSIX sh (/bin/sh) to run the pod probe script locally");

    public async Task<ExecResult> ExecAsync(ExecTarget target, IReadOnlyList<string> command, TimeSpan timeout, CancellationToken ct)
    {
        var start = new ProcessStartInfo { RedirectStandardOutput = true, RedirectStandardError = true };
        var words = command.ToList();
        if (words[0] == "sh")
        {
            words.RemoveAt(0);
            foreach (var part in shell.Split(' ').Reverse())
            {
                words.Insert(0, part);
            }
        }
        start.FileName = words[0];
        foreach (var word in words.Skip(1))
        {
            start.ArgumentList.Add(word);
        }
        if (extraPath is not null)
        {
            start.Environment["PATH"] = extraPath + ":" + Environment.GetEnvironmentVariable("PATH");
        }
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            ct.ThrowIfCancellationRequested();
            return new ExecResult(null, "", "", TimedOut: true);
        }
        return new ExecResult(process.ExitCode, await stdout, await stderr, false);
    }
}
