namespace MediaStack.Core.Config;

// CPU and memory requests and limits of one container, as Kubernetes quantities.
public sealed record ResourceSpec(string CpuRequest, string MemoryRequest, string CpuLimit, string MemoryLimit)
{
    public override string ToString() => $"requests {CpuRequest}/{MemoryRequest}, limits {CpuLimit}/{MemoryLimit}";
}
