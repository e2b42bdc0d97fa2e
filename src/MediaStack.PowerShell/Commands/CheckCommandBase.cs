using MediaStack.Core.Errors;
using System.Management.Automation;
using MediaStack.Core.Checks;
using MediaStack.Core.Checks.Notify;
using MediaStack.Core.Probes;
using MediaStack.PowerShell.Completers;
using MediaStack.PowerShell.Infrastructure;

namespace MediaStack.PowerShell.Commands;

// The parameters of an unattended round, shared by Invoke-MediaStackCheck (which runs it)
// and Register-MediaStackCheck (which schedules it with the same switches).
public abstract class CheckCommandBase : ClusterCmdlet
{
    // Every namespace (a ClusterRole is needed for that).
    [Parameter]
    public SwitchParameter AllNamespaces { get; set; }

    // Apps (their Deployment) or pods to leave out, wildcards allowed; "namespace/app" too.
    [Parameter]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(DeploymentNameCompleter))]
    public string[]? Exclude { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? Mount { get; set; }

    [Parameter]
    [ValidateRange(4, 3600)]
    public int TimeoutSec { get; set; } = CheckOptions.DefaultTimeoutSec;

    [Parameter]
    [ValidateRange(1, 256)]
    public int ThrottleLimit { get; set; } = MountCheckOptions.DefaultThrottleLimit;

    [Parameter]
    [ValidateRange(1, 10_000_000)]
    public int MaxEntries { get; set; } = MountCheckOptions.DefaultMaxEntries;

    // Only list the mounts (as Test-MediaMount without -Deep); by default one file per mount
    // is also read, which sees through rclone's directory cache.
    [Parameter]
    public SwitchParameter SkipDeepRead { get; set; }

    [Parameter]
    public SwitchParameter Repair { get; set; }

    [Parameter]
    public SwitchParameter GrantPrivilege { get; set; }

    [Parameter]
    [ValidateRange(0, 1000)]
    public int MaxRepairs { get; set; } = CheckOptions.DefaultMaxRepairs;

    [Parameter]
    [ValidateRange(10, 3600)]
    public int RepairTimeoutSec { get; set; } = CheckOptions.DefaultRepairTimeoutSec;

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? ReportPath { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? JUnitPath { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? MetricsPath { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? StatePath { get; set; }

    [Parameter]
    [ValidateNotNull]
    public Uri? NotifyUri { get; set; }

    [Parameter]
    public NotifyFormat NotifyFormat { get; set; } = NotifyFormat.Auto;

    // The parameters of this base, as bound: what a registration writes into its script.
    public static readonly IReadOnlyList<string> CheckParameters =
    [
        nameof(AllNamespaces), nameof(Exclude), nameof(Mount), nameof(TimeoutSec), nameof(ThrottleLimit), nameof(MaxEntries),
        nameof(SkipDeepRead), nameof(Repair), nameof(GrantPrivilege), nameof(MaxRepairs), nameof(RepairTimeoutSec),
        nameof(ReportPath), nameof(JUnitPath), nameof(MetricsPath), nameof(StatePath), nameof(NotifyUri), nameof(NotifyFormat),
    ];


    protected CheckOptions Options(string? @namespace)
    {
        var patterns = (Exclude ?? []).Select(pattern => WildcardPattern.Get(pattern, WildcardOptions.IgnoreCase)).ToList();
        return new CheckOptions
        {
            Namespace = @namespace,
            AllNamespaces = AllNamespaces,
            Mounts = Mount,
            IsExcluded = name => patterns.Any(pattern => pattern.IsMatch(name)),
            TimeoutSec = TimeoutSec,
            ThrottleLimit = ThrottleLimit,
            MaxEntries = MaxEntries,
            Deep = !SkipDeepRead,
            Repair = Repair,
            GrantPrivilege = GrantPrivilege,
            MaxRepairs = MaxRepairs,
            RepairTimeoutSec = RepairTimeoutSec,
        };
    }
}
