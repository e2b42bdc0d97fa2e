using System.Runtime.InteropServices;
using MediaStack.Sandbox.Hosting;
using MediaStack.Sandbox.Node;
using MediaStack.Sandbox.Scenarios;

namespace MediaStack.Sandbox.Cli;

// up --scenario <file|name> --kubeconfig <path> [--runtime linux|host] [--port N]
public static class UpCommand
{
    public static async Task<int> Run(Arguments args)
    {
        var kubeconfig = Path.GetFullPath(args.Require("kubeconfig"));
        var scenarioPath = Scenario.Resolve(args.Get("scenario") ?? "empty");
        var port = int.TryParse(args.Get("port"), out var p) ? p : 0;

        if (StateFile.Read(kubeconfig) is { } existing && ProcessAlive(existing.Pid))
        {
            Console.Error.WriteLine($"sandbox: a sandbox (pid {existing.Pid}) already serves {kubeconfig}; stop it with: down --kubeconfig \"{kubeconfig}\"");
            return 1;
        }

        var scenario = Scenario.Parse(await File.ReadAllTextAsync(scenarioPath));
        var choice = RuntimeCatalog.Choose(args.Get("runtime"), scenario.NeedsFuse);
        if (choice.Warning is not null) Console.Error.WriteLine($"sandbox: {choice.Warning}");

        using var stop = new CancellationTokenSource();
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stop.Cancel(); });
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; stop.Cancel(); });

        var server = await SandboxServer.StartAsync(new SandboxOptions(scenario, kubeconfig, choice.Runtime, choice.Name, port), stop.Token);
        await using (server)
        {
            Console.WriteLine($"sandbox: up at {server.Url} (pid {Environment.ProcessId}, {scenario.Mode.ToString().ToLowerInvariant()}, runtime {choice.Name}, scenario {Path.GetFileNameWithoutExtension(scenarioPath)}); kubeconfig {kubeconfig}");
            Console.Out.Flush();
            try { await server.ShutdownRequested.WaitAsync(stop.Token); }
            catch (OperationCanceledException) { }
        }
        Console.Error.WriteLine("sandbox: stopped");
        return 0;
    }

    public static bool ProcessAlive(int pid)
    {
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException) { return false; }
        catch (InvalidOperationException) { return false; }
    }
}
