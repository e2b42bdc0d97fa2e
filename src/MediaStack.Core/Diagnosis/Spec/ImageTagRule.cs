using MediaStack.Core.Diagnosis.Model;
using MediaStack.Core.Manifests;
using MediaStack.Core.Workloads;

namespace MediaStack.Core.Diagnosis.Spec;

// :latest (or no tag, which means latest) is a different image on every pull: a restart on
// another node can bring a new rclone or app version nobody chose, and a rollback brings none.
public sealed class ImageTagRule : IMountRule
{
    public bool AppliesTo(WorkloadKind kind) => kind is not WorkloadKind.Unrelated;

    public IEnumerable<MountFinding> Check(DiagnosisContext context)
    {
        foreach (var container in context.Workload.AllContainers.Where(container => container.Image.Length > 0))
        {
            var at = $"{container.Pointer}/image";
            if (ImageReference.IsPinned(container.Image))
            {
                yield return context.Pass(Rules.UnpinnedImage, $"{container.Name} runs a pinned image ({container.Image}).", "", container, at: at);
                continue;
            }
            yield return context.Problem(Rules.UnpinnedImage, Severity.Warning,
                $"{container.Name} runs '{container.Image}' {(ImageReference.Tag(container.Image) is null ? "with no tag (that is :latest)" : "on :latest")}: each pull may bring another version.",
                $"{container.Path}.image = {container.Image}",
                "Pin a version tag (rclone/rclone:1.68.2), or a digest (@sha256:...), and let a tool such as Renovate propose updates.",
                container, at: at);
        }
    }
}
