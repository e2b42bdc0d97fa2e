using MediaStack.Core.Errors;

namespace MediaStack.Core.Scheduling;

// The cron branch (Linux without systemd, macOS): one line in the user's crontab, marked
// with a comment so that it can be found, replaced and removed without touching any other
// line; or, for all users, a file in /etc/cron.d with the user field.
public static class CronTable
{
    public const string CronD = "/etc/cron.d";

    public static string Marker(string name) => $"# mediastack-check:{name}";

    public static string CronDFile(string name) => Path.Combine(CronD, $"mediastack-check-{name}");

    // Cron fires on clock fields, so only intervals that divide an hour or a day are exact.
    public static string Schedule(TimeSpan interval)
    {
        var minutes = interval.TotalMinutes;
        if (minutes >= 1 && minutes < 60 && minutes == Math.Floor(minutes) && 60 % (int)minutes == 0)
        {
            return minutes == 1 ? "* * * * *" : $"*/{(int)minutes} * * * *";
        }
        var hours = interval.TotalHours;
        if (hours >= 1 && hours < 24 && hours == Math.Floor(hours) && 24 % (int)hours == 0)
        {
            return hours == 1 ? "0 * * * *" : $"0 */{(int)hours} * * *";
        }
        if (interval == TimeSpan.FromDays(1))
        {
            return "0 0 * * *";
        }
        throw new MediaStackException(ErrorIds.InvalidInterval, ErrorCategory.InvalidArgument,
            $"cron cannot run a job every {interval}: only intervals that divide an hour (1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30 minutes) or a day (1, 2, 3, 4, 6, 8, 12 hours) or one day are exact.",
            interval, "Choose such an interval, or use -Scheduler Systemd.");
    }

    public static string Line(string name, TimeSpan interval, IReadOnlyList<string> argv, string? user = null) =>
        $"{Schedule(interval)} {(user is null ? "" : user + " ")}{CommandLines.Cron(argv)} {Marker(name)}";

    // The crontab with this check's line put in (or taken out, when line is null); every
    // other line stays as it was.
    public static string Merge(string crontab, string name, string? line)
    {
        var marker = Marker(name);
        var lines = crontab.Replace("\r\n", "\n").Split('\n').ToList();
        if (lines.Count > 0 && lines[^1].Length == 0)
        {
            lines.RemoveAt(lines.Count - 1);
        }
        lines.RemoveAll(existing => existing.TrimEnd().EndsWith(marker, StringComparison.Ordinal));
        if (line is not null)
        {
            lines.Add(line);
        }
        return lines.Count == 0 ? "" : string.Join('\n', lines) + "\n";
    }

    public static string? Find(string crontab, string name) =>
        crontab.Replace("\r\n", "\n").Split('\n').FirstOrDefault(line => line.TrimEnd().EndsWith(Marker(name), StringComparison.Ordinal));

    public static string CronDContent(string name, string line) =>
        $"# MediaStack scheduled check '{name}', written by Register-MediaStackCheck.\nSHELL=/bin/sh\n{line}\n";
}
