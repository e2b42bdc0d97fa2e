using System.Management.Automation;
using MediaStack.Core.Config;
using MediaStack.PowerShell.Infrastructure;

namespace MediaStack.PowerShell.Commands;

// The stack conventions in force: the saved config, another file, the built-in defaults or a
// preset; or, with -FromRepo, the conventions a GitOps repository's apps follow, one
// setting per object with the files behind it and those that disagree.
[Cmdlet(VerbsCommon.Get, "MediaStackConfig", DefaultParameterSetName = SavedSet)]
[OutputType(typeof(MediaStackConfig))]
[OutputType(typeof(ConventionSetting), ParameterSetName = [RepoSet])]
public sealed class GetMediaStackConfigCommand : MediaStackCmdlet
{
    private const string SavedSet = "Saved";
    private const string PathSet = "Path";
    private const string DefaultSet = "Default";
    private const string PresetSet = "Preset";
    private const string RepoSet = "FromRepo";

    [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet)]
    [ValidateNotNullOrEmpty]
    public string? Path { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = DefaultSet)]
    public SwitchParameter Default { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = PresetSet)]
    public MediaStackPreset Preset { get; set; }

    // A folder (or file) of manifests; the values it does not state come from the saved config.
    [Parameter(Mandatory = true, ParameterSetName = RepoSet)]
    [ValidateNotNullOrEmpty]
    public string? FromRepo { get; set; }

    protected override void EndProcessing()
    {
        switch (ParameterSetName)
        {
            case DefaultSet:
                WriteObject(MediaStackConfig.Default);
                break;
            case PresetSet:
                WriteObject(MediaStackPresets.Get(Preset));
                break;
            case RepoSet:
                RepoConventions? conventions = null;
                if (TryRun(() => conventions = RepoConventions.Infer(FileSystemPath(FromRepo!), StackConfig)))
                {
                    foreach (var error in conventions!.Errors)
                    {
                        WriteMediaStackError(error);
                    }
                    foreach (var note in conventions.Notes)
                    {
                        WriteWarning(note);
                    }
                    WriteObject(conventions.Settings, enumerateCollection: true);
                }
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
