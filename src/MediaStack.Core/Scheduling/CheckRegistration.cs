using System.Globalization;
using System.Text.Json.Nodes;
using MediaStack.Core.Checks;
using MediaStack.Core.Files;

namespace MediaStack.Core.Scheduling;

public enum CheckScheduler
{
    // Task Scheduler on Windows; systemd when it runs (Linux), else cron.
    Auto,
    Systemd,
    Cron,
    TaskScheduler,
}

public enum CheckScope
{
    // systemd user units, the user's crontab, a task that runs as the current user.
    CurrentUser,
    // system units, /etc/cron.d, a task that runs as SYSTEM (root or administrator).
    AllUsers,
}

// One registered check: what Register-MediaStackCheck wrote (kept next to the script as
// <name>.check.json) and, from Get-MediaStackCheck, whether it is still in place and what
// its last run found.
public sealed record CheckRegistration
{
    public required string Name { get; init; }

    public CheckScheduler Scheduler { get; init; }

    public CheckScope Scope { get; init; }

    public TimeSpan Interval { get; init; }

    // The command line as the scheduler holds it (it names the script, never a secret).
    public required string Command { get; init; }

    public required string ScriptPath { get; init; }

    public required string StatePath { get; init; }

    public IReadOnlyList<string> Files { get; init; } = [];

    public DateTimeOffset Registered { get; init; }

    // Set by Get-MediaStackCheck.
    public bool Installed { get; init; }

    public string? Status { get; init; }

    public DateTimeOffset? LastRun { get; init; }

    public CheckOutcome? LastOutcome { get; init; }

    public int? LastExitCode => LastOutcome is { } outcome ? CheckExitCode.For(outcome) : null;

    public string? LastHeadline { get; init; }

    public string LastRunText => LastRun is { } run ? run.ToLocalTime().ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) : "never";

    public object? LastResult { get; init; }

    public string RecordPath => Record(Name);

    public static string Folder => Path.Combine(CheckState.DataFolder(), "checks");

    public static string Record(string name) => Path.Combine(Folder, $"{name}.check.json");

    public void Save() => AtomicFile.Write(RecordPath, new JsonObject
    {
        ["name"] = Name,
        ["scheduler"] = Scheduler.ToString(),
        ["scope"] = Scope.ToString(),
        ["interval"] = Interval.ToString("c", CultureInfo.InvariantCulture),
        ["command"] = Command,
        ["scriptPath"] = ScriptPath,
        ["statePath"] = StatePath,
        ["files"] = new JsonArray(Files.Select(file => (JsonNode)file).ToArray()),
        ["registered"] = Registered.ToString("o", CultureInfo.InvariantCulture),
    }.ToJsonString(Checks.Reports.CheckReport.Indented) + "\n");

    // Every registration of this user; a record that cannot be read is left out.
    public static IReadOnlyList<CheckRegistration> LoadAll()
    {
        if (!Directory.Exists(Folder))
        {
            return [];
        }
        var list = new List<CheckRegistration>();
        foreach (var file in Directory.GetFiles(Folder, "*.check.json").Order(StringComparer.Ordinal))
        {
            try
            {
                var json = JsonNode.Parse(File.ReadAllText(file))!.AsObject();
                list.Add(new CheckRegistration
                {
                    Name = (string)json["name"]!,
                    Scheduler = Enum.Parse<CheckScheduler>((string)json["scheduler"]!),
                    Scope = Enum.Parse<CheckScope>((string)json["scope"]!),
                    Interval = TimeSpan.ParseExact((string)json["interval"]!, "c", CultureInfo.InvariantCulture),
                    Command = (string?)json["command"] ?? "",
                    ScriptPath = (string?)json["scriptPath"] ?? "",
                    StatePath = (string?)json["statePath"] ?? "",
                    Files = json["files"]?.AsArray().Select(node => (string?)node).OfType<string>().ToList() ?? [],
                    Registered = DateTimeOffset.Parse((string?)json["registered"] ?? "", CultureInfo.InvariantCulture),
                });
            }
            catch (Exception exception) when (exception is System.Text.Json.JsonException or IOException or FormatException or ArgumentException or InvalidOperationException or NullReferenceException)
            {
                // Not ours, or damaged: Get-MediaStackCheck lists what it can read.
            }
        }
        return list;
    }
}
