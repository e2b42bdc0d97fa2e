using MediaStack.Core.Diagnosis.Model;
using MediaStack.Core.Errors;
using MediaStack.Core.Probes;

namespace MediaStack.Core.Checks;

// One pod's verdict (Kind Pod), or a media app's workload that wants pods and has none (Kind
// Deployment, StatefulSet or DaemonSet). Healthy is PodMountReport.IsHealthy for both: a
// workload without pods is NOTREADY, or STARTING within the grace period.
public sealed class CheckPod
{
    public const string PodKind = "Pod";
    public const string DeploymentKind = "Deployment";

    public required string Name { get; init; }

    public required string Namespace { get; init; }

    public string Kind { get; init; } = PodKind;

    // The owning Deployment (or app label); the unit the state file and alerts follow, since
    // a rollout gives the pod a new name.
    public required string App { get; init; }

    public string? Node { get; init; }

    public bool Healthy { get; init; }

    // The worst mount status (OK, WARN, FAIL, STALE, TIMEOUT, NOTMOUNTED, NOSIDECAR, NOTREADY ...).
    public required string Status { get; init; }

    // The first reason that makes it unhealthy; empty when healthy.
    public string Reason { get; init; } = "";

    public IReadOnlyList<MountStatus> Mounts { get; init; } = [];

    public int DurationMs { get; init; }

    // Every mount skipped: a pod without mounts to check (or one that is finishing).
    public bool Skipped => Kind == PodKind && Mounts.All(mount => mount.Status == MountHealth.SKIP);

    public string Summary => Mounts.Count == 0 ? Status : string.Join(" ", Mounts.Select(mount => $"{mount.Mount}={mount.Summary}"));

    public override string ToString() => $"{Namespace}/{Name}: {(Healthy ? "healthy" : "unhealthy")} ({Summary})";
}

public enum CheckRepairOutcome
{
    Applied,
    UpToDate,
    // The guards said no: ArgoCD, a privilege that may not be granted, a missing secret.
    Refused,
    // Not tried: the -MaxRepairs budget was spent, or -GrantPrivilege was not given.
    Skipped,
    Failed,
}

// One repair of the round: a privilege grant, a Deployment patch or a pod restart.
public sealed record CheckRepair
{
    public required string Action { get; init; }

    public required string Namespace { get; init; }

    public required string Name { get; init; }

    public required string Target { get; init; }

    public CheckRepairOutcome Outcome { get; init; }

    public string Reason { get; init; } = "";

    public IReadOnlyList<string> Changes { get; init; } = [];

    public IReadOnlyList<string> RuleIds { get; init; } = [];

    public override string ToString() => $"{Action} {Target}: {Outcome}{(Reason.Length > 0 ? $" ({Reason})" : "")}";
}

// Something that went wrong without a verdict of its own: an error id and a message that
// carries no secret.
public sealed record CheckProblem(string ErrorId, string Message, string? Target = null)
{
    public override string ToString() => $"{ErrorId}: {Message}";
}

// What one unattended round found: per-pod verdicts, the findings of whatever failed, the
// repairs made, how long it took, where it looked, and the outcome with its exit code.
public sealed class CheckSummary
{
    public CheckOutcome Outcome { get; init; }

    public int ExitCode => CheckExitCode.For(Outcome);

    public bool IsHealthy => Outcome == CheckOutcome.Healthy;

    // The API server URL, without any user information.
    public string? Cluster { get; init; }

    public string? Context { get; init; }

    // The namespace checked; null with AllNamespaces.
    public string? Namespace { get; init; }

    public bool AllNamespaces { get; init; }

    public bool Deep { get; init; }

    public bool Repair { get; init; }

    public DateTimeOffset StartedAt { get; init; }

    public TimeSpan Duration { get; init; }

    public IReadOnlyList<CheckPod> Pods { get; init; } = [];

    public IReadOnlyList<MountFinding> Findings { get; init; } = [];

    public IReadOnlyList<CheckRepair> Repairs { get; init; } = [];

    public IReadOnlyList<CheckProblem> Problems { get; init; } = [];

    // How many pods and Deployments were left out by -Exclude.
    public int Excluded { get; init; }

    // Set after the round: what changed since the last result, and whether an alert went out.
    public IReadOnlyList<CheckChange> Changes { get; set; } = [];

    public string? Notification { get; set; }

    public int HealthyCount => Pods.Count(pod => pod.Healthy);

    public int UnhealthyCount => Pods.Count(pod => !pod.Healthy);

    public IEnumerable<CheckPod> Unhealthy => Pods.Where(pod => !pod.Healthy);

    public string Scope => AllNamespaces ? "all namespaces" : Namespace ?? "";

    // What the default view shows, one line each.
    public string DurationText => $"{Duration.TotalSeconds:0.0} s";

    public string UnhealthyText => string.Join("; ", Unhealthy.Select(pod => $"{pod.Namespace}/{pod.App} {pod.Status}"));

    public string ChangeText => string.Join("; ", Changes.Select(change => change.ToString()));

    public string RepairText => string.Join("; ", Repairs.Select(repair => $"{repair.Action} {repair.Name}: {repair.Outcome}"));

    public string FindingText => Findings.Count == 0 ? "" :
        $"{string.Join(", ", Findings.GroupBy(f => f.Severity).OrderByDescending(g => g.Key).Select(g => $"{g.Count()} {g.Key}"))}: {string.Join(", ", Findings.Select(f => f.RuleId).Distinct())}";

    public string ProblemText => string.Join("; ", Problems.Select(problem => problem.ToString()));

    // One line for logs and alerts: "Unhealthy: 2 of 6 unhealthy in media-stack (sonarr, radarr)".
    public string Headline => Outcome switch
    {
        CheckOutcome.Healthy => $"Healthy: {Pods.Count} checked in {Scope}, all healthy",
        CheckOutcome.Unhealthy => $"Unhealthy: {UnhealthyCount} of {Pods.Count} unhealthy in {Scope} ({string.Join(", ", Unhealthy.Select(pod => pod.App).Distinct())})",
        _ => $"{Outcome}: {Problems.FirstOrDefault()?.Message ?? "the check could not run"}",
    };

    // A round that could not judge the pods: the failure is its outcome (exit 2 or 3).
    public static CheckSummary Failed(MediaStackException error, CheckOptions options, string? cluster, string? context, DateTimeOffset started) => new()
    {
        Outcome = CheckExitCode.OutcomeOf(error),
        Cluster = cluster,
        Context = context,
        Namespace = options.AllNamespaces ? null : options.Namespace,
        AllNamespaces = options.AllNamespaces,
        Deep = options.Deep,
        Repair = options.Repair,
        StartedAt = started,
        Duration = DateTimeOffset.UtcNow - started,
        Problems = [new CheckProblem(error.ErrorId, error.Message, error.Target?.ToString())],
    };

    public override string ToString() => Headline;
}
