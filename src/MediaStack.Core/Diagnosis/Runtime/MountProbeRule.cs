using MediaStack.Core.Diagnosis.Model;

namespace MediaStack.Core.Diagnosis.Runtime;

// Parity check 6 done right: what the APP container sees (Test-MediaMount's probe), with a
// stale mount (ENOTCONN) and a hang told apart from a missing mount.
public sealed class MountProbeRule : IRuntimeRule
{
    public IEnumerable<MountFinding> Check(DiagnosisContext context)
    {
        if (context.Evidence is not { } evidence)
        {
            yield break;
        }
        var app = context.Workload.App;
        foreach (var probe in evidence.MountProbes)
        {
            var mount = probe.Mount;
            var expected = context.Workload.ExpectedMount(probe.Mount);
            var seen = $"{app?.Name ?? "app"} {probe.Path}: {probe.Status}"
                + (probe.Entries is { } entries ? $", {entries} entries" : "")
                + (probe.FsType is { Length: > 0 } fs ? $", fstype {fs}" : "")
                + (probe.Reason is { Length: > 0 } reason ? $" ({reason})" : "");
            switch (probe.Status)
            {
                // A mount nothing serves is MS101's, a pod that does not run is MS201's.
                case "NOSIDECAR" or "NOTREADY" or "STARTING" or "SKIP":
                    break;
                case "OK":
                    yield return context.Pass(Rules.AppMountMissing, $"The app sees mount '{probe.Mount}'.", seen, app, mount);
                    break;
                case "NOTMOUNTED":
                    yield return context.Problem(Rules.AppMountMissing, Severity.Error,
                        $"The app container sees no FUSE mount at {expected?.MountPath ?? probe.Path}: {(expected?.ServedByNode == true ? "the node's mount" : "the sidecar's mount")} does not reach it.",
                        seen,
                        "The spec findings (MS101-MS104) name the cause; Repair-MediaMount applies them.",
                        app, mount);
                    break;
                case "STALE":
                    yield return context.Problem(Rules.StaleMount, Severity.Error,
                        $"Mount '{probe.Mount}' is stale: 'Transport endpoint is not connected' (its rclone died without unmounting).",
                        seen,
                        "Restart the pod (Repair-MediaMount deletes it; the Deployment starts a fresh one); look for OOMKilled or SIGKILL as the reason.",
                        app, mount);
                    break;
                case "TIMEOUT":
                    yield return context.Problem(Rules.MountHang, Severity.Error,
                        $"Mount '{probe.Mount}' hangs: accessing it did not finish in time.",
                        seen,
                        "The backend or the rclone daemon is stuck: check the backend, then restart the pod.",
                        app, mount);
                    break;
                case "WARN":
                case "FAIL":
                    yield return context.Problem(probe.Status == "FAIL" && probe.Entries is null ? Rules.AppMountMissing : Rules.MountEmpty,
                        probe.Status == "WARN" ? Severity.Warning : Severity.Error,
                        probe.Entries is null
                            ? $"Mount '{probe.Mount}' cannot be read in the app container."
                            : $"Mount '{probe.Mount}' shows only {probe.Entries} entries in {probe.Path}.",
                        seen,
                        "Check the backend (Zurg/TorBox) and the sidecar's log findings.",
                        app, mount);
                    break;
            }
        }
    }
}
