using System.Collections;
using System.Management.Automation;
using System.Reflection;
using MediaStack.Core.Config;
using MediaStack.Core.Errors;
using MediaStack.Core.Yaml;
using MediaStack.PowerShell.Infrastructure;

namespace MediaStack.PowerShell.Commands;

// Saves the stack conventions: the fields given on top of the saved config, a whole config
// object, a preset, or the conventions read from a repository (-FromRepo, on top of the
// saved config; fields given as well win). Validated first; the file is replaced in one rename. Its field parameters
// are made from MediaStackConfig's properties, so a new config field needs no edit here.
[Cmdlet(VerbsCommon.Set, "MediaStackConfig", SupportsShouldProcess = true, DefaultParameterSetName = FieldsSet)]
[OutputType(typeof(MediaStackConfig))]
public sealed class SetMediaStackConfigCommand : MediaStackCmdlet, IDynamicParameters
{
    private const string FieldsSet = "Fields";
    private const string WholeSet = "InputObject";
    private const string PresetSet = "Preset";
    private const string RepoSet = "FromRepo";

    private RuntimeDefinedParameterDictionary? _fields;

    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = WholeSet)]
    public MediaStackConfig? InputObject { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = PresetSet)]
    public MediaStackPreset Preset { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = RepoSet)]
    [ValidateNotNullOrEmpty]
    public string? FromRepo { get; set; }

    // Default: $env:MEDIASTACK_CONFIG, else the user config folder's MediaStack/config.json.
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Path { get; set; }

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    public object GetDynamicParameters() => _fields ??= ConfigFieldParameters.Create([FieldsSet, RepoSet]);

    protected override void ProcessRecord()
    {
        var file = MediaStackConfigStore.DefaultPath;
        if (Path is not null && !TryRun(() => file = FileSystemPath(Path)))
        {
            return;
        }
        MediaStackConfig? current = ParameterSetName == PresetSet ? MediaStackPresets.Get(Preset) : InputObject;
        if (current is null && !TryRun(() => current = File.Exists(file) ? MediaStackConfigStore.Load(file) : MediaStackConfig.Default))
        {
            return;
        }
        if (ParameterSetName == RepoSet)
        {
            RepoConventions? conventions = null;
            if (!TryRun(() => conventions = RepoConventions.Infer(FileSystemPath(FromRepo!), current!)))
            {
                return;
            }
            foreach (var setting in conventions!.Settings)
            {
                WriteVerbose($"{setting.Setting} = {setting.Value} (from {string.Join(", ", setting.Sources)})");
                if (setting.HasConflicts)
                {
                    WriteWarning($"{setting.Setting}: {setting.Value} in {setting.Sources.Count} file(s); also {string.Join("; ", setting.Conflicts)}.");
                }
            }
            foreach (var note in conventions.Notes)
            {
                WriteWarning(note);
            }
            current = conventions.Config;
        }
        MediaStackConfig? config = current;
        if (ParameterSetName is FieldsSet or RepoSet && !TryRun(() => config = MediaStackConfigStore.With(current!, ConfigFieldParameters.Values(_fields!))))
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
}

// One parameter per MediaStackConfig field, typed for the command line: lists as arrays,
// maps as hashtables, records (resources, mounts) from hashtables; a nullable text field is
// cleared with an empty string.
internal static class ConfigFieldParameters
{
    public static RuntimeDefinedParameterDictionary Create(IReadOnlyList<string> parameterSets)
    {
        var parameters = new RuntimeDefinedParameterDictionary();
        var nullability = new NullabilityInfoContext();
        foreach (var property in MediaStackConfigStore.Fields)
        {
            var attributes = new System.Collections.ObjectModel.Collection<Attribute>();
            foreach (var parameterSet in parameterSets)
            {
                attributes.Add(new ParameterAttribute { ParameterSetName = parameterSet });
            }
            var type = property.PropertyType;
            Type parameterType;
            if (type == typeof(string))
            {
                parameterType = type;
                if (nullability.Create(property).WriteState == NullabilityState.Nullable)
                {
                    attributes.Add(new AllowEmptyStringAttribute());
                    attributes.Add(new AllowNullAttribute());
                }
            }
            else if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IReadOnlyDictionary<,>))
            {
                parameterType = typeof(Hashtable);
            }
            else if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IReadOnlyList<>))
            {
                var item = type.GetGenericArguments()[0];
                parameterType = item.MakeArrayType();
                attributes.Add(new AllowEmptyCollectionAttribute());
                if (item != typeof(string))
                {
                    attributes.Add(new RecordTransformationAttribute(item));
                }
            }
            else if (type.IsClass)
            {
                parameterType = type;
                attributes.Add(new RecordTransformationAttribute(type));
            }
            else
            {
                parameterType = type;
            }
            parameters.Add(property.Name, new RuntimeDefinedParameter(property.Name, parameterType, attributes));
        }
        return parameters;
    }

    // The bound fields, by property name, as the config store takes them.
    public static IReadOnlyDictionary<string, object?> Values(RuntimeDefinedParameterDictionary parameters) =>
        parameters.Values.Where(parameter => parameter.IsSet).ToDictionary(parameter => parameter.Name, parameter => Plain(parameter.Name, parameter.Value));

    private static object? Plain(string field, object? value) => (value is PSObject wrapped ? wrapped.BaseObject : value) switch
    {
        string { Length: 0 } => null,
        IDictionary map => Map(field, map),
        var other => other,
    };

    // Keys as text; two keys that read the same (1 and '1') are one mistake, not a crash.
    private static Dictionary<string, object?> Map(string field, IDictionary map)
    {
        var result = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in map)
        {
            var key = entry.Key.ToString() ?? "";
            var value = PSObject.AsPSObject(entry.Value ?? "").BaseObject is IList list
                ? list.Cast<object>().Select(item => LanguagePrimitives.ConvertTo<string>(item)).ToArray()
                : (object?)LanguagePrimitives.ConvertTo<string>(entry.Value);
            if (!result.TryAdd(key, value))
            {
                var problem = new ConfigProblem($"{field}.{key}", "is given twice.");
                throw new ConfigException(ErrorIds.ConfigInvalid, $"The config is invalid: {problem}.", [problem], null);
            }
        }
        return result;
    }
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
