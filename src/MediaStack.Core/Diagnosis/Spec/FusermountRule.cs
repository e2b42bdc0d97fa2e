using MediaStack.Core.Workloads;
using System.Text.RegularExpressions;
using MediaStack.Core.Diagnosis.Model;

namespace MediaStack.Core.Diagnosis.Spec;

// The rclone image ships only fuse3: `fusermount` (v2) does not exist there, and a hook
// that ignores errors silently leaves the mount behind.
public sealed partial class FusermountRule : IMountRule
{
    public bool AppliesTo(WorkloadKind kind) => kind is WorkloadKind.MediaApp or WorkloadKind.NodeMountProvider or WorkloadKind.StandaloneRclone;

    [GeneratedRegex(@"(?<![\w-])fusermount(?![\w-])")]
    private static partial Regex FuseTwo();

    public IEnumerable<MountFinding> Check(DiagnosisContext context)
    {
        foreach (var container in context.Workload.AllContainers)
        {
            var hit = container.Scripts().FirstOrDefault(script => FuseTwo().IsMatch(script.Text));
            if (hit.Text is null)
            {
                continue;
            }
            yield return context.Problem(Rules.FusermountV2, Severity.Warning,
                $"{container.Name} calls fusermount (FUSE 2), which does not exist in the rclone image: the unmount silently does nothing.",
                $"{hit.Path} = {hit.Text.Trim()}",
                "Use fusermount3 -uz <path> (or umount -l).",
                container);
        }
    }
}
