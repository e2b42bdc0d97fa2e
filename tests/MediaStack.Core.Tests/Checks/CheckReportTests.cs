using System.Diagnostics;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using MediaStack.Core.Checks;
using MediaStack.Core.Checks.Reports;
using MediaStack.Core.Diagnosis.Model;
using MediaStack.Core.Probes;
using static MediaStack.Core.Tests.Checks.Summaries;

namespace MediaStack.Core.Tests.Checks;

// The three report formats, read back the way their consumers read them.
public sealed class CheckReportTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("mediastack-report-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static CheckSummary Mixed() => Round(
        [
            Healthy("plex", "plex-1"),
            Broken("sonarr", "sonarr-1", MountHealth.TIMEOUT, "reading https://user:hunter2@zurg.example/dl/abc?token=s3cr3t did not finish: the backend hangs"),
            Pod("bazarr", "bazarr-1", Mount("bazarr-1", "zurg", MountHealth.SKIP, reason: "no rclone sidecar"), Mount("bazarr-1", "torbox", MountHealth.SKIP, reason: "no rclone sidecar")),
            Podless("prowlarr"),
        ],
        [
            Finding("sonarr-1", Rules.MountHang, "Mount 'zurg' hangs: accessing it did not finish in time."),
            Finding("sonarr-1", Rules.AppPropagation, "The app container mounts /mnt/media with propagation None.", Severity.Warning),
        ]);

    [Fact]
    public void The_json_report_has_the_verdicts_and_no_secret()
    {
        var path = CheckReport.Write(Path.Combine(_folder, "report.json"), Mixed());
        var text = File.ReadAllText(path);
        var json = JsonNode.Parse(text)!;

        Assert.Equal("mediastack.check/v1", (string?)json["schema"]);
        Assert.Equal(1, (int?)json["exitCode"]);
        Assert.Equal("Unhealthy", (string?)json["outcome"]);
        Assert.Equal(4, json["pods"]!.AsArray().Count);
        Assert.Equal(2, (int?)json["counts"]!["unhealthy"]);
        var sonarr = json["pods"]!.AsArray().First(p => (string?)p!["app"] == "sonarr")!;
        Assert.Equal("TIMEOUT", (string?)sonarr["mounts"]![0]!["status"]);
        Assert.Equal("MS244", (string?)json["findings"]![0]!["ruleId"]);
        Assert.DoesNotContain("hunter2", text);
        Assert.DoesNotContain("s3cr3t", text);
        Assert.Contains("https://***@zurg.example/dl/abc?***", text);
        Assert.Contains("+00:00", text);
    }

    [Fact]
    public void JUnit_has_one_case_per_pod_and_mount_with_failures_and_skips()
    {
        var xml = XDocument.Parse(JUnitReport.ToXml(Mixed()));
        var suites = xml.Root!;
        var cases = suites.Descendants("testcase").ToList();

        Assert.Equal("testsuites", suites.Name.LocalName);
        Assert.Equal(7, cases.Count);
        Assert.Equal("7", (string?)suites.Attribute("tests"));
        Assert.Equal("2", (string?)suites.Attribute("failures"));
        Assert.Equal("2", (string?)suites.Attribute("skipped"));
        var hung = cases.Single(c => (string?)c.Attribute("name") == "sonarr-1 zurg");
        Assert.Equal("media-stack.sonarr", (string?)hung.Attribute("classname"));
        Assert.Equal("TIMEOUT", (string?)hung.Element("failure")!.Attribute("type"));
        Assert.Contains("MS244 Error", (string?)hung.Element("system-out"));
        Assert.DoesNotContain("s3cr3t", xml.ToString());
        Assert.NotNull(cases.Single(c => (string?)c.Attribute("name") == "deployment/prowlarr").Element("failure"));
        Assert.Equal("0.160", (string?)cases.Single(c => (string?)c.Attribute("name") == "plex-1 zurg").Attribute("time"));
    }

    [Fact]
    public void JUnit_for_an_unreachable_cluster_is_one_error()
    {
        var xml = XDocument.Parse(JUnitReport.ToXml(Unreachable()));
        var error = Assert.Single(xml.Descendants("testcase")).Element("error");

        Assert.Equal("ClusterUnreachable", (string?)error!.Attribute("type"));
        Assert.Equal("1", (string?)xml.Root!.Attribute("errors"));
    }

    [Fact]
    public void Metrics_follow_prometheus_conventions()
    {
        var text = PrometheusReport.ToText(Mixed());

        Assert.Contains("mediastack_check_exit_code 1\n", text);
        Assert.Contains("mediastack_check_last_run_timestamp_seconds 1795594500\n", text);
        Assert.Contains("mediastack_check_duration_seconds 1.234\n", text);
        Assert.Contains("mediastack_mount_healthy{namespace=\"media-stack\",app=\"sonarr\",pod=\"sonarr-1\",mount=\"zurg\"} 0\n", text);
        Assert.Contains("mediastack_mount_status{namespace=\"media-stack\",app=\"sonarr\",pod=\"sonarr-1\",mount=\"zurg\",status=\"TIMEOUT\"} 1\n", text);
        Assert.Contains("mediastack_mount_entries{namespace=\"media-stack\",app=\"plex\",pod=\"plex-1\",mount=\"zurg\"} 25000\n", text);
        Assert.Contains("mediastack_mount_read_duration_seconds{namespace=\"media-stack\",app=\"plex\",pod=\"plex-1\",mount=\"zurg\"} 0.12\n", text);
        Assert.Contains("mediastack_app_healthy{namespace=\"media-stack\",app=\"prowlarr\"} 0\n", text);
        Assert.Contains("mediastack_check_findings{rule=\"MS244\",name=\"MountHang\",severity=\"error\"} 1\n", text);
        Assert.Contains("mediastack_check_pods{verdict=\"skipped\"} 1\n", text);
        Assert.DoesNotContain("bazarr-1", text);
        foreach (var family in text.Split('\n').Where(line => line.Length > 0 && line[0] != '#').Select(line => line.Split('{', ' ')[0]).Distinct())
        {
            Assert.Contains($"# TYPE {family} gauge\n", text);
            Assert.Matches("^mediastack_[a-z_]+$", family);
        }
    }

    [Fact]
    public void Metrics_of_an_unreachable_cluster_say_so_without_stale_series()
    {
        var text = PrometheusReport.ToText(Unreachable());

        Assert.Contains("mediastack_check_up 0\n", text);
        Assert.Contains("mediastack_check_exit_code 2\n", text);
        Assert.DoesNotContain("mediastack_mount_", text);
    }

    [SkippableFact]
    public void Promtool_accepts_the_metrics_even_with_hostile_label_values()
    {
        var promtool = new[] { "/usr/bin/promtool", "/usr/local/bin/promtool" }.FirstOrDefault(File.Exists);
        Skip.If(promtool is null, "promtool (Debian package prometheus) is not installed; build.ps1 -Task Test installs it.");
        var hostile = Pod("we\"ird\\app", "pod\nname", Mount("pod\nname", "zu\"rg", MountHealth.FAIL, 5));
        var path = PrometheusReport.Write(Path.Combine(_folder, "mediastack.prom"), Round([Healthy("plex", "plex-1"), hostile, Podless("prowlarr")], Mixed().Findings));

        var start = new ProcessStartInfo(promtool!) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("check");
        start.ArgumentList.Add("metrics");
        using var process = Process.Start(start)!;
        process.StandardInput.Write(File.ReadAllText(path));
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
        Assert.True(process.WaitForExit(30_000));
        Assert.True(process.ExitCode == 0, output);
        Assert.Equal("", output.Trim());
    }
}
