using System.Diagnostics;
using MediaStack.Core.Errors;
using MediaStack.Core.Scheduling;

namespace MediaStack.Core.Tests.Scheduling;

// Each scheduler's quoting, checked by the reader it is written for where one runs here:
// /bin/sh for cron, .NET's Windows-rules splitter for Task Scheduler, systemd-analyze.
public sealed class CommandLineTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("mediastack-cmdline-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static readonly string[] Hostile = ["a b", "it's", "100%", "$HOME", "\"quoted\"", "back\\slash", "`date`", "*"];

    private static string Run(ProcessStartInfo start)
    {
        start.RedirectStandardOutput = true;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return output;
    }

    [Fact]
    public void A_cron_command_reaches_the_program_word_for_word()
    {
        var line = CommandLines.Cron(["/usr/bin/printf", "%s|", .. Hostile]);
        Assert.Contains("100\\%", line);
        Assert.DoesNotContain("100%", line);
        // cron hands the command to /bin/sh with each \% turned back into %.
        var start = new ProcessStartInfo("/bin/sh");
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(line.Replace("\\%", "%"));
        Assert.Equal(string.Join("", Hostile.Select(word => word + "|")), Run(start));
    }

    [Fact]
    public void A_windows_argument_string_splits_back_into_the_same_words()
    {
        string[] words = [@"C:\Program Files\PowerShell\7\", "a \"quoted\" word", @"trailing\\", "plain", "", @"C:\Users\John Smith\AppData\Local\MediaStack\checks\lab.ps1"];
        Assert.Equal("plain", CommandLines.Windows("plain"));
        Assert.Equal(@"""C:\Program Files\PowerShell\7\\""", CommandLines.Windows(words[0]));
        Assert.Equal(@"""a \""quoted\"" word""", CommandLines.Windows(words[1]));
        // .NET splits ProcessStartInfo.Arguments with the CommandLineToArgvW rules on every OS.
        var start = new ProcessStartInfo("/usr/bin/printf", CommandLines.Windows(["%s|", .. words]));
        Assert.Equal(string.Join("", words.Select(word => word + "|")), Run(start));
    }

    [Fact]
    public void The_task_scheduler_action_is_pwsh_with_its_argument_string()
    {
        var argv = new[] { @"C:\Program Files\PowerShell\7\pwsh.exe", "-NoProfile", "-NonInteractive", "-ExecutionPolicy", "Bypass", "-File", @"C:\Users\John Smith\AppData\Local\MediaStack\checks\lab.ps1" };
        Assert.Equal(@"-NoProfile -NonInteractive -ExecutionPolicy Bypass -File ""C:\Users\John Smith\AppData\Local\MediaStack\checks\lab.ps1""", TaskSchedulerTask.Argument(argv));
        Assert.Equal(@"""C:\Program Files\PowerShell\7\pwsh.exe"" -NoProfile -NonInteractive -ExecutionPolicy Bypass -File ""C:\Users\John Smith\AppData\Local\MediaStack\checks\lab.ps1""", CommandLines.Windows(argv));
        Assert.Equal("Check-lab", TaskSchedulerTask.TaskName("lab"));
        Assert.Contains("New-ScheduledTaskTrigger -Once -At ((Get-Date).AddMinutes(1)) -RepetitionInterval $Interval", TaskSchedulerTask.RegisterScript);
        Assert.Contains("-LogonType S4U", TaskSchedulerTask.RegisterScript);
        Assert.DoesNotContain("{", TaskSchedulerTask.Argument(argv));
    }

    [Fact]
    public void Systemd_words_are_bare_when_plain_and_escaped_otherwise()
    {
        Assert.Equal("/usr/bin/pwsh -NoProfile -File \"/srv/my checks/100%%/$$HOME/a\\\"b\\\\c.ps1\"",
            CommandLines.Systemd(["/usr/bin/pwsh", "-NoProfile", "-File", "/srv/my checks/100%/$HOME/a\"b\\c.ps1"]));
        // The program path is not subject to variable expansion: its $ stays single.
        Assert.Equal("\"/opt/pw$sh 100%%\" \"$$x\"", CommandLines.Systemd(["/opt/pw$sh 100%", "$x"]));
        var error = Assert.Throws<MediaStackException>(() => CommandLines.Systemd(["/bin/x", "two\nlines"]));
        Assert.Equal(ErrorIds.ScheduleFailed, error.ErrorId);
        Assert.Throws<MediaStackException>(() => CommandLines.Cron(["/bin/x", "a\rb"]));
    }

    [SkippableFact]
    public void Systemd_analyze_accepts_the_units_for_a_program_in_an_awkward_folder()
    {
        Skip.IfNot(File.Exists("/usr/bin/systemd-analyze"), "systemd-analyze is not installed");
        var folder = Directory.CreateDirectory(Path.Combine(_folder, "my checks", "100%")).FullName;
        var program = Path.Combine(folder, "pw$sh");
        File.WriteAllText(program, "#!/bin/sh\nexit 0\n");
        File.SetUnixFileMode(program, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var service = Path.Combine(_folder, SystemdUnits.ServiceName("lab"));
        var timer = Path.Combine(_folder, SystemdUnits.TimerName("lab"));
        File.WriteAllText(service, SystemdUnits.Service("lab", "namespace media-stack", [program, "-NoProfile", "-File", Path.Combine(folder, "lab's check.ps1")], TimeSpan.FromMinutes(10)));
        File.WriteAllText(timer, SystemdUnits.Timer("lab", TimeSpan.FromMinutes(15)));

        var start = new ProcessStartInfo("/usr/bin/systemd-analyze") { RedirectStandardError = true, RedirectStandardOutput = true };
        start.ArgumentList.Add("verify");
        start.ArgumentList.Add(service);
        start.ArgumentList.Add(timer);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, output);

        // A program that is not there is what verify catches: the quoting reached it intact.
        File.Delete(program);
        using var missing = Process.Start(start)!;
        var complaint = missing.StandardOutput.ReadToEnd() + missing.StandardError.ReadToEnd();
        missing.WaitForExit();
        Assert.NotEqual(0, missing.ExitCode);
        Assert.Contains($"Command {program} is not executable", complaint);
    }

    [Theory]
    [InlineData(900, "15min")]
    [InlineData(3600, "1h")]
    [InlineData(5400, "90min")]
    [InlineData(90, "90s")]
    public void Systemd_time_spans(int seconds, string expected) => Assert.Equal(expected, SystemdUnits.Span(TimeSpan.FromSeconds(seconds)));
}
