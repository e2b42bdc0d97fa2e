namespace MediaStack.Core.Diagnosis.Model;

// What Repair-MediaMount would do about a finding.
public enum RepairKind
{
    // No automatic fix: the remedy names the manual step.
    None,
    // A Deployment spec change, made by the sidecar planner (one patch per Deployment).
    Reconcile,
    // Delete the pod so its controller starts a fresh one (stale FUSE mount).
    RestartPod,
    // Bind the service account to the privileged SCC (needs -GrantPrivilege).
    GrantPrivilege,
}
