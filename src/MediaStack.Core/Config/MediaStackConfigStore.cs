using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using MediaStack.Core.Errors;

namespace MediaStack.Core.Config;

// Loads and saves the conventions as camelCase JSON. The file may name only some fields:
// it is laid over the defaults. A file that does not parse or breaks the rules is reported
// with the field at fault and never half-applied.
public static class MediaStackConfigStore
{
    public const string PathVariable = "MEDIASTACK_CONFIG";

    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    private static readonly JsonDocumentOptions ReadOptions = new()
    {
        AllowTrailingCommas = true,
        CommentHandling = JsonCommentHandling.Skip,
    };

    // $MEDIASTACK_CONFIG, else <user config folder>/MediaStack/config.json.
    public static string DefaultPath
    {
        get
        {
            var overridden = Environment.GetEnvironmentVariable(PathVariable);
            if (!string.IsNullOrEmpty(overridden))
            {
                return Path.GetFullPath(overridden);
            }
            return Path.Combine(UserConfigFolder(), "MediaStack", "config.json");
        }
    }

    private static string UserConfigFolder()
    {
        if (OperatingSystem.IsWindows())
        {
            return Environment.GetFolderPath(Environment.SpecialFolder.ApplicationData);
        }
        var xdg = Environment.GetEnvironmentVariable("XDG_CONFIG_HOME");
        return !string.IsNullOrEmpty(xdg) && Path.IsPathRooted(xdg)
            ? xdg
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".config");
    }

    // The saved config, or the defaults when no file was saved. An explicit path must exist.
    public static MediaStackConfig Load(string? path = null)
    {
        var file = path is null ? DefaultPath : Path.GetFullPath(path);
        if (!File.Exists(file))
        {
            if (path is null)
            {
                return MediaStackConfig.Default;
            }
            throw new MediaStackException(
                ErrorIds.ConfigFileNotFound,
                ErrorCategory.ObjectNotFound,
                $"The config file {file} does not exist.",
                target: file,
                recommendedAction: "Check the path, or save a config there with Set-MediaStackConfig.");
        }
        string text;
        try
        {
            text = File.ReadAllText(file);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw Invalid(file, [new ConfigProblem("(file)", $"cannot be read: {exception.Message}")], exception);
        }
        return Parse(text, file);
    }

    // The saved config; when it is unusable, the defaults plus the reason (callers report it
    // and go on with the defaults).
    public static MediaStackConfig LoadOrDefault(string? path, out MediaStackException? problem)
    {
        try
        {
            problem = null;
            return Load(path);
        }
        catch (MediaStackException exception)
        {
            problem = exception;
            return MediaStackConfig.Default;
        }
    }

    public static MediaStackConfig Parse(string json, string? file = null)
    {
        JsonNode? overrides;
        try
        {
            overrides = JsonNode.Parse(json, documentOptions: ReadOptions);
        }
        catch (JsonException exception)
        {
            var where = exception.LineNumber is { } line ? $"line {line + 1}, position {exception.BytePositionInLine + 1}" : "(file)";
            throw Invalid(file, [new ConfigProblem(where, "is not valid JSON.")], exception);
        }
        if (overrides is not JsonObject overrideObject)
        {
            throw Invalid(file, [new ConfigProblem("(file)", "must hold one JSON object.")], null);
        }
        var merged = JsonSerializer.SerializeToNode(MediaStackConfig.Default, Options)!.AsObject();
        Overlay(merged, overrideObject);
        MediaStackConfig config;
        try
        {
            config = merged.Deserialize<MediaStackConfig>(Options)!;
        }
        catch (JsonException exception)
        {
            var field = (exception.Path ?? "$").TrimStart('$').TrimStart('.');
            var problem = exception.Message.Contains("could not be mapped", StringComparison.Ordinal)
                ? "is not a known field."
                : "has a value of the wrong type.";
            var unknown = UnknownField(exception.Message);
            if (unknown is not null)
            {
                field = field.Length == 0 ? unknown : $"{field}.{unknown}";
            }
            throw Invalid(file, [new ConfigProblem(field.Length == 0 ? "(file)" : field, problem)], exception);
        }
        var problems = config.Validate();
        if (problems.Count > 0)
        {
            throw Invalid(file, problems, null);
        }
        return config;
    }

    public static string ToJson(MediaStackConfig config) => JsonSerializer.Serialize(config, Options);

    // The config with some fields replaced, by property name (objects merge field by field as
    // in a file). Not validated: Save does that. A value of the wrong shape is ConfigInvalid.
    public static MediaStackConfig With(MediaStackConfig config, IReadOnlyDictionary<string, object?> fields)
    {
        var merged = JsonSerializer.SerializeToNode(config, Options)!.AsObject();
        var overrides = new JsonObject();
        foreach (var (name, value) in fields)
        {
            overrides[Options.PropertyNamingPolicy!.ConvertName(name)] = value is null ? null : JsonSerializer.SerializeToNode(value, value.GetType(), Options);
        }
        Overlay(merged, overrides);
        try
        {
            return merged.Deserialize<MediaStackConfig>(Options)!;
        }
        catch (JsonException exception)
        {
            var field = (exception.Path ?? "$").TrimStart('$').TrimStart('.');
            var problems = new[] { new ConfigProblem(field.Length == 0 ? "(fields)" : field, "has a value of the wrong type.") };
            throw new ConfigException(ErrorIds.ConfigInvalid, Describe("The config is invalid", problems), problems, null, exception);
        }
    }

    // The fields a config has, as Set-MediaStackConfig offers them: every public property.
    public static IReadOnlyList<System.Reflection.PropertyInfo> Fields { get; } =
        typeof(MediaStackConfig).GetProperties(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Instance)
            .Where(property => property.CanWrite).ToArray();

    // Validates, then replaces the file in one rename so that readers never see half a file.
    public static string Save(MediaStackConfig config, string? path = null)
    {
        var problems = config.Validate();
        if (problems.Count > 0)
        {
            throw new ConfigException(ErrorIds.ConfigInvalid, Describe("The config is invalid", problems), problems, null);
        }
        var file = path is null ? DefaultPath : Path.GetFullPath(path);
        var temporary = $"{file}.{Guid.NewGuid():N}.tmp";
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            File.WriteAllText(temporary, ToJson(config) + "\n");
            File.Move(temporary, file, overwrite: true);
            return file;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            TryDelete(temporary);
            throw new MediaStackException(
                ErrorIds.PathNotWritable,
                ErrorCategory.WriteError,
                $"Cannot write the config file {file}: {exception.Message}",
                target: file,
                recommendedAction: $"Choose a writable location with -Path or ${PathVariable}.",
                innerException: exception);
        }
    }

    // Objects merge field by field (so a file can change one resource or add one zone);
    // arrays and scalars replace the default.
    private static void Overlay(JsonObject target, JsonObject overrides)
    {
        foreach (var (key, value) in overrides.ToList())
        {
            var existing = target.FirstOrDefault(entry => string.Equals(entry.Key, key, StringComparison.OrdinalIgnoreCase));
            var targetKey = existing.Key ?? key;
            if (existing.Value is JsonObject targetChild && value is JsonObject overrideChild)
            {
                Overlay(targetChild, overrideChild);
            }
            else
            {
                target[targetKey] = value?.DeepClone();
            }
        }
    }

    // "The JSON property 'foo' could not be mapped ..." -> foo
    private static string? UnknownField(string message)
    {
        var start = message.IndexOf('\'');
        var end = start < 0 ? -1 : message.IndexOf('\'', start + 1);
        return message.Contains("could not be mapped", StringComparison.Ordinal) && end > start ? message[(start + 1)..end] : null;
    }

    // Two sentences: what is wrong, then what happens instead (a warning shows it as is).
    private static ConfigException Invalid(string? file, IReadOnlyList<ConfigProblem> problems, Exception? inner) =>
        new(ErrorIds.ConfigFileInvalid, Describe($"The config file {file ?? "(text)"} is invalid", problems) + " The built-in defaults are used instead.", problems, file, inner);

    // "lead: Field: problem; Field: problem."
    internal static string Describe(string lead, IReadOnlyList<ConfigProblem> problems) =>
        $"{lead}: {string.Join("; ", problems)}.";

    private static void TryDelete(string file)
    {
        try
        {
            File.Delete(file);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // Best effort: a stray temp file is harmless.
        }
    }
}
