using MediaStack.Core.Config;
using MediaStack.Core.Errors;

namespace MediaStack.Core.Manifests;

// A container's requests and limits: four valid quantities, each request at most its limit.
public static class ResourceRules
{
    public static IReadOnlyList<ConfigProblem> Problems(ResourceSpec resources)
    {
        var problems = new List<ConfigProblem>();
        var cpuRequest = Check(problems, nameof(ResourceSpec.CpuRequest), resources.CpuRequest);
        var memoryRequest = Check(problems, nameof(ResourceSpec.MemoryRequest), resources.MemoryRequest);
        var cpuLimit = Check(problems, nameof(ResourceSpec.CpuLimit), resources.CpuLimit);
        var memoryLimit = Check(problems, nameof(ResourceSpec.MemoryLimit), resources.MemoryLimit);
        if (cpuRequest is not null && cpuLimit is not null && cpuRequest > cpuLimit)
        {
            problems.Add(new ConfigProblem(nameof(ResourceSpec.CpuRequest), $"{cpuRequest} is above CpuLimit {cpuLimit}."));
        }
        if (memoryRequest is not null && memoryLimit is not null && memoryRequest > memoryLimit)
        {
            problems.Add(new ConfigProblem(nameof(ResourceSpec.MemoryRequest), $"{memoryRequest} is above MemoryLimit {memoryLimit}."));
        }
        return problems;
    }

    // The same rules for one call's input: the first problem is thrown with its stable id.
    public static ResourceSpec Canonical(ResourceSpec resources)
    {
        var cpuRequest = Quantity.Parse(resources.CpuRequest, nameof(ResourceSpec.CpuRequest));
        var memoryRequest = Quantity.Parse(resources.MemoryRequest, nameof(ResourceSpec.MemoryRequest));
        var cpuLimit = Quantity.Parse(resources.CpuLimit, nameof(ResourceSpec.CpuLimit));
        var memoryLimit = Quantity.Parse(resources.MemoryLimit, nameof(ResourceSpec.MemoryLimit));
        AtMost(cpuRequest, cpuLimit, "CPU");
        AtMost(memoryRequest, memoryLimit, "Memory");
        return new ResourceSpec(cpuRequest.Canonical, memoryRequest.Canonical, cpuLimit.Canonical, memoryLimit.Canonical);
    }

    private static void AtMost(Quantity request, Quantity limit, string resource)
    {
        if (request > limit)
        {
            throw new MediaStackException(
                ErrorIds.RequestAboveLimit,
                ErrorCategory.InvalidArgument,
                $"{resource} request {request} is above the {resource} limit {limit}; Kubernetes rejects such a container.",
                target: request.Canonical,
                recommendedAction: $"Lower the {resource} request or raise the {resource} limit.");
        }
    }

    private static Quantity? Check(List<ConfigProblem> problems, string field, string? text)
    {
        if (Quantity.TryParse(text, out var quantity))
        {
            return quantity;
        }
        problems.Add(new ConfigProblem(field, $"'{text}' is not a valid Kubernetes quantity."));
        return null;
    }
}
