using System.Diagnostics;
using k8s;
using k8s.Models;
using MediaStack.Core.Checks.Access;
using MediaStack.Core.Cluster;
using MediaStack.Core.Config;
using MediaStack.Core.Diagnosis;
using MediaStack.Core.Diagnosis.Live;
using MediaStack.Core.Diagnosis.Model;
using MediaStack.Core.Errors;
using MediaStack.Core.Pods;
using MediaStack.Core.Probes;

namespace MediaStack.Core.Checks;

// What a round returns: its summary, and the errors to show (each one error record).
public sealed record CheckRun(CheckSummary Summary, IReadOnlyList<MediaStackException> Errors);

// One unattended round (Invoke-MediaStackCheck): the permissions it needs, every pod's mounts
// (Test-MediaMount's probe, deep by default), the Deployments that want pods and have none,
// the diagnosis of whatever is not healthy, the repairs when asked, then a second test of
// what the repairs changed. Health is never decided here: a pod's verdict is
// PodMountReport.IsHealthy; a Deployment without pods is unhealthy when its diagnosis has an
// Error finding. Nothing escapes as an exception: a failure that stops the round becomes
// its outcome (unreachable, unauthorised, bad configuration).
public sealed class CheckRound(IKubernetes client, IPodExec exec, MediaStackConfig config, CheckOptions options)
{
    public async Task<CheckRun> RunAsync(string? cluster, string? context, Action<string>? progress, CancellationToken ct)
    {
        var started = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        var scope = options.AllNamespaces ? null : options.Namespace;
        CheckSummary Summary(CheckOutcome outcome, Pass? pass, IReadOnlyList<CheckRepair> repairs, IReadOnlyList<CheckProblem> problems) => new()
        {
            Outcome = outcome,
            Cluster = cluster,
            Context = context,
            Namespace = scope,
            AllNamespaces = options.AllNamespaces,
            Deep = options.Deep,
            Repair = options.Repair,
            StartedAt = started,
            Duration = clock.Elapsed,
            Pods = pass?.Pods ?? [],
            Findings = pass?.Findings ?? [],
            Repairs = repairs,
            Problems = problems,
            Excluded = pass?.Excluded ?? 0,
        };
        try
        {
            var mounts = Mounts();
            progress?.Invoke("checking permissions");
            var missing = await CheckPermissions.MissingAsync(client, scope, options.Repair, ct).ConfigureAwait(false);
            if (missing.Count > 0)
            {
                var errors = missing.Select(permission => CheckPermissions.Error(permission, scope)).ToList();
                return new CheckRun(Summary(CheckOutcome.Unauthorized, null, [], errors.Select(Problem).ToList()), errors);
            }
            var pass = await TestAsync(scope, mounts, progress, ct).ConfigureAwait(false);
            IReadOnlyList<CheckRepair> repairs = [];
            if (options.Repair && pass.Findings.Count > 0)
            {
                repairs = await new CheckRepairs(client, config, options).RunAsync(pass.Findings, progress, ct).ConfigureAwait(false);
                if (repairs.Any(repair => repair.Outcome == CheckRepairOutcome.Applied))
                {
                    progress?.Invoke("testing again after the repairs");
                    pass = await TestAsync(scope, mounts, progress, ct).ConfigureAwait(false);
                }
            }
            var outcome = pass.Pods.All(pod => pod.Healthy) ? CheckOutcome.Healthy : CheckOutcome.Unhealthy;
            return new CheckRun(Summary(outcome, pass, repairs, pass.Problems), []);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            var error = ClusterErrors.Map(exception, "run the check", scope, cluster);
            return new CheckRun(CheckSummary.Failed(error, options, cluster, context, started), [error]);
        }
    }

    private static CheckProblem Problem(MediaStackException error) => new(error.ErrorId, error.Message, error.Target?.ToString());

    // The -Mount names, checked against the config (null: every mount each app expects).
    private IReadOnlyCollection<string>? Mounts()
    {
        if (options.Mounts is null)
        {
            return null;
        }
        var configured = config.Mounts.Select(mount => mount.Name).ToList();
        var unknown = options.Mounts.Where(name => !configured.Contains(name, StringComparer.OrdinalIgnoreCase)).ToList();
        if (unknown.Count > 0)
        {
            throw new MediaStackException(ErrorIds.UnknownMount, ErrorCategory.InvalidArgument,
                $"Unknown mount {string.Join(", ", unknown)}; the stack config has {string.Join(", ", configured)}.",
                unknown[0], "Use Get-MediaStackConfig to see the configured mounts.");
        }
        return options.Mounts;
    }

    private sealed record Pass(List<CheckPod> Pods, List<MountFinding> Findings, List<CheckProblem> Problems, int Excluded);

    private bool Excluded(string @namespace, string app, string name) =>
        options.IsExcluded(app) || options.IsExcluded(name) || options.IsExcluded($"{@namespace}/{app}");

