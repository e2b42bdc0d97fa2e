using MediaStack.Core.Diagnosis.Model;

namespace MediaStack.Core.Diagnosis.Runtime;

// Parity check 8, finished: the secrets the pod mounts must exist.
public sealed class SecretExistsRule : IRuntimeRule
{
    public IEnumerable<MountFinding> Check(DiagnosisContext context)
    {
        if (context.Evidence is not { } evidence)
        {
            yield break;
        }
        foreach (var (secret, exists) in evidence.Secrets.OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            var mount = context.Config.Mounts.FirstOrDefault(m => m.Secret == secret)?.Name;
            if (exists)
            {
                yield return context.Pass(Rules.SecretNotFound, $"Secret '{secret}' exists.", $"secret/{secret}", mount: mount);
                continue;
            }
            yield return context.Problem(Rules.SecretNotFound, Severity.Error,
                $"Secret '{secret}' does not exist in namespace '{context.Target.Namespace}'"
                + (mount is not null ? $": the sidecar of mount '{mount}' has no rclone.conf and the pod cannot start." : ": the pod cannot start."),
                $"GET secret/{secret} -> 404 NotFound",
                $"kubectl create secret generic {secret} -n {context.Target.Namespace} --from-file=rclone.conf=<path to rclone.conf>",
                mount: mount);
        }
    }
}
