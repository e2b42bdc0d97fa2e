using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using MediaStack.Core.Files;
using MediaStack.Core.Probes;

namespace MediaStack.Core.Checks.Reports;

// The summary as JSON (-ReportPath, and the "last" result in the state file): a fixed,
// camelCase schema built field by field, so nothing that is not meant to leave the machine
// (evidence log lines, tokens, the notify URI) can slip into it. Texts are redacted.
public static class CheckReport
{
    public const string Schema = "mediastack.check/v1";

    internal static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    // What a round was and how it ended: the head of the report and of the generic alert.
    public static JsonObject Head(CheckSummary summary) => new()
    {
        ["outcome"] = summary.Outcome.ToString(),
        ["exitCode"] = summary.ExitCode,
        ["healthy"] = summary.IsHealthy,
        ["headline"] = SecretText.Redact(summary.Headline),
        ["cluster"] = summary.Cluster,
        ["context"] = summary.Context,
        ["namespace"] = summary.Namespace,
        ["allNamespaces"] = summary.AllNamespaces,
    };

    public static JsonArray Changes(IEnumerable<CheckChange> changes) => Array(changes.Select(change => new JsonObject
    {
        ["kind"] = change.Kind.ToString(),
        ["namespace"] = change.Namespace,
        ["app"] = change.App,
        ["before"] = change.Before,
        ["after"] = change.After,
        ["reason"] = SecretText.Redact(change.Reason),
    }));

    public static JsonObject ToJson(CheckSummary summary)
    {
        var json = new JsonObject { ["schema"] = Schema };
        foreach (var (key, value) in Head(summary))
        {
            json[key] = value?.DeepClone();
        }
        foreach (var (key, value) in Body(summary))
        {
            json[key] = value?.DeepClone();
        }
        return json;
    }

    private static JsonObject Body(CheckSummary summary) => new()
    {
        ["deep"] = summary.Deep,
        ["repair"] = summary.Repair,
        ["startedAt"] = summary.StartedAt.ToString("o", CultureInfo.InvariantCulture),
        ["durationMs"] = (long)summary.Duration.TotalMilliseconds,
        ["counts"] = new JsonObject
        {
            ["checked"] = summary.Pods.Count,
            ["healthy"] = summary.HealthyCount,
            ["unhealthy"] = summary.UnhealthyCount,
            ["excluded"] = summary.Excluded,
        },
        ["pods"] = Array(summary.Pods.Select(pod => new JsonObject
        {
            ["name"] = pod.Name,
            ["namespace"] = pod.Namespace,
            ["kind"] = pod.Kind,
            ["app"] = pod.App,
            ["node"] = pod.Node,
            ["healthy"] = pod.Healthy,
            ["status"] = pod.Status,
            ["reason"] = SecretText.Redact(pod.Reason),
            ["durationMs"] = pod.DurationMs,
            ["mounts"] = Array(pod.Mounts.Select(Mount)),
        })),
        ["findings"] = Array(summary.Findings.Select(finding => new JsonObject
        {
            ["ruleId"] = finding.RuleId,
            ["ruleName"] = finding.RuleName,
            ["severity"] = finding.Severity.ToString(),
            ["namespace"] = finding.Namespace,
            ["object"] = finding.Object,
            ["container"] = finding.Container,
            ["mount"] = finding.Mount,
            ["message"] = SecretText.Redact(finding.Message),
            ["remedy"] = SecretText.Redact(finding.Remedy),
            ["fixable"] = finding.Fixable,
        })),
        ["repairs"] = Array(summary.Repairs.Select(repair => new JsonObject
        {
            ["action"] = repair.Action,
            ["namespace"] = repair.Namespace,
            ["name"] = repair.Name,
            ["target"] = repair.Target,
            ["outcome"] = repair.Outcome.ToString(),
            ["reason"] = SecretText.Redact(repair.Reason),
            ["changes"] = Array(repair.Changes.Select(change => (JsonNode)SecretText.Redact(change))),
            ["ruleIds"] = Array(repair.RuleIds.Select(id => (JsonNode)id)),
        })),
        ["problems"] = Array(summary.Problems.Select(problem => new JsonObject
        {
            ["errorId"] = problem.ErrorId,
            ["message"] = SecretText.Redact(problem.Message),
            ["target"] = problem.Target,
        })),
        ["changes"] = Changes(summary.Changes),
        ["notification"] = summary.Notification,
    };

    public static string ToText(CheckSummary summary) => ToJson(summary).ToJsonString(Indented) + "\n";

    public static string Write(string path, CheckSummary summary) => AtomicFile.Write(path, ToText(summary));

    private static JsonObject Mount(MountStatus mount) => new()
    {
        ["mount"] = mount.Mount,
        ["path"] = mount.Path,
        ["status"] = mount.Status.ToString(),
        ["entries"] = mount.Entries,
        ["entriesCapped"] = mount.EntriesCapped,
        ["fsType"] = mount.FsType,
        ["latencyMs"] = mount.LatencyMs,
        ["readBytes"] = mount.ReadBytes,
        ["readLatencyMs"] = mount.ReadLatencyMs,
        ["reason"] = SecretText.Redact(mount.Reason),
    };

    private static JsonArray Array(IEnumerable<JsonNode> items) => new(items.ToArray());
}
