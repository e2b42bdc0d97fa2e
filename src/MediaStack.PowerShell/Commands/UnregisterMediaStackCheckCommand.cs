using System.Management.Automation;
using MediaStack.Core.Scheduling;
using MediaStack.PowerShell.Infrastructure;

namespace MediaStack.PowerShell.Commands;

// Takes a registered check out of the scheduler and deletes what Register-MediaStackCheck
// wrote (script, notify file, units, cron line, task). The state file stays.
[Cmdlet(VerbsLifecycle.Unregister, "MediaStackCheck", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
public sealed class UnregisterMediaStackCheckCommand : MediaStackCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string[]? Name { get; set; }

    protected override void ProcessRecord()
    {
        var registrations = CheckRegistration.LoadAll();
        foreach (var name in Name ?? [])
        {
            var registration = registrations.FirstOrDefault(r => string.Equals(r.Name, name, StringComparison.OrdinalIgnoreCase));
            if (registration is null)
            {
                WriteMediaStackError(Scheduling.NotRegistered(name));
                continue;
            }
            if (!ShouldProcess($"check '{registration.Name}' ({registration.Scheduler}, {registration.Scope})", $"Remove it from the scheduler and delete {string.Join(", ", registration.Files)}"))
            {
                continue;
            }
            TryRun(() =>
            {
                if (registration.Scheduler == CheckScheduler.TaskScheduler)
                {
                    InvokeCommand.InvokeScript(SessionState, ScriptBlock.Create(TaskSchedulerTask.UnregisterScript),
                        TaskSchedulerTask.TaskName(registration.Name), TaskSchedulerTask.TaskPath);
                }
                foreach (var warning in CheckSchedules.Remove(registration))
                {
                    WriteWarning(warning);
                }
                WriteVerbose($"Unregistered check '{registration.Name}'; its state stays in {registration.StatePath}.");
            });
        }
    }
}
