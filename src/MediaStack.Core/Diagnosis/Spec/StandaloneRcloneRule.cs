using MediaStack.Core.Diagnosis.Model;

namespace MediaStack.Core.Diagnosis.Spec;

// A Deployment that runs only rclone: the legacy pattern whose FUSE mounts stay in its own
// pod (mount namespaces do not cross pods or nodes).
public sealed class StandaloneRcloneRule : IMountRule
{
    public IEnumerable<MountFinding> Check(DiagnosisContext context)
    {
        if (!context.View.IsStandaloneRclone)
        {
            yield break;
        }
        var sidecar = context.View.Sidecars.First();
        yield return context.Problem(Rules.LegacyStandaloneRclone, Severity.Warning,
            $"Standalone rclone Deployment ({sidecar.Name} mounting {sidecar.Rclone!.Remote}): its mount is invisible to every other pod.",
            $"{sidecar.Path}: {sidecar.Image} mount {sidecar.Rclone.Remote} {sidecar.Rclone.MountPoint}, no app container",
            "Give each app its own sidecars (Add-RcloneSidecar), check them with Test-MediaMount, then delete this Deployment.",
            sidecar);
    }
}
