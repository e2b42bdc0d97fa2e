using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using MediaStack.Core.Errors;
using MediaStack.Core.Files;

namespace MediaStack.Core.Checks;

// One app as the last round saw it.
public sealed record AppState(bool Healthy, string Status, string Reason, DateTimeOffset Since);

// The last result of a check, kept between runs (-StatePath): the outcome, each app's
// verdict (keyed "namespace/app", so a rollout's new pod name is no change) and the last
// report, for Get-MediaStackCheck. Compare() says what changed: what alerts are made of.
public sealed record CheckState
{
    public const int Version = 1;

    public CheckOutcome Outcome { get; init; }

    public DateTimeOffset SavedAt { get; init; }

    public IReadOnlyDictionary<string, AppState> Apps { get; init; } = new Dictionary<string, AppState>();

    // The report of the last run (CheckReport.ToJson), secrets already masked.
    public JsonObject? Last { get; init; }

    public static bool SeesCluster(CheckOutcome outcome) => outcome is CheckOutcome.Healthy or CheckOutcome.Unhealthy;

    // <user data folder>/MediaStack/checks/<context or server>-<namespace or all>.state.json
    public static string DefaultPath(string? context, string? cluster, string? @namespace, bool allNamespaces)
    {
        var where = context ?? (Uri.TryCreate(cluster, UriKind.Absolute, out var uri) ? uri.Host : cluster) ?? "cluster";
        var name = $"{where}-{(allNamespaces ? "all" : @namespace ?? "default")}";
        var safe = new string(name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_').ToArray());
        return Path.Combine(DataFolder(), "checks", safe + ".state.json");
    }

    // Where MediaStack keeps data that is not configuration: $XDG_DATA_HOME or
    // ~/.local/share on Linux and macOS, %LOCALAPPDATA% on Windows.
    public static string DataFolder() =>
        Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify), "MediaStack");

    // The state, or null when there is none yet. A file that cannot be read is reported in
    // `problem` and treated as absent, so one bad file never stops the checks for good.
    public static CheckState? Load(string path, out string? problem)
    {
        problem = null;
        if (!File.Exists(path))
        {
            return null;
        }
        try
        {
            var root = JsonNode.Parse(File.ReadAllText(path))?.AsObject() ?? throw new JsonException("empty file");
            var apps = new Dictionary<string, AppState>(StringComparer.Ordinal);
            foreach (var (key, value) in root["apps"]?.AsObject() ?? [])
            {
                if (value is JsonObject app)
                {
                    apps[key] = new AppState(
                        (bool?)app["healthy"] ?? true,
                        (string?)app["status"] ?? "",
                        (string?)app["reason"] ?? "",
                        DateTimeOffset.TryParse((string?)app["since"], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var since) ? since : DateTimeOffset.MinValue);
                }
            }
            return new CheckState
            {
                Outcome = Enum.TryParse<CheckOutcome>((string?)root["outcome"], out var outcome) ? outcome : CheckOutcome.Healthy,
                SavedAt = DateTimeOffset.TryParse((string?)root["savedAt"], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var saved) ? saved : DateTimeOffset.MinValue,
                Apps = apps,
                Last = root["last"] as JsonObject,
            };
        }
        catch (Exception exception) when (exception is JsonException or IOException or UnauthorizedAccessException or InvalidOperationException or FormatException)
        {
            problem = $"The check state file {path} cannot be read ({exception.Message}); it is treated as absent and written anew.";
            return null;
        }
    }

    public static void Save(string path, CheckState state)
    {
        var apps = new JsonObject();
        foreach (var (key, app) in state.Apps.OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            apps[key] = new JsonObject
            {
                ["healthy"] = app.Healthy,
                ["status"] = app.Status,
                ["reason"] = SecretText.Redact(app.Reason),
                ["since"] = app.Since.ToString("o", CultureInfo.InvariantCulture),
            };
        }
        var root = new JsonObject
        {
            ["version"] = Version,
            ["savedAt"] = state.SavedAt.ToString("o", CultureInfo.InvariantCulture),
            ["outcome"] = state.Outcome.ToString(),
            ["apps"] = apps,
            ["last"] = state.Last?.DeepClone(),
        };
        AtomicFile.Write(path, root.ToJsonString(Reports.CheckReport.Indented) + "\n", AtomicFile.OwnerOnly);
    }

    // The next state (without Last) and what changed since `previous` (null: the first run,
    // when every app counts as healthy before, so only problems are news). While the cluster cannot be
    // seen the apps keep their last verdicts, so its return is compared with them.
    public static (CheckState Next, IReadOnlyList<CheckChange> Changes) Compare(CheckState? previous, CheckSummary current)
    {
        var changes = new List<CheckChange>();
        var now = current.StartedAt;
        var before = previous?.Apps ?? new Dictionary<string, AppState>();
        var sawBefore = previous is null || SeesCluster(previous.Outcome);
        if (!SeesCluster(current.Outcome))
        {
            if (sawBefore || previous!.Outcome != current.Outcome)
            {
                changes.Add(new CheckChange(CheckChangeKind.ClusterUnavailable, null, null, previous?.Outcome.ToString(), current.Outcome.ToString(),
                    current.Problems.FirstOrDefault()?.Message ?? current.Outcome.ToString()));
            }
            return (new CheckState { Outcome = current.Outcome, SavedAt = now, Apps = before }, changes);
        }
        if (!sawBefore)
        {
            changes.Add(new CheckChange(CheckChangeKind.ClusterAvailable, null, null, previous!.Outcome.ToString(), current.Outcome.ToString(), "the check reads the cluster again"));
        }
        var apps = new Dictionary<string, AppState>(StringComparer.Ordinal);
        foreach (var group in current.Pods.GroupBy(pod => $"{pod.Namespace}/{pod.App}", StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var sick = group.FirstOrDefault(pod => !pod.Healthy);
            var status = sick?.Status ?? group.First().Status;
            var reason = sick is null ? "" : $"{sick.Name}: {sick.Reason}";
            var old = before.GetValueOrDefault(group.Key);
            var healthy = sick is null;
            var sameVerdict = old is not null ? old.Healthy == healthy : healthy;
            apps[group.Key] = new AppState(healthy, status, reason, sameVerdict && old is not null ? old.Since : now);
            if (!sameVerdict)
            {
                var first = group.First();
                changes.Add(healthy
                    ? new CheckChange(CheckChangeKind.Recovered, first.Namespace, first.App, old?.Status, status, "healthy")
                    : new CheckChange(CheckChangeKind.Unhealthy, first.Namespace, first.App, old?.Status ?? "new", status, reason));
            }
        }
        foreach (var (key, old) in before.Where(pair => !apps.ContainsKey(pair.Key) && !pair.Value.Healthy).OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            var slash = key.IndexOf('/');
            changes.Add(new CheckChange(CheckChangeKind.Gone, key[..slash], key[(slash + 1)..], old.Status, null, "no longer checked"));
        }
        return (new CheckState { Outcome = current.Outcome, SavedAt = now, Apps = apps }, changes);
    }
}
