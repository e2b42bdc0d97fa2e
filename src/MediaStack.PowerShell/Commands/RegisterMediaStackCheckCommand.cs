using System.Management.Automation;
using MediaStack.Core.Checks;
using MediaStack.Core.Cluster;
using MediaStack.Core.Errors;
using MediaStack.Core.Scheduling;
using ErrorCategory = MediaStack.Core.Errors.ErrorCategory;

namespace MediaStack.PowerShell.Commands;

// Schedules Invoke-MediaStackCheck with the same switches: systemd service + timer (user or
// system) where systemd runs, a cron line elsewhere on Linux and macOS, a Task Scheduler task
// on Windows. The scheduler runs `pwsh -NoProfile -NonInteractive -File <name>.ps1`; that
// script pins kubeconfig, context and namespace as they are now and exits with the check's
// exit code. -WhatIf shows every file and line that would be written.
[Cmdlet(VerbsLifecycle.Register, "MediaStackCheck", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(CheckRegistration))]
public sealed class RegisterMediaStackCheckCommand : CheckCommandBase
{
    [Parameter(Position = 0)]
    [ValidatePattern("^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$")]
    public string Name { get; set; } = "default";

    [Parameter]
    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(15);

    [Parameter]
    public CheckScheduler Scheduler { get; set; } = CheckScheduler.Auto;

    [Parameter]
    public CheckScope Scope { get; set; } = CheckScope.CurrentUser;

    protected override void EndProcessing()
    {
        if (Interval < TimeSpan.FromMinutes(1) || Interval > TimeSpan.FromDays(1) || Interval.Ticks % TimeSpan.TicksPerSecond != 0)
        {
            ThrowMediaStackError(new MediaStackException(ErrorIds.InvalidInterval, ErrorCategory.InvalidArgument,
                $"-Interval must be whole seconds between 00:01:00 and 1.00:00:00, not {Interval}.", Interval, "For example -Interval 00:15:00."));
        }
        var scheduler = CheckSchedules.Resolve(Scheduler);
        if ((scheduler == CheckScheduler.TaskScheduler) != OperatingSystem.IsWindows())
        {
            ThrowMediaStackError(new MediaStackException(ErrorIds.SchedulerUnavailable, ErrorCategory.InvalidArgument,
                $"-Scheduler {scheduler} is not available on {(OperatingSystem.IsWindows() ? "Windows" : "this system")}.", scheduler,
                OperatingSystem.IsWindows() ? "Leave -Scheduler out, or use TaskScheduler." : "Use Systemd or Cron."));
        }
        CheckScheduleRequest request;
        CheckSchedulePlan plan;
        try
        {
            request = Request();
            plan = CheckSchedules.Plan(request);
        }
        catch (MediaStackException exception)
        {
            ThrowMediaStackError(exception);
            return;
        }
        if (!ShouldProcess($"check '{Name}' ({plan.Registration.Scheduler}, {Scope}, every {Interval})", $"Write and activate:{Environment.NewLine}{plan.Describe()}"))
        {
            return;
        }
        try
        {
            foreach (var warning in CheckSchedules.Apply(plan))
            {
                WriteWarning(warning);
            }
            if (plan.Registration.Scheduler == CheckScheduler.TaskScheduler)
            {
                InvokeCommand.InvokeScript(SessionState, ScriptBlock.Create(TaskSchedulerTask.RegisterScript),
                    TaskSchedulerTask.TaskName(Name), TaskSchedulerTask.TaskPath, plan.TaskExecute, plan.TaskArgument, Interval, Timeout(),
                    $"MediaStack check '{Name}': {request.What}", Scope == CheckScope.AllUsers);
            }
        }
        catch (MediaStackException exception)
        {
            ThrowMediaStackError(exception);
        }
        catch (RuntimeException exception)
        {
            ThrowMediaStackError(new MediaStackException(ErrorIds.ScheduleFailed, ErrorCategory.InvalidOperation,
                $"Task Scheduler refused the task: {exception.Message}", Name, "Run pwsh as administrator for -Scope AllUsers.", exception));
        }
        var (installed, status) = CheckSchedules.Inspect(plan.Registration);
        WriteObject(plan.Registration with { Installed = installed, Status = status });
    }

