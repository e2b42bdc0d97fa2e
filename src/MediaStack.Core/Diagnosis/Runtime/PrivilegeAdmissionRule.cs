using MediaStack.Core.Diagnosis.Model;

namespace MediaStack.Core.Diagnosis.Runtime;

// Parity check 10 done right: may this service account run the privileged sidecars? Asked
// of the API server (SubjectAccessReview), not read from the SCC's users list.
public sealed class PrivilegeAdmissionRule : IRuntimeRule
{
    public IEnumerable<MountFinding> Check(DiagnosisContext context)
    {
        if (context.Evidence?.Privilege is not { } check)
        {
            yield break;
        }
        if (!context.Workload.NeedsPrivilege)
        {
            yield break;
        }
        var account = context.Workload.ServiceAccount ?? "default";
        if (check.Allowed)
        {
            yield return context.Pass(check.OpenShift ? Rules.SccNotGranted : Rules.PodSecurityNotPrivileged,
                $"{check.Subject} may run privileged containers.", check.Evidence);
        }
        else if (check.OpenShift)
        {
            yield return context.Problem(Rules.SccNotGranted, Severity.Error,
                $"Service account '{account}' may not use the privileged SCC: its privileged sidecars are refused at admission.",
                check.Evidence,
                $"Repair-MediaMount -GrantPrivilege (the RoleBinding of: oc adm policy add-scc-to-user privileged -z {account} -n {context.Target.Namespace}).");
        }
        else
        {
            yield return context.Problem(Rules.PodSecurityNotPrivileged, Severity.Error,
                $"Namespace '{context.Target.Namespace}' does not allow privileged pods (Pod Security): the sidecars are refused.",
                check.Evidence,
                $"Repair-MediaMount -GrantPrivilege, or: kubectl label namespace {context.Target.Namespace} pod-security.kubernetes.io/enforce=privileged --overwrite");
        }
    }
}
