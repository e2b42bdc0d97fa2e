namespace MediaStack.Core.Diagnosis.Runtime;

// A rule that reads runtime evidence only; it also runs for pods that are not media
// workloads, because a refused or crash-looping pod matters whatever it runs.
public interface IRuntimeRule : IMountRule;
