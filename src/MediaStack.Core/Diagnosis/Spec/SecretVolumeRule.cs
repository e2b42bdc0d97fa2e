using System.Text.Json.Nodes;
using MediaStack.Core.Diagnosis.Model;
using MediaStack.Core.Workloads;

namespace MediaStack.Core.Diagnosis.Spec;

// Parity check 8: each sidecar of a configured mount has its rclone.conf secret as a pod
// volume, mounted into it.
public sealed class SecretVolumeRule : IMountRule
{
    public IEnumerable<MountFinding> Check(DiagnosisContext context)
    {
        var workload = context.Workload;
        foreach (var expected in workload.ExpectedMounts)
        {
            if (expected is not { Sidecar: { } sidecar, Configured: { } mount })
            {
                continue;
            }
            var volume = workload.Volumes.FirstOrDefault(v => WorkloadContainer.Text(v["secret"]?["secretName"]) == mount.Secret);
            var volumeName = volume is null ? null : WorkloadContainer.Text(volume["name"]);
            if (volume is null && OtherSecretAtConfigDir(context, sidecar) is { } other)
            {
                // A deliberate choice of another secret is not a spec error; whether that
                // secret exists is SecretNotFound's business.
                yield return context.Problem(Rules.SecretVolumeMissing, Severity.Info,
                    $"{sidecar.Name} reads its rclone.conf from secret '{other}', not the configured '{mount.Secret}'.",
                    $"{sidecar.Path}.volumeMounts[{context.Config.RcloneConfigDir}] -> secret {other}",
                    $"Fine if intended; else point it at '{mount.Secret}' or change the stack config's mount '{mount.Name}'.",
                    sidecar, mount.Name);
                continue;
            }
            if (volume is null)
            {
                yield return context.Problem(Rules.SecretVolumeMissing, Severity.Error,
                    $"The pod has no volume for secret '{mount.Secret}', so {sidecar.Name} has no rclone.conf.",
                    $"{workload.SpecPath}.volumes[*].secret.secretName = {string.Join(", ", workload.Volumes.Select(v => WorkloadContainer.Text(v["secret"]?["secretName"])).OfType<string>().DefaultIfEmpty("(none)"))}",
                    $"Add volume '{mount.SecretVolume}' (secret {mount.Secret}, defaultMode 0400) and mount it at {context.Config.RcloneConfigDir} in {sidecar.Name}.",
                    sidecar, mount.Name);
                continue;
            }
            var mounted = sidecar.MountsOf(volumeName!).Cast<(JsonObject Mount, int Index)?>().FirstOrDefault();
            if (mounted is not { } found)
            {
                yield return context.Problem(Rules.SecretVolumeMissing, Severity.Error,
                    $"{sidecar.Name} does not mount the secret volume '{volumeName}': rclone finds no config.",
                    $"{sidecar.Path}.volumeMounts[*].name = {string.Join(", ", sidecar.VolumeMounts.Select(m => m.Mount["name"]?.ToString()))}",
                    $"Mount volume '{volumeName}' read-only at {context.Config.RcloneConfigDir} in {sidecar.Name}.",
                    sidecar, mount.Name);
                continue;
            }
            yield return context.Pass(Rules.SecretVolumeMissing, $"{sidecar.Name} mounts secret '{mount.Secret}'.",
                $"{sidecar.Path}.volumeMounts[{found.Index}] = {found.Mount["mountPath"]}", sidecar, mount.Name);
        }
    }

    private static string? OtherSecretAtConfigDir(DiagnosisContext context, WorkloadContainer sidecar)
    {
        foreach (var (mount, _) in sidecar.VolumeMounts)
        {
            if (WorkloadContainer.Text(mount["mountPath"])?.TrimEnd('/') == context.Config.RcloneConfigDir.TrimEnd('/')
                && WorkloadContainer.Text(context.Workload.Volume(WorkloadContainer.Text(mount["name"]) ?? "")?["secret"]?["secretName"]) is { } secret)
            {
                return secret;
            }
        }
        return null;
    }
}
