using System.Text;
using MediaStack.Core.Checks;
using MediaStack.Core.Errors;
using MediaStack.Core.Files;

namespace MediaStack.Core.Scheduling;

// What a registration needs to know: the check's name, where and how often it runs, the
// pwsh to run it with, the module, the Invoke-MediaStackCheck parameters (resolved, absolute
// paths) and the notify URI (kept apart: it may be a secret).
public sealed record CheckScheduleRequest(
    string Name,
    CheckScheduler Scheduler,
    CheckScope Scope,
    TimeSpan Interval,
    IReadOnlyList<string> Pwsh,
    string ModulePath,
    IReadOnlyList<KeyValuePair<string, object>> Parameters,
    Uri? NotifyUri,
    string StatePath,
    string What,
    TimeSpan Timeout,
    string? KubeConfigVariable = null);

public sealed record ScheduleFile(string Path, string Text, bool Secret = false);

// Everything a registration writes and runs, computed before anything happens, so that
// -WhatIf shows exactly that.
public sealed class CheckSchedulePlan
{
    public required CheckRegistration Registration { get; init; }

    public required IReadOnlyList<string> Argv { get; init; }

    public required IReadOnlyList<ScheduleFile> Files { get; init; }

    // The user crontab's line (cron, CurrentUser).
    public string? CronLine { get; init; }

    // What Task Scheduler runs (Windows): pwsh and its argument string.
    public string? TaskExecute { get; init; }

    public string? TaskArgument { get; init; }

    public string Describe()
    {
        var text = new StringBuilder();
        foreach (var file in Files)
        {
            text.Append("--- ").Append(file.Path).Append('\n').Append(file.Secret ? $"{SecretText.Mask} (the notify URI, owner-only)\n" : file.Text);
        }
        if (CronLine is not null)
        {
            text.Append("--- crontab line\n").Append(CronLine).Append('\n');
        }
        if (TaskExecute is not null)
        {
            text.Append("--- Task Scheduler task ").Append(TaskSchedulerTask.TaskPath).Append(TaskSchedulerTask.TaskName(Registration.Name))
                .Append(" every ").Append(Registration.Interval).Append('\n').Append(TaskExecute).Append(' ').Append(TaskArgument).Append('\n');
        }
        return text.ToString();
    }
}

// Register-, Get- and Unregister-MediaStackCheck on Linux and macOS: systemd units (user or
// system) where systemd runs, else a cron line. The Windows branch is planned here and run
// by the cmdlet through the ScheduledTasks cmdlets.
public static class CheckSchedules
{
    // sd_booted(): systemd is the init system when this directory exists.
    public static bool SystemdRuns => Directory.Exists("/run/systemd/system");

    public static CheckScheduler Resolve(CheckScheduler requested) => requested != CheckScheduler.Auto
        ? requested
        : OperatingSystem.IsWindows() ? CheckScheduler.TaskScheduler
        : OperatingSystem.IsLinux() && SystemdRuns ? CheckScheduler.Systemd
        : CheckScheduler.Cron;

