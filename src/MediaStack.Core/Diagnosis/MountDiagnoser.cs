using System.Text.Json.Nodes;
using MediaStack.Core.Config;
using MediaStack.Core.Diagnosis.Model;
using MediaStack.Core.Diagnosis.Runtime;
using MediaStack.Core.Diagnosis.Spec;
using MediaStack.Core.Diagnosis.Workload;

namespace MediaStack.Core.Diagnosis;

// Runs every rule on a subject and returns its findings, worst first.
public sealed class MountDiagnoser
{
    private readonly MediaStackConfig _config;
    private readonly IReadOnlyList<IMountRule> _rules;

    public MountDiagnoser(MediaStackConfig config, IReadOnlyList<IMountRule>? rules = null)
    {
        _config = config;
        _rules = rules ?? DefaultRules;
    }

    public static IReadOnlyList<IMountRule> DefaultRules { get; } =
    [
        new SidecarPresenceRule(),
        new SidecarPropagationRule(),
        new AppPropagationRule(),
        new SidecarPrivilegeRule(),
        new BidirectionalPrivilegeRule(),
        new PrivilegedElsewhereRule(),
        new InitDirsRule(),
        new SecretVolumeRule(),
        new RcExposedRule(),
        new FusermountRule(),
        new RcPortConflictRule(),
        new SidecarLimitsRule(),
        new NodePlacementRule(),
        new MountPointRule(),
        new StandaloneRcloneRule(),
        new ArgoCdRule(),
        new PodStatusRule(),
        new ContainerStateRule(),
        new EventRule(),
        new LogSignatureRule(),
        new FuseDeviceRule(),
        new MountProbeRule(),
        new SymlinkRule(),
        new PrivilegeAdmissionRule(),
        new SecretExistsRule(),
    ];

    public IReadOnlyList<MountFinding> Diagnose(DiagnosisSubject subject, bool includePass = false)
    {
        var view = ViewOf(subject);
        var context = new DiagnosisContext(subject.Target, view, subject.Deployment?["metadata"] as JsonObject, subject.Evidence);
        var findings = new List<MountFinding>();
        if (!view.IsMediaWorkload)
        {
            findings.Add(context.Problem(Rules.NotMediaWorkload, Severity.Info,
                $"Not a media workload: no container mounts {_config.MountRoot} and there is no rclone sidecar.",
                $"{view.SpecPath}.containers[*].name = {string.Join(", ", view.Containers.Select(c => c.Name))}",
                "Nothing to do; Add-RcloneSidecar turns it into one if it should see the mounts."));
            // Runtime trouble (crash loops, refused pods) still matters for any pod.
            findings.AddRange(_rules.Where(rule => rule is IRuntimeRule).SelectMany(rule => rule.Check(context)));
        }
        else if (view.IsStandaloneRclone)
        {
            // The pattern itself is the problem; its spec details do not matter.
            findings.AddRange(_rules.Where(rule => rule is IRuntimeRule or StandaloneRcloneRule or ArgoCdRule)
                .SelectMany(rule => rule.Check(context)));
        }
        else
        {
            findings.AddRange(_rules.SelectMany(rule => rule.Check(context)));
        }
        return findings
            .Where(finding => includePass || finding.Severity != Severity.Pass)
            .OrderByDescending(finding => finding.Severity)
            .ThenBy(finding => finding.RuleId, StringComparer.Ordinal)
            .ToList();
    }

    // The Deployment's template is what a repair changes, so rules read it when there is one;
    // a pod without an owning Deployment is read as it is.
    private PodSpecView ViewOf(DiagnosisSubject subject)
    {
        if (subject.Deployment?["spec"]?["template"] is JsonObject template)
        {
            return new PodSpecView(template["metadata"] as JsonObject ?? [], template["spec"] as JsonObject ?? [],
                "spec.template.spec", subject.Target.Deployment, _config);
        }
        if (subject.Pod is { } pod)
        {
            return new PodSpecView(pod["metadata"] as JsonObject ?? [], pod["spec"] as JsonObject ?? [], "spec", subject.Target.Deployment, _config);
        }
        throw new ArgumentException("A diagnosis subject needs a Deployment or a pod.", nameof(subject));
    }
}
