using System.Management.Automation;
using MediaStack.Core.Checks;
using MediaStack.Core.Scheduling;
using MediaStack.PowerShell.Infrastructure;

namespace MediaStack.PowerShell.Commands;

// The registered checks of this user: how they are scheduled, whether they are still in
// place, and what their last run found (from the state file the check keeps).
[Cmdlet(VerbsCommon.Get, "MediaStackCheck")]
[OutputType(typeof(CheckRegistration))]
public sealed class GetMediaStackCheckCommand : MediaStackCmdlet
{
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[]? Name { get; set; }

    protected override void ProcessRecord()
    {
        var patterns = (Name ?? ["*"]).Select(name => WildcardPattern.Get(name, WildcardOptions.IgnoreCase)).ToList();
        var registrations = CheckRegistration.LoadAll();
        foreach (var registration in registrations.Where(r => patterns.Any(pattern => pattern.IsMatch(r.Name))))
        {
            WriteObject(Describe(registration));
        }
        foreach (var missing in (Name ?? []).Where(name => !WildcardPattern.ContainsWildcardCharacters(name)
            && registrations.All(r => !string.Equals(r.Name, name, StringComparison.OrdinalIgnoreCase))))
        {
            WriteMediaStackError(Scheduling.NotRegistered(missing));
        }
    }

    private CheckRegistration Describe(CheckRegistration registration)
    {
        var (installed, status) = registration.Scheduler == CheckScheduler.TaskScheduler
            ? Scheduling.TaskStatus(this, registration)
            : CheckSchedules.Inspect(registration);
        var state = CheckState.Load(registration.StatePath, out var problem);
        if (problem is not null)
        {
            WriteWarning(problem);
        }
        return registration with
        {
            Installed = installed,
            Status = status,
            LastRun = state?.SavedAt,
            LastOutcome = state?.Outcome,
            LastHeadline = (string?)state?.Last?["headline"],
            LastResult = state?.Last is { } last
                ? InvokeCommand.InvokeScript("param($json) $json | ConvertFrom-Json", last.ToJsonString()).FirstOrDefault()
                : null,
        };
    }
}
