using System.Management.Automation;
using MediaStack.Core.Errors;
using ErrorCategory = System.Management.Automation.ErrorCategory;

namespace MediaStack.PowerShell.Infrastructure;

// Maps Core failures to ErrorRecords: the stable id becomes the FullyQualifiedErrorId
// prefix, the category keeps its name, the recommended action travels in ErrorDetails.
public static class ErrorRecords
{
    public static ErrorRecord From(MediaStackException exception)
    {
        var category = Enum.TryParse<ErrorCategory>(exception.Category.ToString(), out var parsed)
            ? parsed
            : ErrorCategory.NotSpecified;
        var record = new ErrorRecord(exception, exception.ErrorId, category, exception.Target);
        if (!string.IsNullOrEmpty(exception.RecommendedAction))
        {
            record.ErrorDetails = new ErrorDetails(exception.Message)
            {
                RecommendedAction = exception.RecommendedAction,
            };
        }
        return record;
    }

    // An I/O failure that escaped Core's own wrapping: one error for the object, naming the
    // file when .NET says which.
    public static MediaStackException FileFailure(Exception exception)
    {
        var file = exception switch
        {
            FileNotFoundException notFound => notFound.FileName,
            FileLoadException load => load.FileName,
            _ => null,
        };
        return new MediaStackException(
            ErrorIds.FileAccessFailed,
            exception is UnauthorizedAccessException ? Core.Errors.ErrorCategory.PermissionDenied : Core.Errors.ErrorCategory.ResourceUnavailable,
            exception.Message,
            file,
            "Check that the file exists, is not held open by another program, and that this account may use it.",
            exception);
    }
}