    public static CheckSchedulePlan Plan(CheckScheduleRequest request)
    {
        var scheduler = Resolve(request.Scheduler);
        var folder = CheckRegistration.Folder;
        var script = Path.Combine(folder, $"{request.Name}.ps1");
        var notify = request.NotifyUri is null ? null : Path.Combine(folder, $"{request.Name}.notify");
        var argv = request.Pwsh.Concat(OperatingSystem.IsWindows() || scheduler == CheckScheduler.TaskScheduler
            ? ["-NoProfile", "-NonInteractive", "-ExecutionPolicy", "Bypass", "-File", script]
            : new[] { "-NoProfile", "-NonInteractive", "-File", script }).ToList();
        var files = new List<ScheduleFile>
        {
            new(script, CheckScript.Render(request.Name, request.ModulePath, request.Parameters, notify, DateTimeOffset.UtcNow, request.KubeConfigVariable)),
        };
        if (notify is not null)
        {
            files.Add(new ScheduleFile(notify, request.NotifyUri!.OriginalString + "\n", Secret: true));
        }
        string command;
        string? cronLine = null;
        switch (scheduler)
        {
            case CheckScheduler.Systemd:
                var units = SystemdUnits.Folder(request.Scope);
                files.Add(new ScheduleFile(Path.Combine(units, SystemdUnits.ServiceName(request.Name)), SystemdUnits.Service(request.Name, request.What, argv, request.Timeout)));
                files.Add(new ScheduleFile(Path.Combine(units, SystemdUnits.TimerName(request.Name)), SystemdUnits.Timer(request.Name, request.Interval)));
                command = CommandLines.Systemd(argv);
                break;
            case CheckScheduler.Cron when request.Scope == CheckScope.AllUsers:
                var line = CronTable.Line(request.Name, request.Interval, argv, Environment.UserName);
                files.Add(new ScheduleFile(CronTable.CronDFile(request.Name), CronTable.CronDContent(request.Name, line)));
                command = CommandLines.Cron(argv);
                break;
            case CheckScheduler.Cron:
                cronLine = CronTable.Line(request.Name, request.Interval, argv);
                command = CommandLines.Cron(argv);
                break;
            default:
                command = CommandLines.Windows(argv);
                break;
        }
        return new CheckSchedulePlan
        {
            Registration = new CheckRegistration
            {
                Name = request.Name,
                Scheduler = scheduler,
                Scope = request.Scope,
                Interval = request.Interval,
                Command = command,
                ScriptPath = script,
                StatePath = request.StatePath,
                Files = files.Select(file => file.Path).ToList(),
                Registered = DateTimeOffset.UtcNow,
            },
            Argv = argv,
            Files = files,
            CronLine = cronLine,
            TaskExecute = scheduler == CheckScheduler.TaskScheduler ? argv[0] : null,
            TaskArgument = scheduler == CheckScheduler.TaskScheduler ? TaskSchedulerTask.Argument(argv) : null,
        };
    }

    // Writes the files (and the user crontab) and activates the timer; returns warnings for
    // what could not be done here (systemd not running, lingering off). The Windows task is
    // the cmdlet's part.
    public static IReadOnlyList<string> Apply(CheckSchedulePlan plan)
    {
        var warnings = new List<string>();
        foreach (var file in plan.Files)
        {
            AtomicFile.Write(file.Path, file.Text, file.Secret ? AtomicFile.OwnerOnly : null);
        }
        var registration = plan.Registration;
        if (plan.CronLine is not null)
        {
            WriteCrontab(CronTable.Merge(ReadCrontab(), registration.Name, plan.CronLine));
        }
        if (registration.Scheduler == CheckScheduler.Systemd)
        {
            var timer = SystemdUnits.TimerName(registration.Name);
            var commands = new[] { Systemctl(registration.Scope, "daemon-reload"), Systemctl(registration.Scope, "enable", "--now", timer) };
            if (!SystemdRuns)
            {
                warnings.Add($"systemd is not running here: the units are written but not active. Activate them where systemd runs with: {string.Join(" && ", commands.Select(CommandLines.Shell))}");
            }
            else
            {
                foreach (var command in commands)
                {
                    var (exit, output) = ExternalCommand.Run(command[0], command.Skip(1).ToList());
                    if (exit != 0)
                    {
                        warnings.Add($"'{CommandLines.Shell(command)}' failed (exit {exit}): {output}");
                        break;
                    }
                }
                if (registration.Scope == CheckScope.CurrentUser && !File.Exists($"/var/lib/systemd/linger/{Environment.UserName}"))
                {
                    warnings.Add($"User units run only while {Environment.UserName} is logged in; for a jump host run: loginctl enable-linger {Environment.UserName}");
                }
            }
        }
        registration.Save();
        return warnings;
    }

