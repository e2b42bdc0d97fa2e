using MediaStack.Core.Config;
using MediaStack.Core.Diagnosis.Model;
using MediaStack.Core.Errors;
using MediaStack.Core.Workloads;

namespace MediaStack.Core.Diagnosis.Static;

// What a static check reads from manifests: one subject per workload document, one Info
// finding per unrendered template, one error per document that cannot be read, and every
// workload (for rules that look at the neighbours, such as node-level providers).
public sealed record StaticSubjects(
    IReadOnlyList<DiagnosisSubject> Subjects,
    IReadOnlyList<MountFinding> Notices,
    IReadOnlyList<MediaStackException> Errors)
{
    public IReadOnlyList<Workload> Workloads => Subjects.Select(subject => subject.Workload).ToList();
}

// Manifest files, folders or rendered text -> subjects for the check without a cluster.
public static class ManifestSubjects
{
    public static StaticSubjects FromPath(string path, MediaStackConfig config) =>
        From(ManifestScan.Documents(path, config.ReadLimits), config);

    public static StaticSubjects FromText(string yaml, MediaStackConfig config, string source = ManifestScan.PipelineSource) =>
        From(ManifestScan.FromText(yaml, source, config.ReadLimits), config);

    public static StaticSubjects From(IEnumerable<ManifestDocument> documents, MediaStackConfig config)
    {
        var subjects = new List<DiagnosisSubject>();
        var notices = new List<MountFinding>();
        var errors = new List<MediaStackException>();
        var list = documents.ToList();
        foreach (var template in list.Where(document => document.IsTemplate))
        {
            notices.Add(new MountFinding(Rules.UnrenderedTemplate, Severity.Info, new DiagnosisTarget(null, null, null, template.Source) { ResourceKind = "File" },
                $"{template.Source} is a Go template: render it first.")
            {
                Evidence = "the file holds {{ ... }} outside comments",
                Remedy = "helm template <release> <chart> | Invoke-MountDiagnosis, or kubectl kustomize <folder> | Invoke-MountDiagnosis.",
            });
        }
        foreach (var (document, workload, error) in ManifestScan.Workloads(list, config))
        {
            if (error is not null)
            {
                errors.Add(error);
                continue;
            }
            var file = document.Source == ManifestScan.PipelineSource ? null : document.Source;
            var target = new DiagnosisTarget(workload!.Namespace, workload.Name, null, file)
            {
                ResourceKind = workload.ResourceKind,
                ServiceAccount = workload.ServiceAccount,
                DocumentIndex = document.Index,
                Rendered = file is null,
            };
            subjects.Add(new DiagnosisSubject(target, workload, workload.Resource, null));
        }
        return new StaticSubjects(subjects, notices, errors);
    }
}
