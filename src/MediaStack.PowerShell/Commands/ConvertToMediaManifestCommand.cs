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
            // Like ConvertTo-Json's output: the system's line break, none after the last line
            // (Set-Content, Out-File and a native command add that one), so a saved file has
            // one kind of line ending and exactly one final line break.
            var yaml = YamlWriter.WriteDocuments(_apps.SelectMany(app => app.Manifests));
            WriteObject((yaml.EndsWith('\n') ? yaml[..^1] : yaml).ReplaceLineEndings(Environment.NewLine));
        }
    }
}