    // Takes out what Apply put in: the timer (stopped first), the crontab line, the files and
    // the record. The state file stays: it is the check's history, not the registration.
    public static IReadOnlyList<string> Remove(CheckRegistration registration)
    {
        var warnings = new List<string>();
        if (registration.Scheduler == CheckScheduler.Systemd && SystemdRuns)
        {
            var (exit, output) = ExternalCommand.Run("systemctl", Systemctl(registration.Scope, "disable", "--now", SystemdUnits.TimerName(registration.Name)).Skip(1).ToList());
            if (exit != 0)
            {
                warnings.Add($"systemctl disable --now {SystemdUnits.TimerName(registration.Name)} failed (exit {exit}): {output}");
            }
        }
        if (registration.Scheduler == CheckScheduler.Cron && registration.Scope == CheckScope.CurrentUser)
        {
            var crontab = ReadCrontab();
            if (CronTable.Find(crontab, registration.Name) is not null)
            {
                WriteCrontab(CronTable.Merge(crontab, registration.Name, null));
            }
        }
        foreach (var file in registration.Files.Append(registration.RecordPath))
        {
            try
            {
                File.Delete(file);
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                warnings.Add($"Could not delete {file}: {exception.Message}");
            }
        }
        if (registration.Scheduler == CheckScheduler.Systemd && SystemdRuns)
        {
            ExternalCommand.Run("systemctl", Systemctl(registration.Scope, "daemon-reload").Skip(1).ToList());
        }
        return warnings;
    }

    // Whether the registration is still in place, and how the scheduler sees it.
    public static (bool Installed, string Status) Inspect(CheckRegistration registration)
    {
        switch (registration.Scheduler)
        {
            case CheckScheduler.Systemd:
                var timer = registration.Files.FirstOrDefault(file => file.EndsWith(".timer", StringComparison.Ordinal));
                if (timer is null || !File.Exists(timer))
                {
                    return (false, "timer unit missing");
                }
                if (!SystemdRuns)
                {
                    return (true, "units written; systemd is not running here");
                }
                var (_, state) = ExternalCommand.Run("systemctl", Systemctl(registration.Scope, "is-active", SystemdUnits.TimerName(registration.Name)).Skip(1).ToList());
                return (true, $"timer {state}");
            case CheckScheduler.Cron when registration.Scope == CheckScope.AllUsers:
                return File.Exists(CronTable.CronDFile(registration.Name)) ? (true, $"in {CronTable.CronDFile(registration.Name)}") : (false, "cron.d file missing");
            case CheckScheduler.Cron:
                try
                {
                    return CronTable.Find(ReadCrontab(), registration.Name) is not null ? (true, "in the user crontab") : (false, "crontab line missing");
                }
                catch (MediaStackException exception)
                {
                    return (false, exception.Message);
                }
            default:
                return (File.Exists(registration.ScriptPath), "see Task Scheduler");
        }
    }

    private static string[] Systemctl(CheckScope scope, params string[] arguments) =>
        scope == CheckScope.CurrentUser ? ["systemctl", "--user", .. arguments] : ["systemctl", .. arguments];

    private static string ReadCrontab()
    {
        var (exit, output) = ExternalCommand.Run("crontab", ["-l"]);
        if (exit == 0)
        {
            return output.Length == 0 ? "" : output + "\n";
        }
        if (output.Contains("no crontab", StringComparison.OrdinalIgnoreCase))
        {
            return "";
        }
        throw new MediaStackException(exit == ExternalCommand.NotFound ? ErrorIds.SchedulerUnavailable : ErrorIds.ScheduleFailed,
            exit == ExternalCommand.NotFound ? ErrorCategory.ObjectNotFound : ErrorCategory.InvalidOperation,
            $"crontab -l failed (exit {exit}): {output}", "crontab",
            exit == ExternalCommand.NotFound ? "Install cron (Debian: apt-get install cron), or use -Scheduler Systemd where systemd runs." : null);
    }

    private static void WriteCrontab(string text)
    {
        var (exit, output) = ExternalCommand.Run("crontab", ["-"], text);
        if (exit != 0)
        {
            throw new MediaStackException(ErrorIds.ScheduleFailed, ErrorCategory.InvalidOperation,
                $"crontab - refused the new crontab (exit {exit}): {output}", "crontab");
        }
    }
}
