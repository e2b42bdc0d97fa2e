using System.Diagnostics;
using System.ComponentModel;

namespace MediaStack.Core.Scheduling;

// Runs systemctl or crontab: arguments as a list (no shell), optional stdin, bounded.
public static class ExternalCommand
{
    public const int NotFound = 127;

    public static (int ExitCode, string Output) Run(string file, IReadOnlyList<string> arguments, string? stdin = null)
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (Win32Exception exception)
        {
            return (NotFound, $"{file}: {exception.Message}");
        }
        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (stdin is not null)
            {
                process.StandardInput.Write(stdin);
            }
            process.StandardInput.Close();
            if (!process.WaitForExit(60_000))
            {
                process.Kill(entireProcessTree: true);
                return (-1, $"{file} did not finish within 60 s");
            }
            return (process.ExitCode, (stdout.Result + stderr.Result).Trim());
        }
    }
}
