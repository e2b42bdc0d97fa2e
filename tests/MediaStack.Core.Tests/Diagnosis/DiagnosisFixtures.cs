using System.Runtime.CompilerServices;
using MediaStack.Core.Config;
using MediaStack.Core.Diagnosis;
using MediaStack.Core.Diagnosis.Model;
using MediaStack.Core.Diagnosis.Static;

namespace MediaStack.Core.Tests.Diagnosis;

// Fixture files live next to this source file; found through the compiler's path so the
// test project needs no copy-to-output items.
internal static class DiagnosisFixtures
{
    public static string Folder([CallerFilePath] string source = "") => Path.Combine(Path.GetDirectoryName(source)!, "Fixtures");

    public static string PathOf(string name) => Path.Combine(Folder(), name);

    public static IReadOnlyList<MountFinding> Diagnose(string name, bool includePass = false, MediaStackConfig? config = null)
    {
        var diagnoser = new MountDiagnoser(config ?? MediaStackConfig.Default);
        return ManifestSubjects.FromPaths([PathOf(name)]).SelectMany(subject => diagnoser.Diagnose(subject, includePass)).ToList();
    }

    // "MS101 Error bazarr zurg" lines: compact and exact to compare.
    public static string[] Lines(IEnumerable<MountFinding> findings) =>
        findings.Select(f => $"{f.RuleId} {f.Severity} {f.Name} {f.Container ?? "-"} {f.Mount ?? "-"}").Order(StringComparer.Ordinal).ToArray();
}
