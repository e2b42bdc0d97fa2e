using System.Diagnostics;

namespace MediaStack.Sandbox.Tests;

// The real kubectl (from PATH; where several versions are installed, the dispatcher that
// picks one by the server's minor version) against a sandbox kubeconfig, with a cache
// folder of its own.
public sealed class Kubectl(string kubeconfig, string cacheDir)
{
    public const string Binary = "kubectl";

    public sealed record Result(int Exit, string Stdout, string Stderr)
    {
        public override string ToString() => $"exit {Exit}\n--- stdout\n{Stdout}\n--- stderr\n{Stderr}";
    }

    public async Task<Result> Run(params string[] args) => await RunWithInput(null, args);

    public async Task<Result> RunWithInput(string? stdin, params string[] args)
    {
        var start = new ProcessStartInfo(Binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("--kubeconfig");
        start.ArgumentList.Add(kubeconfig);
        foreach (var a in args) start.ArgumentList.Add(a);
        start.Environment["KUBECACHEDIR"] = cacheDir;
        start.Environment.Remove("KUBECONFIG");
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (stdin is not null) await process.StandardInput.WriteAsync(stdin);
        process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try { await process.WaitForExitAsync(timeout.Token); }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"kubectl {string.Join(' ', args)} did not finish in 60 s");
        }
        return new Result(process.ExitCode, (await stdout).TrimEnd('\n'), (await stderr).TrimEnd('\n'));
    }
}
