using MediaStack.Core.Errors;

namespace MediaStack.Core.Yaml;

// YAML that cannot be read, with where it broke (1-based line and column).
public sealed class YamlSyntaxException : MediaStackException
{
    public YamlSyntaxException(string? file, long line, long column, string problem, Exception? innerException = null)
        : base(
            ErrorIds.YamlSyntaxError,
            ErrorCategory.InvalidData,
            $"{file ?? "YAML text"}({line},{column}): {problem}",
            target: file,
            recommendedAction: "Fix the YAML at the line and column shown.",
            innerException: innerException)
    {
        File = file;
        Line = line;
        Column = column;
        Problem = problem;
    }

    public string? File { get; }

    public long Line { get; }

    public long Column { get; }

    public string Problem { get; }
}
