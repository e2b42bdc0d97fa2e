using System.Text.Json.Nodes;
using MediaStack.Core.Diagnosis.Model;

namespace MediaStack.Core.Diagnosis.Spec;

// Parity check 8: each sidecar's rclone.conf secret is a pod volume and mounted into it.
public sealed class SecretVolumeRule : IMountRule
{
    public IEnumerable<MountFinding> Check(DiagnosisContext context)
    {
        var view = context.View;
        foreach (var mount in context.Config.Mounts)
        {
            if (view.SidecarFor(mount) is not { } sidecar)
            {
                continue;
            }
            var volume = view.Volumes.FirstOrDefault(v => v["secret"]?["secretName"]?.GetValue<string>() == mount.Secret);
            var volumeName = volume?["name"]?.GetValue<string>();
            if (volume is null && OtherSecretAtConfigDir(context, sidecar) is { } other)
            {
                // A deliberate choice of another secret is not a spec error; whether that
                // secret exists is SecretNotFound's business.
                yield return context.Problem(Rules.SecretVolumeMissing, Severity.Info,
                    $"{sidecar.Name} reads its rclone.conf from secret '{other}', not the configured '{mount.Secret}'.",
                    $"{sidecar.Path}.volumeMounts[{context.Config.RcloneConfigDir}] -> secret {other}",
                    $"Fine if intended; else point it at '{mount.Secret}' or change the stack config's mount '{mount.Name}'.",
                    sidecar, mount);
                continue;
            }
            if (volume is null)
            {
                yield return context.Problem(Rules.SecretVolumeMissing, Severity.Error,
                    $"The pod has no volume for secret '{mount.Secret}', so {sidecar.Name} has no rclone.conf.",
                    $"{view.SpecPath}.volumes[*].secret.secretName = {string.Join(", ", view.Volumes.Select(v => v["secret"]?["secretName"]?.ToString()).Where(s => s is not null).DefaultIfEmpty("(none)"))}",
                    $"Add volume '{mount.SecretVolume}' (secret {mount.Secret}, defaultMode 0400) and mount it at {context.Config.RcloneConfigDir} in {sidecar.Name}.",
                    sidecar, mount);
                continue;
            }
            var mounted = sidecar.VolumeMounts.FirstOrDefault(m => m.Mount["name"]?.GetValue<string>() == volumeName);
            if (mounted.Mount is null)
            {
                yield return context.Problem(Rules.SecretVolumeMissing, Severity.Error,
                    $"{sidecar.Name} does not mount the secret volume '{volumeName}': rclone finds no config.",
                    $"{sidecar.Path}.volumeMounts[*].name = {string.Join(", ", sidecar.VolumeMounts.Select(m => m.Mount["name"]?.ToString()))}",
                    $"Mount volume '{volumeName}' read-only at {context.Config.RcloneConfigDir} in {sidecar.Name}.",
                    sidecar, mount);
                continue;
            }
            yield return context.Pass(Rules.SecretVolumeMissing, $"{sidecar.Name} mounts secret '{mount.Secret}'.",
                $"{sidecar.Path}.volumeMounts[{mounted.Index}] = {((JsonObject)mounted.Mount)["mountPath"]}", sidecar, mount);
        }
    }

    private static string? OtherSecretAtConfigDir(DiagnosisContext context, Workload.ContainerView sidecar)
    {
        foreach (var (mount, _) in sidecar.VolumeMounts)
        {
            if (mount["mountPath"]?.ToString()?.TrimEnd('/') == context.Config.RcloneConfigDir.TrimEnd('/')
                && context.View.Volume(mount["name"]?.ToString() ?? "")?["secret"]?["secretName"]?.ToString() is { } secret)
            {
                return secret;
            }
        }
        return null;
    }
}
