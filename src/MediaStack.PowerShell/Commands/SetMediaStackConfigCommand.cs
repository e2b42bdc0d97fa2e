using System.Collections;
using System.Management.Automation;
using System.Reflection;
using MediaStack.Core.Config;
using MediaStack.Core.Errors;
using MediaStack.Core.Yaml;
using MediaStack.PowerShell.Infrastructure;

namespace MediaStack.PowerShell.Commands;

// Saves the stack conventions: the fields given on top of the saved config, or a whole
// config object. Validated first; the file is replaced in one rename.
[Cmdlet(VerbsCommon.Set, "MediaStackConfig", SupportsShouldProcess = true, DefaultParameterSetName = FieldsSet)]
[OutputType(typeof(MediaStackConfig))]
public sealed class SetMediaStackConfigCommand : MediaStackCmdlet
{
    private const string FieldsSet = "Fields";
    private const string WholeSet = "InputObject";

    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = WholeSet)]
    public MediaStackConfig? InputObject { get; set; }

    // Default: $env:MEDIASTACK_CONFIG, else the user config folder's MediaStack/config.json.
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Path { get; set; }

    [Parameter(ParameterSetName = FieldsSet)] public string? Namespace { get; set; }
    [Parameter(ParameterSetName = FieldsSet)] public string? MountRoot { get; set; }
    [Parameter(ParameterSetName = FieldsSet)] public string? SharedVolume { get; set; }
    [Parameter(ParameterSetName = FieldsSet)] public string? SharedClaim { get; set; }
    [Parameter(ParameterSetName = FieldsSet)] public string? RcloneImage { get; set; }
    [Parameter(ParameterSetName = FieldsSet)] public string? InitImage { get; set; }
    [Parameter(ParameterSetName = FieldsSet)] [AllowEmptyCollection] public string[]? PreferredNodes { get; set; }
    [Parameter(ParameterSetName = FieldsSet)] public int? PreferredNodeWeight { get; set; }
    [Parameter(ParameterSetName = FieldsSet)] public Hashtable? ZoneServiceAccounts { get; set; }
    [Parameter(ParameterSetName = FieldsSet)] public string? DefaultZone { get; set; }
    // An empty string clears it (the Route then gets no host).
    [Parameter(ParameterSetName = FieldsSet)] [AllowEmptyString] [AllowNull] public string? ClusterDomain { get; set; }
    [Parameter(ParameterSetName = FieldsSet)] public string? TimeZone { get; set; }
    [Parameter(ParameterSetName = FieldsSet)] public string? StackLabel { get; set; }
    [Parameter(ParameterSetName = FieldsSet)] public int? Puid { get; set; }
    [Parameter(ParameterSetName = FieldsSet)] public int? Pgid { get; set; }
    [Parameter(ParameterSetName = FieldsSet)] public string? Umask { get; set; }
    [Parameter(ParameterSetName = FieldsSet)] public int? FsGroup { get; set; }
    [Parameter(ParameterSetName = FieldsSet)] public string? RcloneConfigDir { get; set; }
    [Parameter(ParameterSetName = FieldsSet)] public string[]? RcloneArgs { get; set; }
    [Parameter(ParameterSetName = FieldsSet)] [RecordTransformation(typeof(ResourceSpec))] public ResourceSpec? SidecarResources { get; set; }
    [Parameter(ParameterSetName = FieldsSet)] [RecordTransformation(typeof(ResourceSpec))] public ResourceSpec? InitResources { get; set; }
    [Parameter(ParameterSetName = FieldsSet)] [RecordTransformation(typeof(ResourceSpec))] public ResourceSpec? AppResources { get; set; }
    [Parameter(ParameterSetName = FieldsSet)] [RecordTransformation(typeof(RcloneMount))] [AllowEmptyCollection] public RcloneMount[]? Mounts { get; set; }
    [Parameter(ParameterSetName = FieldsSet)] public string? ArgoNamespace { get; set; }
    // An empty string clears it.
    [Parameter(ParameterSetName = FieldsSet)] [AllowEmptyString] [AllowNull] public string? RepoUrl { get; set; }
    // Limits left out of a hashtable take their defaults.
    [Parameter(ParameterSetName = FieldsSet)] [RecordTransformation(typeof(YamlReadLimits))] public YamlReadLimits? ReadLimits { get; set; }

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        var file = MediaStackConfigStore.DefaultPath;
        if (Path is not null && !TryRun(() => file = FileSystemPath(Path)))
        {
            return;
        }
        MediaStackConfig? current = InputObject;
        if (current is null && !TryRun(() => current = File.Exists(file) ? MediaStackConfigStore.Load(file) : MediaStackConfig.Default))
        {
            return;
        }
        MediaStackConfig? config = null;
        if (!TryRun(() => config = ParameterSetName == WholeSet ? current! : WithBoundFields(current!)))
        {
            return;
        }
        if (!ShouldProcess(file, "Save MediaStack config"))
        {
            return;
        }
        if (TryRun(() => MediaStackConfigStore.Save(config!, file)) && PassThru)
        {
            WriteObject(config);
        }
    }

    private MediaStackConfig WithBoundFields(MediaStackConfig config)
    {
        bool Bound(string name) => MyInvocation.BoundParameters.ContainsKey(name);
        return config with
        {
            Namespace = Namespace ?? config.Namespace,
            MountRoot = MountRoot ?? config.MountRoot,
            SharedVolume = SharedVolume ?? config.SharedVolume,
            SharedClaim = SharedClaim ?? config.SharedClaim,
            RcloneImage = RcloneImage ?? config.RcloneImage,
            InitImage = InitImage ?? config.InitImage,
            PreferredNodes = PreferredNodes ?? config.PreferredNodes,
            PreferredNodeWeight = PreferredNodeWeight ?? config.PreferredNodeWeight,
            ZoneServiceAccounts = ZoneServiceAccounts is null ? config.ZoneServiceAccounts : Zones(ZoneServiceAccounts),
            DefaultZone = DefaultZone ?? config.DefaultZone,
            ClusterDomain = Bound(nameof(ClusterDomain)) ? EmptyAsNull(ClusterDomain) : config.ClusterDomain,
            TimeZone = TimeZone ?? config.TimeZone,
            StackLabel = StackLabel ?? config.StackLabel,
            Puid = Puid ?? config.Puid,
            Pgid = Pgid ?? config.Pgid,
            Umask = Umask ?? config.Umask,
            FsGroup = FsGroup ?? config.FsGroup,
            RcloneConfigDir = RcloneConfigDir ?? config.RcloneConfigDir,
            RcloneArgs = RcloneArgs ?? config.RcloneArgs,
            SidecarResources = SidecarResources ?? config.SidecarResources,
            InitResources = InitResources ?? config.InitResources,
            AppResources = AppResources ?? config.AppResources,
            Mounts = Mounts ?? config.Mounts,
            ArgoNamespace = ArgoNamespace ?? config.ArgoNamespace,
            RepoUrl = Bound(nameof(RepoUrl)) ? EmptyAsNull(RepoUrl) : config.RepoUrl,
            ReadLimits = ReadLimits ?? config.ReadLimits,
        };
    }

    // Zone -> service account; two keys that read the same (1 and '1') are one mistake.
    private static Dictionary<string, string> Zones(Hashtable table)
    {
        var zones = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in table)
        {
            var zone = entry.Key.ToString() ?? "";
            if (!zones.TryAdd(zone, LanguagePrimitives.ConvertTo<string>(entry.Value) ?? ""))
            {
                var problem = new ConfigProblem($"{nameof(ZoneServiceAccounts)}.{zone}", "is given twice.");
                throw new ConfigException(ErrorIds.ConfigInvalid, $"The config is invalid: {problem}.", [problem], null);
            }
        }
        return zones;
    }

    private static string? EmptyAsNull(string? value) => string.IsNullOrEmpty(value) ? null : value;
}

