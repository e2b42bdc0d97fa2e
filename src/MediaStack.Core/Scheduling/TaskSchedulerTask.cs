namespace MediaStack.Core.Scheduling;

// The Windows branch: a Task Scheduler task in the \MediaStack\ folder, made and read with
// the ScheduledTasks cmdlets (the scripts below run in the caller's session, parameters
// passed as arguments, never pasted into the text). The current user's task runs whether
// or not the user is logged on (S4U: no password stored); AllUsers runs as SYSTEM.
public static class TaskSchedulerTask
{
    public const string TaskPath = "\\MediaStack\\";

    public static string TaskName(string name) => $"Check-{name}";

    public const string RegisterScript = """
        param($TaskName, $TaskPath, $Execute, $Argument, $Interval, $TimeLimit, $Description, $System)
        Import-Module ScheduledTasks -ErrorAction Stop
        $action = New-ScheduledTaskAction -Execute $Execute -Argument $Argument
        $trigger = New-ScheduledTaskTrigger -Once -At ((Get-Date).AddMinutes(1)) -RepetitionInterval $Interval
        $settings = New-ScheduledTaskSettingsSet -MultipleInstances IgnoreNew -ExecutionTimeLimit $TimeLimit -StartWhenAvailable -AllowStartIfOnBatteries -DontStopIfGoingOnBatteries
        $principal = if ($System) {
            New-ScheduledTaskPrincipal -UserId 'SYSTEM' -LogonType ServiceAccount -RunLevel Limited
        } else {
            New-ScheduledTaskPrincipal -UserId ([Security.Principal.WindowsIdentity]::GetCurrent().Name) -LogonType S4U -RunLevel Limited
        }
        $null = Register-ScheduledTask -TaskName $TaskName -TaskPath $TaskPath -Action $action -Trigger $trigger -Settings $settings -Principal $principal -Description $Description -Force -ErrorAction Stop
        """;

    public const string InfoScript = """
        param($TaskName, $TaskPath)
        Import-Module ScheduledTasks -ErrorAction Stop
        $task = Get-ScheduledTask -TaskName $TaskName -TaskPath $TaskPath -ErrorAction SilentlyContinue
        if ($task) {
            $info = $task | Get-ScheduledTaskInfo
            [pscustomobject]@{ State = "$($task.State)"; LastRunTime = $info.LastRunTime; LastTaskResult = $info.LastTaskResult; NextRunTime = $info.NextRunTime }
        }
        """;

    public const string UnregisterScript = """
        param($TaskName, $TaskPath)
        Import-Module ScheduledTasks -ErrorAction Stop
        if (Get-ScheduledTask -TaskName $TaskName -TaskPath $TaskPath -ErrorAction SilentlyContinue) {
            Unregister-ScheduledTask -TaskName $TaskName -TaskPath $TaskPath -Confirm:$false -ErrorAction Stop
        }
        """;

    // pwsh.exe's arguments: Task Scheduler passes this string to CreateProcess as it is.
    public static string Argument(IReadOnlyList<string> argv) => CommandLines.Windows(argv.Skip(1).ToList());
}
