using MediaStack.Core.Diagnosis.Model;

namespace MediaStack.Core.Diagnosis.Static;

// Invoke-MountDiagnosis -Path (or rendered text): every workload judged with everything read
// in the same call beside it (a node-level provider in one folder serves the apps of another;
// a LimitRange or RoleBinding in one file counts for the Deployments of the others). Notices
// about the files as a whole come first.
public static class StaticDiagnosis
{
    public static IEnumerable<MountFinding> Diagnose(MountDiagnoser diagnoser, IReadOnlyList<StaticSubjects> reads, bool includePass = false)
    {
        var neighbours = reads.SelectMany(read => read.Workloads).ToList();
        var facts = ManifestFacts.From(reads.SelectMany(read => read.Documents));
        var notices = reads.SelectMany(read => read.Notices).Concat(Notices(reads, facts));
        return notices.Where(notice => includePass || notice.Severity != Severity.Pass)
            .Concat(reads.SelectMany(read => read.Subjects).SelectMany(subject => diagnoser.Diagnose(subject, includePass, neighbours, facts)));
    }

    // Without a binding or SCC in the files, nothing offline tells whether the service
    // accounts may run privileged pods: said once, not guessed per workload.
    private static IEnumerable<MountFinding> Notices(IReadOnlyList<StaticSubjects> reads, ManifestFacts facts)
    {
        var privileged = reads.SelectMany(read => read.Subjects).Where(subject => subject.Workload.NeedsPrivilege).ToList();
        if (facts.HasRbac || privileged.Count == 0)
        {
            yield break;
        }
        var accounts = privileged.Select(subject => $"{subject.Workload.Namespace ?? "(namespace unset)"}/{subject.Workload.ServiceAccount}")
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        yield return new MountFinding(Rules.PrivilegeNotInFiles, Severity.Info, new DiagnosisTarget(null, null, null, null) { ResourceKind = "Files" },
            $"The files hold no RoleBinding, ClusterRoleBinding or SecurityContextConstraints: whether {privileged.Count} privileged workload(s) may run is known only on the cluster.")
        {
            Evidence = $"service accounts of privileged workloads: {string.Join(", ", accounts)}",
            Remedy = "Run Invoke-MountDiagnosis against the cluster (MS301 asks the API server), or keep the SCC RoleBindings in the repository with the apps.",
        };
    }
}
