using System.Runtime.CompilerServices;
using System.Text;
using MediaStack.Core.Config;
using MediaStack.Core.Diagnosis;
using MediaStack.Core.Diagnosis.Model;
using MediaStack.Core.Diagnosis.Static;
using MediaStack.Core.Reconcile;
using MediaStack.Core.Repair;
using MediaStack.Core.Workloads;
using MediaStack.Core.Yaml.Editing;

namespace MediaStack.Core.Tests.Corpus;

// One layout of tests/corpus copied to a temporary folder, with the operations the cmdlets
// run on a repository (Add-/Remove-RcloneSidecar -Path, Invoke-MountDiagnosis -Path |
// Repair-MediaMount) done through the same Core workflow, and their output rendered as text.
internal sealed class CorpusRepository : IDisposable
{
    public static readonly MediaStackConfig Config = MediaStackConfig.Default with { TimeZone = "Etc/UTC" };

    public CorpusRepository(string layout)
        : this(layout, Path.Combine(CorpusFolder(), layout, "repo"))
    {
    }

    // A copy of any folder of manifests, worked on the same way.
    public CorpusRepository(string name, string source)
    {
        Layout = name;
        Root = Directory.CreateTempSubdirectory($"mediastack-corpus-{name}-").FullName;
        Copy(source, Root);
    }

    private static readonly bool Update = Environment.GetEnvironmentVariable("MEDIASTACK_UPDATE_GOLDEN") == "1";

