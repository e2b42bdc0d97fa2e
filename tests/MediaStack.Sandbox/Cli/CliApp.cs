namespace MediaStack.Sandbox.Cli;

public static class CliApp
{
    const string Usage = """
        usage:
          up    --scenario <file|media-stack|empty> --kubeconfig <path> [--runtime linux|host] [--port N]
          down  --kubeconfig <path> [--timeout seconds]
          fault <name> [key=value ...] --kubeconfig <path>
                API faults: api-error [status= path= method= count= retryAfter=], throttle [path= retryAfter= count=],
                            latency [ms= path= count=], exec-drop [afterBytes= count=], exec-hang [count=]
                other names go to the node runtime (kill-container, slow-backend, stop-backend ...)
          fault list|clear [id] --kubeconfig <path>
        """;

    public static async Task<int> Run(string[] argv)
    {
        try
        {
            var args = new Arguments(argv);
            return args.Positional.FirstOrDefault() switch
            {
                "up" => await UpCommand.Run(args),
                "down" => await DownCommand.Run(args),
                "fault" => await FaultCommand.Run(args),
                _ => Fail(Usage),
            };
        }
        catch (Exception e) when (e is ArgumentException or FormatException or IOException or InvalidOperationException)
        {
            return Fail($"sandbox: {e.Message}");
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine("sandbox: interrupted");
            return 130;
        }
    }

    static int Fail(string message)
    {
        Console.Error.WriteLine(message);
        return 2;
    }
}
