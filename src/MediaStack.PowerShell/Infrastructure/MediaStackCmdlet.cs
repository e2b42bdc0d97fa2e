using System.Management.Automation;
using MediaStack.Core.Errors;
using ErrorCategory = MediaStack.Core.Errors.ErrorCategory;

namespace MediaStack.PowerShell.Infrastructure;

// Base of every MediaStack cmdlet: a cancellation token that Ctrl+C (StopProcessing)
// cancels at once, and one way to turn Core failures into PowerShell error records.
public abstract class MediaStackCmdlet : PSCmdlet, IDisposable
{
    private readonly CancellationTokenSource _stopping = new();

    protected CancellationToken CancellationToken => _stopping.Token;

    protected override void StopProcessing() => _stopping.Cancel();

    // One bad object: report it and let the pipeline go on.
    protected void WriteMediaStackError(MediaStackException exception) =>
        WriteError(ErrorRecords.From(exception));

    // Nothing can proceed (no kubeconfig, invalid input for the whole call).
    protected void ThrowMediaStackError(MediaStackException exception) =>
        ThrowTerminatingError(ErrorRecords.From(exception));

    // A path parameter as a file system path. NUL, a path of another provider (Env:,
    // Function:) or an unknown drive is InvalidPath, never PowerShell's own exception.
    protected string FileSystemPath(string path)
    {
        MediaStackException Invalid(string reason, Exception? inner = null) => new(
            ErrorIds.InvalidPath, ErrorCategory.InvalidArgument, $"'{path.Replace("\0", "\\0", StringComparison.Ordinal)}' is not a usable file system path: {reason}", path,
            "Give a file system path, like ./gitops or ~/gitops.", inner);
        if (path.Contains('\0', StringComparison.Ordinal))
        {
            throw Invalid("it contains a NUL character.");
        }
        string resolved;
        ProviderInfo provider;
        try
        {
            resolved = SessionState.Path.GetUnresolvedProviderPathFromPSPath(path, out provider, out _);
        }
        catch (Exception exception) when (exception is not PipelineStoppedException)
        {
            throw Invalid(exception.Message, exception);
        }
        if (provider.ImplementingType != typeof(Microsoft.PowerShell.Commands.FileSystemProvider))
        {
            throw Invalid($"it names an item of the {provider.Name} provider.");
        }
        return resolved;
    }

    // A -Name pattern; one that is not a valid wildcard ('[a') is taken literally, as no
    // Kubernetes name holds such characters anyway.
    protected static WildcardPattern NamePattern(string name)
    {
        var pattern = WildcardPattern.Get(name, WildcardOptions.IgnoreCase);
        try
        {
            pattern.IsMatch("");
            return pattern;
        }
        catch (WildcardPatternException)
        {
            return WildcardPattern.Get(WildcardPattern.Escape(name), WildcardOptions.IgnoreCase);
        }
    }

    // Runs a Core call and reports its MediaStackException as a non-terminating error;
    // returns false when it failed, so the caller skips the object.
    protected bool TryRun(Action action)
    {
        try
        {
            action();
            return true;
        }
        catch (MediaStackException exception)
        {
            WriteMediaStackError(exception);
            return false;
        }
    }

    public void Dispose()
    {
        _stopping.Dispose();
        GC.SuppressFinalize(this);
    }
}
