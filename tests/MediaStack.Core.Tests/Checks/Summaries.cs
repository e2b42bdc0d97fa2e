using MediaStack.Core.Checks;
using MediaStack.Core.Diagnosis.Model;
using MediaStack.Core.Probes;

namespace MediaStack.Core.Tests.Checks;

// Check summaries built from a few facts, as a round would produce them.
internal static class Summaries
{
    public static readonly DateTimeOffset Start = new(2026, 11, 25, 8, 15, 0, TimeSpan.Zero);

    public static MountStatus Mount(string pod, string mount, MountHealth status, long? entries = null, string reason = "", int? latency = 40, int? read = null) => new()
    {
        Name = pod,
        Namespace = "media-stack",
        Container = "app",
        Mount = mount,
        Path = $"/mnt/media/{mount}/__all__",
        Status = status,
        Entries = entries,
        LatencyMs = latency,
        ReadLatencyMs = read,
        ReadBytes = read is null ? null : 4096,
        Reason = reason.Length > 0 ? reason : $"{entries ?? 0} entries",
    };

    public static CheckPod Pod(string app, string pod, params MountStatus[] mounts)
    {
        var sick = mounts.FirstOrDefault(m => m.Status is not (MountHealth.OK or MountHealth.SKIP));
        return new CheckPod
        {
            Name = pod,
            Namespace = "media-stack",
            App = app,
            Node = "wow-ocp-node2",
            Healthy = sick is null,
            Status = PodMountReport.Worst(mounts.Select(m => m.Status)).ToString(),
            Reason = sick is null ? "" : $"{sick.Mount} {sick.Status}: {sick.Reason}",
            Mounts = mounts,
        };
    }

    public static CheckPod Healthy(string app, string pod) =>
        Pod(app, pod, Mount(pod, "zurg", MountHealth.OK, 25000, read: 120), Mount(pod, "torbox", MountHealth.OK, 60, read: 80));

    public static CheckPod Broken(string app, string pod, MountHealth status = MountHealth.NOTMOUNTED, string reason = "HostToContainer missing on the app container") =>
        Pod(app, pod, Mount(pod, "zurg", status, reason: reason), Mount(pod, "torbox", MountHealth.OK, 60));

    public static CheckPod Podless(string deployment, string reason = "MS212: Pods are refused by SCC admission") => new()
    {
        Name = deployment,
        Namespace = "media-stack",
        Kind = CheckPod.DeploymentKind,
        App = deployment,
        Healthy = false,
        Status = "NOTREADY",
        Reason = reason,
    };

    public static MountFinding Finding(string pod, RuleInfo rule, string message, Severity severity = Severity.Error) =>
        new(rule, severity, new DiagnosisTarget("media-stack", pod.Split('-')[0], pod, null), message) { Remedy = "Repair-MediaMount" };

    public static CheckSummary Round(params CheckPod[] pods) => Round(pods, []);

    public static CheckSummary Round(IReadOnlyList<CheckPod> pods, IReadOnlyList<MountFinding> findings, DateTimeOffset? start = null) => new()
    {
        Outcome = pods.All(pod => pod.Healthy) ? CheckOutcome.Healthy : CheckOutcome.Unhealthy,
        Cluster = "https://api.lab.example:6443",
        Context = "lab",
        Namespace = "media-stack",
        Deep = true,
        StartedAt = start ?? Start,
        Duration = TimeSpan.FromMilliseconds(1234),
        Pods = pods,
        Findings = findings,
    };

    public static CheckSummary Unreachable(DateTimeOffset? start = null) => new()
    {
        Outcome = CheckOutcome.Unreachable,
        Cluster = "https://api.lab.example:6443",
        Context = "lab",
        Namespace = "media-stack",
        StartedAt = start ?? Start,
        Duration = TimeSpan.FromMilliseconds(20),
        Problems = [new CheckProblem("ClusterUnreachable", "The API server https://api.lab.example:6443 cannot be reached while trying to run the check: Connection refused")],
    };
}
