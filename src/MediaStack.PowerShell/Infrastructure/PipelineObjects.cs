using System.Management.Automation;
using System.Text.RegularExpressions;
using MediaStack.Core.Manifests;
using MediaStack.Core.Pods;

namespace MediaStack.PowerShell.Infrastructure;

// What an object piped into a pod cmdlet stands for: a live pod or app, or, when it went
// through Export-Clixml/Import-Clixml or is some other object, the pod or app its
// properties name (Name and Namespace; ResourceKind for an app). "deployment/prowlarr", as
// Test-MediaMount names an app without pods, stands for that workload.
internal abstract partial record PipelineObject
{
    public sealed record Pod(MediaPod Value) : PipelineObject;

    public sealed record App(MediaApp Value) : PipelineObject;

    public sealed record PodName(string Name, string? Namespace) : PipelineObject;

    // A workload by kind and name, to be read from the cluster.
    public sealed record AppName(string Name, string? Namespace, string ResourceKind) : PipelineObject;

    public sealed record Unknown(object Value) : PipelineObject;

    public static PipelineObject Of(object? input)
    {
        var wrapped = input is null ? null : PSObject.AsPSObject(input);
        switch (wrapped?.BaseObject)
        {
            case null:
                return new Unknown("$null");
            case MediaPod pod:
                return new Pod(pod);
            case MediaApp app:
                return new App(app);
            case string name when name.Length > 0:
                return Named(name, null);
        }
        var ns = Text(wrapped, "Namespace");
        if (wrapped.TypeNames.Any(type => type.Contains("MediaStack.Core.Manifests.MediaApp", StringComparison.Ordinal)) && Text(wrapped, "Name") is { } appName)
        {
            return new AppName(appName, ns, Text(wrapped, "ResourceKind") ?? "Deployment");
        }
        // Reports and findings name their pod in Pod (a MediaPod's Pod is the API object);
        // pods and deserialized pods in Name.
        return (Text(wrapped, "Pod") ?? Text(wrapped, "Name")) is { } podName ? Named(podName, ns) : new Unknown(wrapped);
    }

    private static PipelineObject Named(string name, string? @namespace) =>
        WorkloadReference().Match(name) is { Success: true } match
            ? new AppName(match.Groups["name"].Value, @namespace, match.Groups["kind"].Value.ToLowerInvariant() switch
            {
                "statefulset" => "StatefulSet",
                "daemonset" => "DaemonSet",
                _ => "Deployment",
            })
            : new PodName(name, @namespace);

    [GeneratedRegex("^(?<kind>deployment|statefulset|daemonset)/(?<name>[^/]+)$", RegexOptions.IgnoreCase)]
    private static partial Regex WorkloadReference();

    private static string? Text(PSObject value, string property) =>
        PSObject.AsPSObject(value.Properties[property]?.Value ?? "").BaseObject is string { Length: > 0 } text ? text : null;
}

// What a pipeline object comes to on the cluster: its pods, and the app they belong to when
// an app was piped (App is null for pods). Pods is empty for an app that has none.
internal sealed record PipelineTarget(MediaApp? App, IReadOnlyList<MediaPod> Pods);
