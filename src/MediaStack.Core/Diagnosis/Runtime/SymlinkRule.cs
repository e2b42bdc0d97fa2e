using MediaStack.Core.Diagnosis.Model;

namespace MediaStack.Core.Diagnosis.Runtime;

// Seed issue "Symlinks broken": a bounded sample of the stream folder's links, resolved in
// the app container.
public sealed class SymlinkRule : IRuntimeRule
{
    public IEnumerable<MountFinding> Check(DiagnosisContext context)
    {
        if (context.Evidence?.Symlinks is not { } sample || sample.Checked == 0)
        {
            yield break;
        }
        if (sample.Broken.Count == 0)
        {
            yield return context.Pass(Rules.BrokenSymlinks, $"{sample.Checked} sampled link(s) in {sample.Folder} resolve.", "", context.Workload.App);
            yield break;
        }
        var first = sample.Broken[0];
        yield return context.Problem(Rules.BrokenSymlinks, Severity.Warning,
            $"{sample.Broken.Count} of {sample.Checked} sampled link(s) in {sample.Folder} are broken.",
            $"{first.Link} -> {first.Target}{(sample.Broken.Count > 1 ? $" (and {sample.Broken.Count - 1} more)" : "")}",
            "The target's mount is missing in this pod (see the mount findings) or the file left the debrid cache.",
            context.Workload.App);
    }
}
