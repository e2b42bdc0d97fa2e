using System.Management.Automation;
using MediaStack.Core.Manifests;
using MediaStack.Core.Yaml;
using MediaStack.PowerShell.Infrastructure;

namespace MediaStack.PowerShell.Commands;

// Every piped app's Kubernetes objects as one multi-document YAML string, ready for
// `kubectl apply -f -`.
[Cmdlet(VerbsData.ConvertTo, "MediaManifest")]
[OutputType(typeof(string))]
public sealed class ConvertToMediaManifestCommand : MediaStackCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
    public MediaApp[] InputObject { get; set; } = [];

    private readonly List<MediaApp> _apps = [];

    protected override void ProcessRecord() => _apps.AddRange(InputObject);

    protected override void EndProcessing()
    {
        if (_apps.Count > 0)
        {
            WriteObject(YamlWriter.WriteDocuments(_apps.SelectMany(app => app.Manifests)));
        }
    }
}
