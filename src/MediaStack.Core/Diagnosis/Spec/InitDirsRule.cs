using MediaStack.Core.Diagnosis.Model;
using MediaStack.Core.Workloads;

namespace MediaStack.Core.Diagnosis.Spec;

// The mount points must exist before rclone mounts onto them: an init container creates
// them, and it must run before any native sidecar.
public sealed class InitDirsRule : IMountRule
{
    public IEnumerable<MountFinding> Check(DiagnosisContext context)
    {
        var workload = context.Workload;
        var sidecars = workload.RcloneMounts.ToList();
        if (sidecars.Count == 0)
        {
            yield break;
        }
        var initDirs = workload.InitDirs.ToList();
        if (initDirs.Count == 0)
        {
            yield return context.Problem(Rules.InitDirsMissing, Severity.Warning,
                "No init container creates the mount points: rclone fails with 'no such file or directory' on a fresh volume.",
                $"{workload.SpecPath}.initContainers = {string.Join(", ", workload.AllContainers.Where(c => c.IsInit).Select(c => c.Name).DefaultIfEmpty("(none)"))}",
                $"Add an init-dirs init container running mkdir -p for {string.Join(" ", sidecars.Select(s => s.Rclone!.MountPoint))}.");
            yield break;
        }
        var problems = 0;
        foreach (var sidecar in sidecars)
        {
            // The mount point as init-dirs sees it (it may mount the volume elsewhere).
            var point = (Workload.PathIn(sidecar, sidecar.Rclone!.MountPoint, initDirs[0]) ?? sidecar.Rclone.MountPoint).TrimEnd('/');
            if (!initDirs.Any(container => container.CreatesPath(Workload.PathIn(sidecar, sidecar.Rclone.MountPoint, container) ?? point)))
            {
                problems++;
                yield return context.Problem(Rules.InitDirsIncomplete, Severity.Warning,
                    $"{initDirs[0].Name} does not create the mount point {point} of {sidecar.Name}.",
                    $"{initDirs[0].Path}.command/args do not mention {point}",
                    $"Add {point} to the mkdir -p of {initDirs[0].Name}.",
                    initDirs[0], workload.MountServedBy(sidecar)?.Name);
            }
        }
        var order = workload.AllContainers.ToList();
        var firstInitDirs = order.IndexOf(initDirs[0]);
        foreach (var native in sidecars.Where(s => s.IsNativeSidecar && order.IndexOf(s) < firstInitDirs))
        {
            problems++;
            yield return context.Problem(Rules.InitDirsIncomplete, Severity.Warning,
                $"{initDirs[0].Name} runs after the native sidecar {native.Name}, so the mount point may not exist when rclone starts.",
                $"{native.Path} comes before {initDirs[0].Path}",
                $"Move {initDirs[0].Name} before the native sidecars in initContainers.",
                native);
        }
        if (problems == 0)
        {
            yield return context.Pass(Rules.InitDirsIncomplete, $"{initDirs[0].Name} creates every mount point.", initDirs[0].Path, initDirs[0]);
        }
    }
}