    private TimeSpan Timeout() => TimeSpan.FromMinutes(10) + (Repair ? TimeSpan.FromSeconds(RepairTimeoutSec) : TimeSpan.Zero);

    private CheckScheduleRequest Request()
    {
        var parameters = new List<KeyValuePair<string, object>>();
        // Where to connect, pinned as it is now: a later `kubectl config use-context` must not
        // move a scheduled check to another cluster.
        string? variable = null;
        var explicitConfig = FileSystemPathOrStop(KubeConfig);
        var listed = Environment.GetEnvironmentVariable(KubeConfigSource.EnvironmentVariable);
        if (explicitConfig is not null)
        {
            parameters.Add(new(nameof(KubeConfig), explicitConfig));
        }
        else if (!string.IsNullOrWhiteSpace(listed))
        {
            variable = string.Join(Path.PathSeparator, listed.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(Path.GetFullPath));
        }
        else if (File.Exists(KubeConfigSource.DefaultPath))
        {
            parameters.Add(new(nameof(KubeConfig), KubeConfigSource.DefaultPath));
        }
        var kubeConfig = KubeConfigSource.Load(explicitConfig);
        var context = Context ?? kubeConfig?.CurrentContext;
        if (context is not null)
        {
            parameters.Add(new(nameof(Context), context));
        }
        var what = "all namespaces";
        if (!AllNamespaces)
        {
            var contextNamespace = kubeConfig?.Contexts?.FirstOrDefault(c => c.Name == context)?.ContextDetails?.Namespace;
            var pinned = Namespace ?? (string.IsNullOrEmpty(contextNamespace) ? StackConfig.Namespace : contextNamespace);
            parameters.Add(new(nameof(Namespace), pinned));
            what = $"namespace {pinned}";
        }
        foreach (var name in CheckParameters.Where(name => MyInvocation.BoundParameters.ContainsKey(name) && name is not nameof(NotifyUri) and not nameof(StatePath)))
        {
            var value = MyInvocation.BoundParameters[name];
            switch (value)
            {
                case SwitchParameter flag when flag.IsPresent:
                    parameters.Add(new(name, true));
                    break;
                case SwitchParameter:
                    break;
                case string path when name.EndsWith("Path", StringComparison.Ordinal):
                    parameters.Add(new(name, FileSystemPathOrStop(path)!));
                    break;
                case not null:
                    parameters.Add(new(name, value));
                    break;
            }
        }
        var statePath = FileSystemPathOrStop(StatePath) ?? Path.Combine(CheckRegistration.Folder, $"{Name}.state.json");
        parameters.Add(new(nameof(StatePath), statePath));
        return new CheckScheduleRequest(Name, Scheduler, Scope, Interval, Pwsh(), ModuleManifest(), parameters, NotifyUri, statePath, what, Timeout(), variable);
    }

    // The pwsh running now: `dotnet pwsh` (a local tool) is dotnet plus pwsh.dll.
    private static IReadOnlyList<string> Pwsh()
    {
        var process = Environment.ProcessPath ?? "pwsh";
        return Path.GetFileNameWithoutExtension(process) == "dotnet" && System.Reflection.Assembly.GetEntryAssembly()?.Location is { Length: > 0 } entry
            ? [process, entry]
            : [process];
    }

    // This module's manifest, by path: the scheduled run loads exactly this version.
    // The cmdlet assembly is the root module, next to the manifest.
    private static string ModuleManifest()
    {
        var folder = Path.GetDirectoryName(typeof(RegisterMediaStackCheckCommand).Assembly.Location)!;
        var manifest = new[] { folder, Path.Combine(folder, "..") }
            .Select(candidate => Path.GetFullPath(Path.Combine(candidate, "MediaStack.psd1")))
            .FirstOrDefault(File.Exists);
        return manifest ?? "MediaStack";
    }
}
