using MediaStack.Core.Diagnosis.Model;

namespace MediaStack.Core.Diagnosis.Spec;

// The mount points must exist before rclone mounts onto them: an init container creates
// them, and it must run before any native sidecar.
public sealed class InitDirsRule : IMountRule
{
    public IEnumerable<MountFinding> Check(DiagnosisContext context)
    {
        var view = context.View;
        var sidecars = view.Sidecars.ToList();
        if (sidecars.Count == 0 || view.IsStandaloneRclone)
        {
            yield break;
        }
        var initDirs = view.InitDirs.ToList();
        if (initDirs.Count == 0)
        {
            yield return context.Problem(Rules.InitDirsMissing, Severity.Warning,
                "No init container creates the mount points: rclone fails with 'no such file or directory' on a fresh volume.",
                $"{view.SpecPath}.initContainers = {string.Join(", ", view.Containers.Where(c => c.IsInit).Select(c => c.Name).DefaultIfEmpty("(none)"))}",
                $"Add an init-dirs init container running mkdir -p for {string.Join(" ", context.Config.Mounts.Select(m => m.MountPath))}.");
            yield break;
        }
        var scripts = string.Join("\n", initDirs.SelectMany(c => c.Scripts()).Select(s => s.Text));
        var problems = 0;
        foreach (var mount in context.Config.Mounts.Where(m => view.SidecarFor(m) is not null))
        {
            if (!scripts.Contains(mount.MountPath, StringComparison.Ordinal))
            {
                problems++;
                yield return context.Problem(Rules.InitDirsIncomplete, Severity.Warning,
                    $"{initDirs[0].Name} does not create the mount point {mount.MountPath}.",
                    $"{initDirs[0].Path}.command/args do not mention {mount.MountPath}",
                    $"Add {mount.MountPath} to the mkdir -p of {initDirs[0].Name}.",
                    initDirs[0], mount);
            }
        }
        var firstInitDirs = view.Containers.ToList().IndexOf(initDirs[0]);
        foreach (var native in sidecars.Where(s => s.IsNativeSidecar && view.Containers.ToList().IndexOf(s) < firstInitDirs))
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
