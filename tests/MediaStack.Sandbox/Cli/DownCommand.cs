using System.Net.Http;
using MediaStack.Sandbox.Hosting;

namespace MediaStack.Sandbox.Cli;

// down --kubeconfig <path>: asks the running sandbox to stop over its control endpoint
// and waits until its process is gone.
public static class DownCommand
{
    public static async Task<int> Run(Arguments args)
    {
        var kubeconfig = Path.GetFullPath(args.Require("kubeconfig"));
        var timeout = TimeSpan.FromSeconds(int.TryParse(args.Get("timeout"), out var t) ? t : 30);
        var state = StateFile.Read(kubeconfig);
        if (state is null)
        {
            Console.Error.WriteLine($"sandbox: no sandbox is running for {kubeconfig} (no state file)");
            return 1;
        }
        if (!UpCommand.ProcessAlive(state.Pid))
        {
            StateFile.Delete(kubeconfig);
            Console.Error.WriteLine($"sandbox: the sandbox (pid {state.Pid}) was already gone; state file removed");
            return 0;
        }
        using (var client = new ControlClient(state))
        {
            try
            {
                var (status, body) = await client.Send(HttpMethod.Post, "/sandbox/v1/shutdown");
                if (status != 202)
                {
                    Console.Error.WriteLine($"sandbox: shutdown refused ({status}): {body?["message"]}");
                    return 1;
                }
            }
            catch (HttpRequestException e)
            {
                Console.Error.WriteLine($"sandbox: cannot reach {state.Server}: {e.Message}");
                return 1;
            }
        }
        var deadline = DateTime.UtcNow + timeout;
        while (UpCommand.ProcessAlive(state.Pid))
        {
            if (DateTime.UtcNow > deadline)
            {
                Console.Error.WriteLine($"sandbox: pid {state.Pid} still running after {timeout.TotalSeconds:0} s");
                return 1;
            }
            await Task.Delay(100);
        }
        StateFile.Delete(kubeconfig);
        Console.WriteLine($"sandbox: stopped (pid {state.Pid})");
        return 0;
    }
}
