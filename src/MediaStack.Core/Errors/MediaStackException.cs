namespace MediaStack.Core.Errors;

// Every failure Core reports on purpose: a stable PascalCase id that scripts can match on,
// a category, the object it concerns and, when the fix is known, what to do about it.
public class MediaStackException : Exception
{
    public MediaStackException(
        string errorId,
        ErrorCategory category,
        string message,
        object? target = null,
        string? recommendedAction = null,
        Exception? innerException = null)
        : base(message, innerException)
    {
        ErrorId = errorId;
        Category = category;
        Target = target;
        RecommendedAction = recommendedAction;
    }

    public string ErrorId { get; }

    public ErrorCategory Category { get; }

    public object? Target { get; }

    public string? RecommendedAction { get; }
}
