namespace MediaStack.Core.Checks;

// What one unattended round does. Namespace null with AllNamespaces false: the connection's.
public sealed record CheckOptions
{
    public const int DefaultTimeoutSec = 30;
    public const int DefaultMaxRepairs = 3;
    public const int DefaultRepairTimeoutSec = 180;

    public string? Namespace { get; init; }

    public bool AllNamespaces { get; init; }

    // Only these mounts (names from the stack config); null: all.
    public IReadOnlyList<string>? Mounts { get; init; }

    // Apps (owning Deployments) or pods to leave out, by name; given "app", "pod" and
    // "namespace/app". The cmdlet passes PowerShell wildcards here.
    public Func<string, bool> IsExcluded { get; init; } = _ => false;

    public int TimeoutSec { get; init; } = DefaultTimeoutSec;

    public int ThrottleLimit { get; init; } = Probes.MountCheckOptions.DefaultThrottleLimit;

    public int MaxEntries { get; init; } = Probes.MountCheckOptions.DefaultMaxEntries;

    // Read the first bytes of one file per mount (on by default in the unattended round).
    public bool Deep { get; init; } = true;

    public bool Repair { get; init; }

    public bool GrantPrivilege { get; init; }

    // At most this many Deployments are changed (patched, or a pod restarted) in one run.
    public int MaxRepairs { get; init; } = DefaultMaxRepairs;

    // How long the round waits for the rollouts of its repairs before it tests again.
    public int RepairTimeoutSec { get; init; } = DefaultRepairTimeoutSec;
}