// Lets a hashtable (or any object with matching properties) stand for a positional record
// such as RcloneMount: @{ Name = 'pcloud'; Remote = 'pcloud:'; ... }.
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class RecordTransformationAttribute(Type recordType) : ArgumentTransformationAttribute
{
    public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
    {
        var value = inputData is PSObject wrapped ? wrapped.BaseObject : inputData;
        if (value is null || recordType.IsInstanceOfType(value))
        {
            return value;
        }
        if (value is IList list && value is not IDictionary)
        {
            var records = Array.CreateInstance(recordType, list.Count);
            for (var i = 0; i < list.Count; i++)
            {
                records.SetValue(Transform(engineIntrinsics, list[i]), i);
            }
            return records;
        }
        var constructor = recordType.GetConstructors().OrderByDescending(candidate => candidate.GetParameters().Length).First();
        var arguments = constructor.GetParameters().Select(parameter => Argument(inputData!, parameter)).ToArray();
        return constructor.Invoke(arguments);
    }

    private object? Argument(object input, ParameterInfo parameter)
    {
        object? found = null;
        var present = false;
        if ((input is PSObject wrapped ? wrapped.BaseObject : input) is IDictionary dictionary)
        {
            foreach (DictionaryEntry entry in dictionary)
            {
                if (string.Equals(entry.Key.ToString(), parameter.Name, StringComparison.OrdinalIgnoreCase))
                {
                    (found, present) = (entry.Value, true);
                }
            }
        }
        else if (PSObject.AsPSObject(input).Properties[parameter.Name!] is { } property)
        {
            (found, present) = (property.Value, true);
        }
        if (!present)
        {
            return parameter.HasDefaultValue
                ? parameter.DefaultValue
                : throw new ArgumentTransformationMetadataException($"A {recordType.Name} needs '{parameter.Name}'.");
        }
        return LanguagePrimitives.ConvertTo(found, parameter.ParameterType, System.Globalization.CultureInfo.InvariantCulture);
    }
}
