using System.Runtime.CompilerServices;
using MediaStack.Core.Config;
using MediaStack.Core.Diagnosis;
using MediaStack.Core.Diagnosis.Model;
using MediaStack.Core.Diagnosis.Static;

using static MediaStack.Core.Tests.Workloads.Manifest;

namespace MediaStack.Core.Tests.Diagnosis;

// Fixture files live next to this source file; found through the compiler's path so the
// test project needs no copy-to-output items.
internal static class DiagnosisFixtures
{

    public static string Folder() => Here();

    private static string Here([CallerFilePath] string source = "") => Path.Combine(Path.GetDirectoryName(source)!, "Fixtures");

    public static string PathOf(string name) => Path.Combine(Folder(), name);

    // Invoke-MountDiagnosis -Path: every subject of the path, with its neighbours.
    public static IReadOnlyList<MountFinding> Diagnose(StaticSubjects read, bool includePass = false, MediaStackConfig? config = null) =>
        StaticDiagnosis.Diagnose(new MountDiagnoser(config ?? StackConfig), [read], includePass).ToList();

    public static IReadOnlyList<MountFinding> Diagnose(string name, bool includePass = false, MediaStackConfig? config = null) =>
        Diagnose(ManifestSubjects.FromPath(PathOf(name), config ?? StackConfig), includePass, config);

    public static IReadOnlyList<MountFinding> DiagnoseText(string yaml, MediaStackConfig? config = null) =>
        Diagnose(ManifestSubjects.FromText(yaml, config ?? StackConfig), config: config);

    // The rules about repository practice (pinned images, bounded caches, rollout strategy,
    // root, preStop, start order, unused privilege, RBAC in the files): tests about how mounts
    // reach the app leave them out; RepositoryPracticeTests covers them.
    public static readonly IReadOnlySet<string> PracticeRules =
        new HashSet<string>(StringComparer.Ordinal) { "MS123", "MS124", "MS125", "MS126", "MS127", "MS128", "MS129", "MS306" };

    public static IReadOnlyList<MountFinding> WithoutPractices(IEnumerable<MountFinding> findings) =>
        findings.Where(finding => !PracticeRules.Contains(finding.RuleId)).ToList();

    // "MS101 Error bazarr zurg" lines: compact and exact to compare.
    public static string[] Lines(IEnumerable<MountFinding> findings) =>
        findings.Select(f => $"{f.RuleId} {f.Severity} {f.Name} {f.Container ?? "-"} {f.Mount ?? "-"}").Order(StringComparer.Ordinal).ToArray();
}
