using MediaStack.Core.Errors;

namespace MediaStack.Core.Yaml;

// A YAML file, or one document of it, that could not be read, with where (1-based line and
// column; 0 when the problem is the whole file) and which document (0-based among the
// non-empty documents, as YamlDocument.Index; null when the problem is the whole file).
public abstract class YamlReadException : MediaStackException
{
    protected YamlReadException(string errorId, ErrorCategory category, string? file, long line, long column, int? documentIndex, string problem, string recommendedAction, Exception? innerException)
        : base(errorId, category, $"{Where(file, line, column)}: {problem}", file, recommendedAction, innerException)
    {
        File = file;
        Line = line;
        Column = column;
        DocumentIndex = documentIndex;
        Problem = problem;
    }

    public string? File { get; }

    public long Line { get; }

    public long Column { get; }

    public int? DocumentIndex { get; }

    public string Problem { get; }

    private static string Where(string? file, long line, long column) =>
        line > 0 ? $"{file ?? "YAML text"}({line},{column})" : file ?? "YAML text";
}

// YAML that cannot be read: broken syntax, a duplicate key, an unknown alias, a document
// that is not a mapping.
public sealed class YamlSyntaxException : YamlReadException
{
    public YamlSyntaxException(string? file, long line, long column, string problem, Exception? innerException = null, int? documentIndex = null)
        : base(ErrorIds.YamlSyntaxError, ErrorCategory.InvalidData, file, line, column, documentIndex, problem,
            "Fix the YAML at the line and column shown.", innerException)
    {
    }
}

// A file over one of the YamlReadLimits: Limit names it (MaxFileBytes, MaxDepth, MaxNodes,
// MaxAliasNodes), Value is the limit in force.
public sealed class YamlLimitException : YamlReadException
{
    public YamlLimitException(string? file, long line, long column, int? documentIndex, string limit, long value, string problem)
        : base(ErrorIds.YamlLimitExceeded, ErrorCategory.LimitsExceeded, file, line, column, documentIndex,
            $"the read limit {limit} ({value}) was exceeded: {problem}",
            $"If the file is genuine, raise {limit} with Set-MediaStackConfig -ReadLimits @{{ {limit} = ... }}; otherwise remove the file from the repository.",
            null)
    {
        Limit = limit;
        Value = value;
    }

    public string Limit { get; }

    public long Value { get; }
}
