using System.Globalization;
using System.Text;
using System.Xml;
using MediaStack.Core.Files;
using MediaStack.Core.Probes;

namespace MediaStack.Core.Checks.Reports;

// The round as JUnit XML (-JUnitPath), the format CI servers show: one testsuite per
// namespace, one testcase per pod and mount (failure for an unhealthy mount, skipped for a
// SKIP), one per Deployment without pods, and one error case when the cluster could not be
// read. A failing case carries the pod's findings in system-out.
public static class JUnitReport
{
    public static string ToXml(CheckSummary summary)
    {
        var text = new StringBuilder();
        var settings = new XmlWriterSettings { Indent = true, Encoding = new UTF8Encoding(false), OmitXmlDeclaration = false };
        using (var xml = XmlWriter.Create(new Utf8StringWriter(text), settings))
        {
            var cases = Cases(summary).ToList();
            xml.WriteStartElement("testsuites");
            xml.WriteAttributeString("name", "MediaStack check");
            Counts(xml, cases, summary.Duration.TotalSeconds);
            xml.WriteAttributeString("timestamp", summary.StartedAt.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture));
            foreach (var suite in cases.GroupBy(c => c.Suite, StringComparer.Ordinal))
            {
                var members = suite.ToList();
                xml.WriteStartElement("testsuite");
                xml.WriteAttributeString("name", suite.Key);
                Counts(xml, members, members.Sum(c => c.Seconds));
                xml.WriteAttributeString("timestamp", summary.StartedAt.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture));
                xml.WriteStartElement("properties");
                Property(xml, "cluster", summary.Cluster);
                Property(xml, "context", summary.Context);
                Property(xml, "outcome", summary.Outcome.ToString());
                Property(xml, "exitCode", summary.ExitCode.ToString(CultureInfo.InvariantCulture));
                xml.WriteEndElement();
                foreach (var test in members)
                {
                    xml.WriteStartElement("testcase");
                    xml.WriteAttributeString("classname", test.ClassName);
                    xml.WriteAttributeString("name", test.Name);
                    xml.WriteAttributeString("time", test.Seconds.ToString("0.000", CultureInfo.InvariantCulture));
                    if (test.Result is "failure" or "error" or "skipped")
                    {
                        xml.WriteStartElement(test.Result);
                        xml.WriteAttributeString("message", Clean(test.Message));
                        if (test.Result != "skipped")
                        {
                            xml.WriteAttributeString("type", test.Type);
                            xml.WriteString(Clean(test.Message));
                        }
                        xml.WriteEndElement();
                    }
                    if (test.Output.Length > 0)
                    {
                        xml.WriteElementString("system-out", Clean(test.Output));
                    }
                    xml.WriteEndElement();
                }
                xml.WriteEndElement();
            }
            xml.WriteEndElement();
        }
        return text.Append('\n').ToString();
    }

    public static string Write(string path, CheckSummary summary) => AtomicFile.Write(path, ToXml(summary));

    private sealed record TestCase(string Suite, string ClassName, string Name, double Seconds, string Result, string Type, string Message, string Output);

    private static IEnumerable<TestCase> Cases(CheckSummary summary)
    {
        if (!CheckState.SeesCluster(summary.Outcome))
        {
            var problem = summary.Problems.FirstOrDefault();
            yield return new TestCase("cluster", "mediastack.cluster", "read the cluster", summary.Duration.TotalSeconds, "error",
                problem?.ErrorId ?? summary.Outcome.ToString(), SecretText.Redact(problem?.Message ?? summary.Outcome.ToString()), "");
            yield break;
        }
        foreach (var pod in summary.Pods)
        {
            var output = string.Join("\n", summary.Findings
                .Where(f => f.Namespace == pod.Namespace && (f.Pod == pod.Name || (f.Pod is null && f.Deployment == pod.Name)))
                .Select(f => SecretText.Redact($"{f.RuleId} {f.Severity}: {f.Message} Remedy: {f.Remedy}")));
            var className = $"{pod.Namespace}.{pod.App}";
            if (pod.Kind != CheckPod.PodKind)
            {
                yield return new TestCase(pod.Namespace, className, $"{pod.Kind.ToLowerInvariant()}/{pod.Name}", 0,
                    pod.Healthy ? "passed" : "failure", pod.Status, SecretText.Redact(pod.Reason), output);
                continue;
            }
            foreach (var mount in pod.Mounts)
            {
                var seconds = ((mount.LatencyMs ?? 0) + (mount.ReadLatencyMs ?? 0)) / 1000.0;
                var result = mount.Status switch
                {
                    MountHealth.OK => "passed",
                    MountHealth.SKIP => "skipped",
                    _ => "failure",
                };
                yield return new TestCase(pod.Namespace, className, $"{pod.Name} {mount.Mount}", seconds, result,
                    mount.Status.ToString(), SecretText.Redact($"{mount.Status}: {mount.Reason}"), result == "failure" ? output : "");
            }
        }
    }

    private static void Counts(XmlWriter xml, IReadOnlyCollection<TestCase> cases, double seconds)
    {
        xml.WriteAttributeString("tests", cases.Count.ToString(CultureInfo.InvariantCulture));
        xml.WriteAttributeString("failures", cases.Count(c => c.Result == "failure").ToString(CultureInfo.InvariantCulture));
        xml.WriteAttributeString("errors", cases.Count(c => c.Result == "error").ToString(CultureInfo.InvariantCulture));
        xml.WriteAttributeString("skipped", cases.Count(c => c.Result == "skipped").ToString(CultureInfo.InvariantCulture));
        xml.WriteAttributeString("time", seconds.ToString("0.000", CultureInfo.InvariantCulture));
    }

    private static void Property(XmlWriter xml, string name, string? value)
    {
        xml.WriteStartElement("property");
        xml.WriteAttributeString("name", name);
        xml.WriteAttributeString("value", Clean(value ?? ""));
        xml.WriteEndElement();
    }

    // XML 1.0 cannot carry most control characters, not even escaped; a log line may have them.
    private static string Clean(string text) =>
        new(text.Where(c => c is '\t' or '\n' or '\r' || (c >= 0x20 && XmlConvert.IsXmlChar(c)) || char.IsSurrogate(c)).ToArray());

    private sealed class Utf8StringWriter(StringBuilder builder) : StringWriter(builder, CultureInfo.InvariantCulture)
    {
        public override Encoding Encoding => new UTF8Encoding(false);
    }
}
