using MediaStack.Core.Errors;
using MediaStack.Core.Scheduling;

namespace MediaStack.Core.Tests.Scheduling;

public sealed class CronAndScriptTests
{
    [Theory]
    [InlineData(1, "* * * * *")]
    [InlineData(15, "*/15 * * * *")]
    [InlineData(30, "*/30 * * * *")]
    [InlineData(60, "0 * * * *")]
    [InlineData(120, "0 */2 * * *")]
    [InlineData(1440, "0 0 * * *")]
    public void Intervals_cron_can_keep(int minutes, string expected) => Assert.Equal(expected, CronTable.Schedule(TimeSpan.FromMinutes(minutes)));

    [Theory]
    [InlineData(7)]
    [InlineData(25)]
    [InlineData(90)]
    [InlineData(300)]
    public void Intervals_cron_cannot_keep_are_refused_with_the_alternative(int minutes)
    {
        var error = Assert.Throws<MediaStackException>(() => CronTable.Schedule(TimeSpan.FromMinutes(minutes)));
        Assert.Equal(ErrorIds.InvalidInterval, error.ErrorId);
        Assert.Contains("-Scheduler Systemd", error.RecommendedAction);
    }

    [Fact]
    public void The_crontab_keeps_every_other_line_and_holds_one_line_per_check()
    {
        var theirs = "MAILTO=admin@example.com\n0 4 * * * /usr/bin/backup # nightly\n";
        var line = CronTable.Line("lab", TimeSpan.FromMinutes(15), ["/usr/bin/pwsh", "-File", "/home/a/checks/lab.ps1"]);
        Assert.Equal("*/15 * * * * /usr/bin/pwsh -File /home/a/checks/lab.ps1 # mediastack-check:lab", line);

        var once = CronTable.Merge(theirs, "lab", line);
        var twice = CronTable.Merge(once, "lab", line.Replace("*/15", "*/10"));
        Assert.Equal(theirs + line + "\n", once);
        Assert.Equal(theirs + line.Replace("*/15", "*/10") + "\n", twice);
        Assert.Equal(line, CronTable.Find(once, "lab"));
        Assert.Null(CronTable.Find(once, "la"));
        Assert.Equal(theirs, CronTable.Merge(twice, "lab", null));
        Assert.Equal("", CronTable.Merge(line + "\n", "lab", null));
        Assert.Equal("*/15 * * * * root /bin/x # mediastack-check:sys", CronTable.Line("sys", TimeSpan.FromMinutes(15), ["/bin/x"], "root"));
    }

    [Fact]
    public void The_script_passes_values_as_powershell_literals_and_keeps_the_uri_out()
    {
        var script = CheckScript.Render("lab", "/opt/Media Stack/MediaStack.psd1",
        [
            new("Context", "admin's ‘lab’"),
            new("Exclude", new[] { "overseerr", "o'dd*" }),
            new("Repair", true),
            new("MaxRepairs", 2),
            new("NotifyFormat", MediaStack.Core.Checks.Notify.NotifyFormat.Discord),
        ], "/home/a/.local/share/MediaStack/checks/lab.notify", new DateTimeOffset(2026, 11, 25, 0, 0, 0, TimeSpan.Zero), "/a/one:/b/two");

        Assert.Contains("Import-Module -Name '/opt/Media Stack/MediaStack.psd1' -ErrorAction Stop\n", script);
        Assert.Contains("    Context = 'admin''s ‘‘lab’’'\n", script);
        Assert.Contains("    Exclude = @('overseerr', 'o''dd*')\n", script);
        Assert.Contains("    Repair = $true\n", script);
        Assert.Contains("    MaxRepairs = 2\n", script);
        Assert.Contains("    NotifyFormat = 'Discord'\n", script);
        Assert.Contains("$env:KUBECONFIG = '/a/one:/b/two'\n", script);
        Assert.Contains("NotifyUri = [uri](Get-Content -LiteralPath '/home/a/.local/share/MediaStack/checks/lab.notify' -Raw -ErrorAction Stop).Trim()", script);
        Assert.StartsWith("# MediaStack scheduled check 'lab', written by Register-MediaStackCheck on 2026-11-25.", script);
        Assert.Contains("trap {", script);
        Assert.EndsWith("if ($null -eq $summary) { exit 3 }\nexit $summary.ExitCode\n", script);
    }
}
