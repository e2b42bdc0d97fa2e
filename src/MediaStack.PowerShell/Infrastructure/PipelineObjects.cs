using System.Management.Automation;
using MediaStack.Core.Manifests;
using MediaStack.Core.Pods;

namespace MediaStack.PowerShell.Infrastructure;

// What an object piped into a pod cmdlet stands for: a live pod or app, or, when it went
// through Export-Clixml/Import-Clixml or is some other object, the pod or app its
// properties name (Name, Namespace, and Selector for an app).
internal abstract record PipelineObject
{
    public sealed record Pod(MediaPod Value) : PipelineObject;

    public sealed record App(MediaApp Value) : PipelineObject;

    public sealed record PodName(string Name, string? Namespace) : PipelineObject;

    // An app by its label selector (null for a bare pod, which is its own app) and the kind
    // of its workload.
    public sealed record AppName(string Name, string? Namespace, string? Selector, string ResourceKind) : PipelineObject;

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
                return new PodName(name, null);
        }
        var names = wrapped.TypeNames;
        var ns = Text(wrapped, "Namespace");
        if (names.Any(type => type.Contains("MediaStack.Core.Manifests.MediaApp", StringComparison.Ordinal)) && Text(wrapped, "Name") is { } appName)
        {
            return new AppName(appName, ns, Text(wrapped, "Selector"), Text(wrapped, "ResourceKind") ?? "Deployment");
        }
        // Reports and findings name their pod in Pod (a MediaPod's Pod is the API object);
        // pods and deserialized pods in Name.
        return (Text(wrapped, "Pod") ?? Text(wrapped, "Name")) is { } podName ? new PodName(podName, ns) : new Unknown(wrapped);
    }

    private static string? Text(PSObject value, string property) =>
        PSObject.AsPSObject(value.Properties[property]?.Value ?? "").BaseObject is string { Length: > 0 } text ? text : null;
}