    // Compares with the layout's golden file, or (MEDIASTACK_UPDATE_GOLDEN=1) rewrites it.
    public static void Golden(string layout, string name, string actual)
    {
        var path = Path.Combine(CorpusFolder(), layout, "expected", name);
        if (Update)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, actual);
            return;
        }
        Assert.True(File.Exists(path), $"{path} is missing; create it with MEDIASTACK_UPDATE_GOLDEN=1 and read it.");
        Assert.Equal(File.ReadAllText(path), actual);
    }

    public string Layout { get; }

    public string Root { get; }

    public static string CorpusFolder([CallerFilePath] string source = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(source)!, "..", "..", "corpus"));

    public static IEnumerable<string> Layouts() =>
        Directory.EnumerateDirectories(CorpusFolder()).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal);

    public string Relative(string path) => Path.GetRelativePath(Root, path).Replace('\\', '/');

    public IReadOnlyList<string> Files() => ManifestScan.Files(Root);

    public Dictionary<string, string> Snapshot() => Files().ToDictionary(file => file, File.ReadAllText);

    // What the model says of every workload document, one line each.
    public string Classification()
    {
        var text = new StringBuilder();
        foreach (var (document, workload, error) in ManifestScan.Workloads(ManifestScan.Documents(Root), Config))
        {
            var at = $"{Relative(document.Source)}#{document.Index}";
            if (error is not null)
            {
                text.Append(at).Append(" error ").Append(error.ErrorId).Append(": ").AppendLine(Clean(error.Message));
                continue;
            }
            text.Append(at).Append(' ').Append(workload!.ResourceKind).Append('/').Append(workload.Name).Append(": ").Append(workload.Kind);
            text.Append(" (").Append(workload.KindReason).Append(')');
            if (workload.App is { } app)
            {
                text.Append("; app ").Append(app.Name).Append(" (").Append(workload.AppReason).Append(')');
            }
            if (workload.MediaVolume is { } media)
            {
                text.Append("; media volume ").Append(media).Append(" at ").Append(workload.MediaRoot);
            }
            if (workload.ExpectedMounts.Count > 0)
            {
                text.Append("; expects ").Append(string.Join(", ", workload.ExpectedMounts.Select(mount => $"{mount.Name} {mount.MountPath} ({mount.ServedBy})")));
            }
            if (workload.MountsNarrowedBy is { } narrowed)
            {
                text.Append(" [").Append(narrowed).Append(']');
            }
            text.Append("; roles ").AppendLine(string.Join(", ", workload.AllContainers.Select(container => $"{container.Name}={container.Role}")));
        }
        foreach (var template in ManifestScan.Documents(Root).Where(document => document.IsTemplate))
        {
            text.Append(Relative(template.Source)).AppendLine(" template (render it first)");
        }
        return text.ToString();
    }

    public StaticSubjects Read() => ManifestSubjects.FromPath(Root, Config);

    public IReadOnlyList<MountFinding> Findings(bool includePass = false)
    {
        return StaticDiagnosis.Diagnose(new MountDiagnoser(Config), [Read()], includePass).ToList();
    }

    public string FindingsText()
    {
        var read = Read();
        var text = new StringBuilder();
        foreach (var error in read.Errors)
        {
            text.Append("error ").Append(error.ErrorId).Append(": ").AppendLine(Clean(error.Message));
        }
        foreach (var finding in Findings())
        {
            text.Append(finding.RuleId).Append(' ').Append(finding.Severity).Append(' ')
                .Append(finding.File is { } file ? Relative(file) : "-").Append(finding.Line is { } line ? $":{line}" : "").Append(' ')
                .Append(finding.Target.ResourceKind.ToLowerInvariant()).Append('/').Append(finding.Deployment ?? "-")
                .Append(finding.Container is { } container ? $" [{container}]" : "")
                .Append(finding.Mount is { } mount ? $" ({mount})" : "")
                .Append(": ").AppendLine(Clean(finding.Message));
        }
        return text.ToString();
    }

    // Add-/Remove-RcloneSidecar -Path <repo>: every workload document, one result line each.
    // A Repair request applies its findings to the documents they name.
    public string Apply(ChangeRequest request)
    {
        if (request.Action == ChangeAction.Repair)
        {
            return Repair(request.Findings);
        }
        var text = new StringBuilder();
        var reconciler = new Reconciler(Config, () => throw new InvalidOperationException("The corpus needs no cluster."));
        foreach (var (document, _, error) in ManifestScan.Workloads(ManifestScan.Documents(Root), Config).ToList())
        {
            if (error is not null)
            {
                text.Append("error ").Append(error.ErrorId).Append(": ").AppendLine(Clean(error.Message));
                continue;
            }
            text.AppendLine(Run(reconciler, FileTarget.Of(document), request));
        }
        return text.ToString();
    }

    // Invoke-MountDiagnosis -Path <repo> | Repair-MediaMount.
    public string Repair(IReadOnlyList<MountFinding>? findings = null)
    {
        var text = new StringBuilder();
        var reconciler = new Reconciler(Config, () => throw new InvalidOperationException("The corpus needs no cluster."));
        var plan = RepairPlan.From(findings ?? Findings());
        foreach (var (finding, reason) in plan.Skipped)
        {
            text.Append("skipped ").Append(finding.RuleId).Append(' ').Append(finding.Object.Replace(Root, "")).Append(": ").AppendLine(Clean(reason).Split(';')[0]);
        }
        foreach (var repair in plan.Workloads)
        {
            var document = ManifestScan.Documents(repair.File!).Single(candidate => candidate.Index == repair.DocumentIndex);
            text.AppendLine(Run(reconciler, FileTarget.Of(document), new ChangeRequest { Action = ChangeAction.Repair, Findings = repair.Findings }));
        }
        return text.ToString();
    }

    private string Run(Reconciler reconciler, FileTarget target, ChangeRequest request)
    {
        var prepared = reconciler.PrepareAsync(target, request, new ReconcileOptions(), CancellationToken.None).GetAwaiter().GetResult();
        var result = prepared.Plan.Status == PlanStatus.Changed
            ? reconciler.ApplyAsync(prepared, new ReconcileOptions(), CancellationToken.None).GetAwaiter().GetResult()
            : reconciler.Unchanged(prepared);
        var line = new StringBuilder().Append(Relative(target.File)).Append('#').Append(target.DocumentIndex).Append(' ')
            .Append(result.ResourceKind).Append('/').Append(result.Name).Append(": ").Append(result.Status);
        if (result.Reason is { } reason)
        {
            line.Append(" (").Append(Clean(reason)).Append(')');
        }
        foreach (var change in result.Changes)
        {
            line.Append("\n    ").Append(change);
        }
        return line.ToString();
    }

    // The unified diff of every file that differs from the snapshot, CR shown as \r.
    public string Diff(IReadOnlyDictionary<string, string> before)
    {
        var text = new StringBuilder();
        foreach (var (file, old) in before.OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            var now = File.ReadAllText(file);
            if (now != old)
            {
                var name = Relative(file);
                text.Append(UnifiedDiff.Create(old, now, "a/" + name, "b/" + name).Replace("\r", "\\r"));
            }
        }
        return text.ToString();
    }

    public string Read(string file) => File.ReadAllText(Path.Combine(Root, file));

    private string Clean(string message) => message.Replace(Root + Path.DirectorySeparatorChar, "").Replace(Root, "").ReplaceLineEndings(" ");

    private static void Copy(string from, string to)
    {
        foreach (var directory in Directory.EnumerateDirectories(from, "*", SearchOption.AllDirectories))
        {
            Directory.CreateDirectory(Path.Combine(to, Path.GetRelativePath(from, directory)));
        }
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            File.Copy(file, Path.Combine(to, Path.GetRelativePath(from, file)));
        }
    }

    public void Dispose() => Directory.Delete(Root, recursive: true);
}
