using MediaStack.Core.Workloads;
using MediaStack.Core.Diagnosis.Model;

namespace MediaStack.Core.Diagnosis.Spec;

// rclone's remote control without auth must stay on loopback (the pod's network namespace
// is shared by its containers only; ":5572" is reachable from every pod in the cluster).
public sealed class RcExposedRule : IMountRule
{
    public bool AppliesTo(WorkloadKind kind) => kind is WorkloadKind.MediaApp or WorkloadKind.NodeMountProvider;

    public IEnumerable<MountFinding> Check(DiagnosisContext context)
    {
        foreach (var sidecar in context.Workload.RcloneMounts)
        {
            var rclone = sidecar.Rclone!;
            if (!rclone.RcEnabled)
            {
                continue;
            }
            if (rclone.RcNoAuth && !rclone.RcLoopbackOnly)
            {
                yield return context.Problem(Rules.RcExposed, Severity.Warning,
                    $"{sidecar.Name} serves rclone's remote control without auth on '{rclone.RcAddress}': any pod in the cluster can use it (file deletion included).",
                    $"{sidecar.Path}.args: --rc-no-auth --rc-addr={rclone.RcAddress}",
                    $"Bind it to loopback: --rc-addr=127.0.0.1:{rclone.RcPort ?? 5572}.",
                    sidecar);
            }
            else
            {
                yield return context.Pass(Rules.RcExposed, $"{sidecar.Name}'s rc listens on {rclone.RcAddress}{(rclone.RcNoAuth ? "" : " with auth")}.", "", sidecar);
            }
        }
    }
}

// Containers of a pod share one network namespace: two rc servers on one port collide.
public sealed class RcPortConflictRule : IMountRule
{
    public bool AppliesTo(WorkloadKind kind) => kind is WorkloadKind.MediaApp or WorkloadKind.NodeMountProvider;

    public IEnumerable<MountFinding> Check(DiagnosisContext context)
    {
        var byPort = context.Workload.RcloneMounts
            .Where(s => s.Rclone!.RcEnabled && s.Rclone.RcPort is not null)
            .GroupBy(s => s.Rclone!.RcPort!.Value);
        foreach (var group in byPort)
        {
            var sidecars = group.ToList();
            if (sidecars.Count == 1)
            {
                yield return context.Pass(Rules.RcPortConflict, $"{sidecars[0].Name} has rc port {group.Key} to itself.", "", sidecars[0]);
                continue;
            }
            foreach (var loser in sidecars.Skip(1))
            {
                yield return context.Problem(Rules.RcPortConflict, Severity.Error,
                    $"{loser.Name} binds rc port {group.Key}, already used by {sidecars[0].Name}: it fails with 'address already in use'.",
                    $"{loser.Path}.args: --rc-addr={loser.Rclone!.RcAddress}; {sidecars[0].Path}.args: --rc-addr={sidecars[0].Rclone!.RcAddress}",
                    "Give each sidecar its own rc port (the config's RcPort per mount: 5572, 5573 ...).",
                    loser);
            }
        }
    }
}

// The standalone pattern's rc is usually meant for other pods (a Service in front of it), so
// loopback is no fix there: it needs credentials, or no listener off loopback at all.
public sealed class StandaloneRcExposedRule : IMountRule
{
    public bool AppliesTo(WorkloadKind kind) => kind == WorkloadKind.StandaloneRclone;

    public IEnumerable<MountFinding> Check(DiagnosisContext context)
    {
        foreach (var rclone in context.Workload.RcloneMounts.Where(container => container.Rclone!.RcEnabled))
        {
            var line = rclone.Rclone!;
            var at = $"{rclone.Pointer}/{(rclone.Args.Count > 0 ? "args" : "command")}";
            if (line.RcLoopbackOnly || (line.RcHasCredentials && !line.RcNoAuth))
            {
                yield return context.Pass(Rules.StandaloneRcExposed,
                    $"{rclone.Name}'s rc listens on {line.RcAddress}{(line.RcLoopbackOnly ? "" : " with auth")}.", "", rclone, at: at);
                continue;
            }
            var why = line.RcNoAuth ? "--rc-no-auth" : "no --rc-user or --rc-htpasswd";
            yield return context.Problem(Rules.StandaloneRcExposed, Severity.Warning,
                $"{rclone.Name} serves rclone's remote control on '{line.RcAddress}' without auth ({why}): any pod in the cluster can drive this mount.",
                $"{rclone.Path}: --rc-addr={line.RcAddress}{(line.RcNoAuth ? " --rc-no-auth" : "")}, no credentials",
                "Require auth (--rc-user with --rc-pass from a secret, or --rc-htpasswd) and drop --rc-no-auth; if nothing outside the pod calls it, bind it to 127.0.0.1:5572. Better: replace this Deployment by sidecars in the apps (MS304).",
                rclone, at: at);
        }
    }
}
