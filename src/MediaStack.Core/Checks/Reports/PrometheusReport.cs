using System.Globalization;
using System.Text;
using MediaStack.Core.Files;
using MediaStack.Core.Probes;

namespace MediaStack.Core.Checks.Reports;

// The round for node_exporter's textfile collector (-MetricsPath, a *.prom file): gauges in
// base units (seconds), snake_case names under mediastack_, HELP and TYPE for each family,
// label values escaped. Written atomically: the collector never reads half a file.
// Pods whose mounts are all SKIP (nothing to check) are counted, not listed, so that
// -AllNamespaces on a big cluster does not bring thousands of series.
public static class PrometheusReport
{
    public static string ToText(CheckSummary summary)
    {
        var text = new StringBuilder();
        var metrics = new Families(text);
        metrics.Gauge("mediastack_check_up", "Whether the last check could read the cluster (1) or not (0).",
            [([], CheckState.SeesCluster(summary.Outcome) ? 1 : 0)]);
        metrics.Gauge("mediastack_check_healthy", "Whether every pod of the last check was healthy (1) or not (0).",
            [([], summary.IsHealthy ? 1 : 0)]);
        metrics.Gauge("mediastack_check_exit_code", "Exit code of the last check: 0 healthy, 1 unhealthy, 2 cluster unreachable or unauthorised, 3 bad arguments or config.",
            [([], summary.ExitCode)]);
        metrics.Gauge("mediastack_check_last_run_timestamp_seconds", "When the last check started, in seconds since the Unix epoch.",
            [([], summary.StartedAt.ToUnixTimeMilliseconds() / 1000.0)]);
        metrics.Gauge("mediastack_check_duration_seconds", "How long the last check took.",
            [([], summary.Duration.TotalSeconds)]);
        if (!CheckState.SeesCluster(summary.Outcome))
        {
            return text.ToString();
        }
        metrics.Gauge("mediastack_check_pods", "Pods of the last check (and Deployments without pods) by verdict; skipped pods had nothing to check.",
        [
            ([("verdict", "healthy")], summary.Pods.Count(pod => pod.Healthy && !pod.Skipped)),
            ([("verdict", "unhealthy")], summary.UnhealthyCount),
            ([("verdict", "skipped")], summary.Pods.Count(pod => pod.Skipped)),
        ]);
        metrics.Gauge("mediastack_app_healthy", "Whether every pod of the app (its Deployment) was healthy (1) or not (0); a Deployment without pods is unhealthy.",
            summary.Pods.GroupBy(pod => (pod.Namespace, pod.App))
                .OrderBy(app => app.Key.Namespace, StringComparer.Ordinal).ThenBy(app => app.Key.App, StringComparer.Ordinal)
                .Select(app => (Labels(("namespace", app.Key.Namespace), ("app", app.Key.App)), app.All(pod => pod.Healthy) ? 1.0 : 0.0)).ToList());

        var mounts = summary.Pods.Where(pod => pod.Kind == CheckPod.PodKind && !pod.Skipped)
            .SelectMany(pod => pod.Mounts.Select(mount => (Labels: Labels(("namespace", pod.Namespace), ("app", pod.App), ("pod", pod.Name), ("mount", mount.Mount)), Mount: mount)))
            .ToList();
        metrics.Gauge("mediastack_mount_healthy", "Whether the mount is healthy (OK, or SKIP: nothing to check) as the app container sees it.",
            mounts.Select(m => (m.Labels, m.Mount.Status is MountHealth.OK or MountHealth.SKIP ? 1.0 : 0.0)).ToList());
        metrics.Gauge("mediastack_mount_status", "The mount's status in the last check: 1 for the current status, 0 for the others.",
            mounts.SelectMany(m => Enum.GetValues<MountHealth>().Select(status => (Labels: m.Labels.Append(("status", status.ToString())).ToList(), Value: m.Mount.Status == status ? 1.0 : 0.0))).ToList());
        metrics.Gauge("mediastack_mount_entries", "Entries counted in the mount's probe directory (the count stops at -MaxEntries).",
            mounts.Where(m => m.Mount.Entries is not null).Select(m => (m.Labels, (double)m.Mount.Entries!.Value)).ToList());
        metrics.Gauge("mediastack_mount_probe_duration_seconds", "Time the stat and the listing of the mount took inside the pod.",
            mounts.Where(m => m.Mount.LatencyMs is not null).Select(m => (m.Labels, m.Mount.LatencyMs!.Value / 1000.0)).ToList());
        metrics.Gauge("mediastack_mount_read_duration_seconds", "Time the deep read of the first bytes of one file took inside the pod.",
            mounts.Where(m => m.Mount.ReadLatencyMs is not null).Select(m => (m.Labels, m.Mount.ReadLatencyMs!.Value / 1000.0)).ToList());
        metrics.Gauge("mediastack_check_findings", "Findings of the last check's diagnosis, by rule and severity.",
            summary.Findings.GroupBy(f => (f.RuleId, f.RuleName, Severity: f.Severity.ToString().ToLowerInvariant()))
                .OrderBy(g => g.Key.RuleId, StringComparer.Ordinal).ThenBy(g => g.Key.Severity, StringComparer.Ordinal)
                .Select(g => (Labels(("rule", g.Key.RuleId), ("name", g.Key.RuleName), ("severity", g.Key.Severity)), (double)g.Count())).ToList());
        metrics.Gauge("mediastack_check_repairs", "Repairs of the last check by outcome.",
            summary.Repairs.GroupBy(r => r.Outcome.ToString().ToLowerInvariant()).OrderBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => (Labels(("outcome", g.Key)), (double)g.Count())).ToList());
        return text.ToString();
    }

    public static string Write(string path, CheckSummary summary) => AtomicFile.Write(path, ToText(summary));

    private static List<(string Name, string Value)> Labels(params (string Name, string Value)[] labels) => [.. labels];

    // Writes one family at a time, HELP and TYPE first; a family without samples is left out.
    private sealed class Families(StringBuilder text)
    {
        public void Gauge(string name, string help, IReadOnlyList<(List<(string Name, string Value)> Labels, double Value)> samples)
        {
            if (samples.Count == 0)
            {
                return;
            }
            text.Append("# HELP ").Append(name).Append(' ').Append(help.Replace("\\", "\\\\").Replace("\n", "\\n")).Append('\n');
            text.Append("# TYPE ").Append(name).Append(" gauge\n");
            foreach (var (labels, value) in samples)
            {
                text.Append(name);
                if (labels.Count > 0)
                {
                    text.Append('{').AppendJoin(',', labels.Select(label => $"{label.Name}=\"{Escape(label.Value)}\"")).Append('}');
                }
                text.Append(' ').Append(Number(value)).Append('\n');
            }
        }

        private static string Escape(string value) => value.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("\n", "\\n");

        private static string Number(double value) =>
            double.IsNaN(value) ? "NaN" : value.ToString("0.###", CultureInfo.InvariantCulture);
    }
}
