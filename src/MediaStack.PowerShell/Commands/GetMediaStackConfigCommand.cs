using System.Management.Automation;
using MediaStack.Core.Config;
using MediaStack.PowerShell.Infrastructure;

namespace MediaStack.PowerShell.Commands;

// The stack conventions in force: the saved config, another file, or the built-in defaults.
[Cmdlet(VerbsCommon.Get, "MediaStackConfig", DefaultParameterSetName = SavedSet)]
[OutputType(typeof(MediaStackConfig))]
public sealed class GetMediaStackConfigCommand : MediaStackCmdlet
{
    private const string SavedSet = "Saved";
    private const string PathSet = "Path";
    private const string DefaultSet = "Default";

    [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet)]
    [ValidateNotNullOrEmpty]
    public string? Path { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = DefaultSet)]
    public SwitchParameter Default { get; set; }

    protected override void EndProcessing()
    {
        switch (ParameterSetName)
        {
            case DefaultSet:
                WriteObject(MediaStackConfig.Default);
                break;
            case PathSet:
                MediaStackConfig? loaded = null;
                if (TryRun(() => loaded = MediaStackConfigStore.Load(FileSystemPath(Path!))))
                {
                    WriteObject(loaded);
                }
                break;
            default:
                // An unusable saved file is reported, and the defaults (which stay in force) shown.
                var config = MediaStackConfigStore.LoadOrDefault(null, out var problem);
                if (problem is not null)
                {
                    WriteMediaStackError(problem);
                }
                WriteObject(config);
                break;
        }
    }
}
