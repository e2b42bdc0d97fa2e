using System.Text.Json.Nodes;
using MediaStack.Core.Config;

namespace MediaStack.Core.Manifests;

// Small pieces every container builder needs, in the key order kubectl prints.
public static class ContainerParts
{
    public static JsonObject Resources(ResourceSpec resources)
    {
        var canonical = ResourceRules.Canonical(resources);
        return new JsonObject
        {
            ["requests"] = new JsonObject { ["cpu"] = canonical.CpuRequest, ["memory"] = canonical.MemoryRequest },
            ["limits"] = new JsonObject { ["cpu"] = canonical.CpuLimit, ["memory"] = canonical.MemoryLimit },
        };
    }

    public static JsonArray Strings(IEnumerable<string> values) =>
        new(values.Select(value => (JsonNode?)JsonValue.Create(value)).ToArray());

    // An exec probe running one /bin/sh script (busybox-compatible).
    public static JsonObject ShellProbe(string script, ProbeTiming timing) =>
        WithTiming(new JsonObject
        {
            ["exec"] = new JsonObject { ["command"] = Strings(["/bin/sh", "-c", script]) },
        }, timing);

    public static JsonObject TcpProbe(int port, ProbeTiming timing) =>
        WithTiming(new JsonObject
        {
            ["tcpSocket"] = new JsonObject { ["port"] = port },
        }, timing);

    private static JsonObject WithTiming(JsonObject probe, ProbeTiming timing)
    {
        probe["initialDelaySeconds"] = timing.InitialDelaySeconds;
        probe["periodSeconds"] = timing.PeriodSeconds;
        probe["timeoutSeconds"] = timing.TimeoutSeconds;
        probe["failureThreshold"] = timing.FailureThreshold;
        return probe;
    }
}

public sealed record ProbeTiming(int InitialDelaySeconds, int PeriodSeconds, int TimeoutSeconds, int FailureThreshold)
{
    // The seed's timings.
    public static ProbeTiming SidecarLiveness { get; } = new(30, 30, 10, 3);
    public static ProbeTiming SidecarStartup { get; } = new(10, 5, 5, 12);
    public static ProbeTiming AppLiveness { get; } = new(40, 20, 5, 3);
    public static ProbeTiming AppReadiness { get; } = new(20, 10, 5, 3);

    // Native sidecars gate the app: poll often, give the backend two minutes.
    public static ProbeTiming NativeStartup { get; } = new(2, 2, 5, 60);
}
