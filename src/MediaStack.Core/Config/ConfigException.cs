using MediaStack.Core.Errors;

namespace MediaStack.Core.Config;

// A config (or config file) that breaks the rules, with every problem and its field.
public sealed class ConfigException : MediaStackException
{
    public ConfigException(string errorId, string message, IReadOnlyList<ConfigProblem> problems, string? file, Exception? innerException = null)
        : base(
            errorId,
            ErrorCategory.InvalidData,
            message,
            target: file,
            recommendedAction: file is null
                ? "Correct the fields named in the message."
                : $"Correct the fields named in the message in {file}, or delete the file to go back to the defaults.",
            innerException: innerException)
    {
        Problems = problems;
        File = file;
    }

    public IReadOnlyList<ConfigProblem> Problems { get; }

    public string? File { get; }
}
