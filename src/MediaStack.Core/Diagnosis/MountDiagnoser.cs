using MediaStack.Core.Config;
using MediaStack.Core.Diagnosis.Model;
using MediaStack.Core.Diagnosis.Runtime;
using MediaStack.Core.Diagnosis.Spec;
using MediaStack.Core.Workloads;

namespace MediaStack.Core.Diagnosis;

// Runs every rule that applies to the subject's kind of workload and returns its findings,
// worst first.
public sealed class MountDiagnoser
{
    private readonly IReadOnlyList<IMountRule> _rules;

    public MountDiagnoser(MediaStackConfig config, IReadOnlyList<IMountRule>? rules = null)
    {
        Config = config;
        _rules = rules ?? DefaultRules;
    }

    public MediaStackConfig Config { get; }

    public static IReadOnlyList<IMountRule> DefaultRules { get; } =
    [
        new WorkloadKindRule(),
        new SidecarPresenceRule(),
        new SidecarPropagationRule(),
        new SidecarVolumeRule(),
        new DuplicateClaimRule(),
        new AppPropagationRule(),
        new NodeProviderRule(),
        new SidecarPrivilegeRule(),
        new BidirectionalPrivilegeRule(),
        new NeedlessBidirectionalRule(),
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
        new StandaloneRcExposedRule(),
        new VfsCacheRule(),
        new ImageTagRule(),
        new RolloutRule(),
        new RunAsRootRule(),
        new PreStopUnmountRule(),
        new MountNotAwaitedRule(),
        new MediaNotReadRule(),
        new OfflinePrivilegeRule(),
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

    public IReadOnlyList<MountFinding> Diagnose(DiagnosisSubject subject, bool includePass = false, IReadOnlyList<Workload>? neighbours = null,
        Static.ManifestFacts? facts = null)
    {
        var context = new DiagnosisContext(subject.Target, subject.Workload, subject.Owner?["metadata"] as System.Text.Json.Nodes.JsonObject, subject.Evidence,
            neighbours, subject.Document, facts);
        return _rules
            .Where(rule => rule.AppliesTo(subject.Workload.Kind))
            .SelectMany(rule => rule.Check(context))
            .Where(finding => includePass || finding.Severity != Severity.Pass)
            .OrderByDescending(finding => finding.Severity)
            .ThenBy(finding => finding.RuleId, StringComparer.Ordinal)
            .ToList();
    }
}
