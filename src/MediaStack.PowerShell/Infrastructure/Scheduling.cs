using System.Management.Automation;
using MediaStack.Core.Errors;
using MediaStack.Core.Scheduling;

namespace MediaStack.PowerShell.Infrastructure;

// What the scheduling cmdlets share: the not-registered error and the Task Scheduler status.
internal static class Scheduling
{
    public static MediaStackException NotRegistered(string name) => new(
        ErrorIds.CheckNotRegistered, Core.Errors.ErrorCategory.ObjectNotFound,
        $"No check named '{name}' is registered for this user.", name, "List the checks with Get-MediaStackCheck.");

    public static (bool Installed, string Status) TaskStatus(PSCmdlet cmdlet, CheckRegistration registration)
    {
        var info = cmdlet.InvokeCommand.InvokeScript(cmdlet.SessionState, ScriptBlock.Create(TaskSchedulerTask.InfoScript),
            TaskSchedulerTask.TaskName(registration.Name), TaskSchedulerTask.TaskPath).FirstOrDefault();
        return info is null
            ? (false, "task missing")
            : (true, $"task {info.Properties["State"]?.Value}, last result {info.Properties["LastTaskResult"]?.Value}, next run {info.Properties["NextRunTime"]?.Value}");
    }
}
