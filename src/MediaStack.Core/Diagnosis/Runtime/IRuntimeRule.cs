using MediaStack.Core.Workloads;

namespace MediaStack.Core.Diagnosis.Runtime;

// A rule that reads runtime evidence only; it runs for every kind of workload, because a
// refused or crash-looping pod matters whatever it runs.
public interface IRuntimeRule : IMountRule
{
    bool IMountRule.AppliesTo(WorkloadKind kind) => true;
}
