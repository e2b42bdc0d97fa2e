using MediaStack.Core.Workloads;

namespace MediaStack.Core.Diagnosis;

// One idea checked on one target. A rule yields its problems, or a Pass finding when it
// checked and found nothing; rules that need runtime evidence yield nothing in static mode.
public interface IMountRule
{
    IEnumerable<Model.MountFinding> Check(DiagnosisContext context);

    // The kinds of workload the rule reads: media apps, unless the rule says otherwise.
    bool AppliesTo(WorkloadKind kind) => kind == WorkloadKind.MediaApp;
}