    private async Task<Pass> TestAsync(string? scope, IReadOnlyCollection<string>? mounts, Action<string>? progress, CancellationToken ct)
    {
        var pods = new List<CheckPod>();
        var problems = new List<CheckProblem>();
        var failing = new List<MediaPod>();
        var owners = new HashSet<(string Namespace, string? Kind, string? Name)>();
        var excluded = 0;
        var probeOptions = new MountCheckOptions(options.ThrottleLimit, options.TimeoutSec, options.MaxEntries, options.Deep)
        {
            Mounts = mounts,
            StartupGraceSec = config.StartupGraceSec,
        };
        var runner = new MountCheckRunner(exec, probeOptions, ct);
        var reading = Task.Run(async () =>
        {
            await foreach (var result in runner.Results.ReadAllAsync(ct).ConfigureAwait(false))
            {
                if (result.Error is { } error)
                {
                    if (ClusterErrors.IsTerminating(error))
                    {
                        throw error;
                    }
                    problems.Add(Problem(error));
                }
                var report = result.Report;
                pods.Add(Verdict(report));
                if (!report.IsHealthy && report.MediaPod is { } pod)
                {
                    failing.Add(pod);
                }
                progress?.Invoke($"{pods.Count} of {runner.Started} pods checked");
            }
        }, ct);
        try
        {
            var now = DateTime.UtcNow;
            await foreach (var item in PagedList.PodsAsync(client, scope, ct: ct).ConfigureAwait(false))
            {
                var pod = MediaPodFactory.FromPod(item, config, now);
                var app = pod.App ?? pod.Name;
                owners.Add((pod.Namespace, pod.OwnerKind, pod.App));
                if (Excluded(pod.Namespace, app, pod.Name))
                {
                    excluded++;
                    continue;
                }
                runner.Add(pod);
            }
        }
        finally
        {
            runner.Complete();
        }
        await reading.ConfigureAwait(false);

        // A media app that wants pods and has none is failing, not absent (the same report
        // Test-MediaMount gives it).
        var podless = new List<Workloads.Workload>();
        await foreach (var resource in PagedList.AllAppsAsync(client, scope, ct: ct).ConfigureAwait(false))
        {
            Workloads.Workload workload;
            try
            {
                workload = Workloads.Workload.From(resource, config);
            }
            catch (Workloads.WorkloadShapeException)
            {
                continue;
            }
            var ns = workload.Namespace ?? "";
            if (owners.Contains((ns, workload.ResourceKind, workload.Name))
                || MountGrader.WithoutPods(workload, mounts, probeOptions, DateTime.UtcNow) is not { } report)
            {
                continue;
            }
            if (Excluded(ns, workload.Name, workload.Name))
            {
                excluded++;
                continue;
            }
            var verdict = Verdict(report, workload);
            pods.Add(verdict);
            if (!verdict.Healthy)
            {
                podless.Add(workload);
            }
        }

        var findings = new List<MountFinding>();
        if (failing.Count > 0 || podless.Count > 0)
        {
            progress?.Invoke($"diagnosing {failing.Count + podless.Count} unhealthy");
            var live = new LiveSubjects(client, exec, config, new LiveDiagnosisOptions { TimeoutSec = options.TimeoutSec, Deep = options.Deep, ThrottleLimit = options.ThrottleLimit });
            var diagnoser = new MountDiagnoser(config);
            var subjects = failing.Count > 0 ? await live.ForPodsAsync(failing, ct).ConfigureAwait(false) : [];
            foreach (var subject in subjects)
            {
                findings.AddRange(diagnoser.Diagnose(subject));
                problems.AddRange(Gaps(subject));
            }
            foreach (var workload in podless)
            {
                foreach (var subject in await live.ForWorkloadAsync(workload.Resource, [], ct).ConfigureAwait(false))
                {
                    findings.AddRange(diagnoser.Diagnose(subject));
                    problems.AddRange(Gaps(subject));
                }
            }
        }
        pods.Sort((a, b) => (a.Namespace, a.App, a.Name).CompareTo((b.Namespace, b.App, b.Name)));
        return new Pass(pods, findings, problems, excluded);
    }

    private static IEnumerable<CheckProblem> Gaps(DiagnosisSubject subject) =>
        (subject.Evidence?.Gaps ?? []).Select(gap => new CheckProblem("DiagnosisGap", $"{subject.Target.Display}: not collected: {gap}", subject.Target.Display));

    // A pod's verdict, or (podless) that of a workload without pods, named as the workload.
    private static CheckPod Verdict(PodMountReport report, Workloads.Workload? podless = null)
    {
        var sick = report.Mounts.FirstOrDefault(mount => mount.Status is not (MountHealth.OK or MountHealth.SKIP or MountHealth.STARTING));
        return new CheckPod
        {
            Name = podless?.Name ?? report.Name,
            Namespace = report.Namespace,
            Kind = podless?.ResourceKind ?? CheckPod.PodKind,
            App = podless?.Name ?? report.MediaPod?.App ?? report.Name,
            Node = report.Node,
            Healthy = report.IsHealthy,
            Status = report.Status.ToString(),
            Reason = report.IsHealthy ? "" : sick is null ? report.Summary : $"{sick.Mount} {sick.Status}: {sick.Reason}",
            Mounts = report.Mounts,
            DurationMs = report.DurationMs,
        };
    }
}
