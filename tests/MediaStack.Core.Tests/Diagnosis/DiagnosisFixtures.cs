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

    // "MS101 Error bazarr zurg" lines: compact and exact to compare.
    public static string[] Lines(IEnumerable<MountFinding> findings) =>
        findings.Select(f => $"{f.RuleId} {f.Severity} {f.Name} {f.Container ?? "-"} {f.Mount ?? "-"}").Order(StringComparer.Ordinal).ToArray();
}
