using System.Management.Automation;
using MediaStack.Core.Config;
using MediaStack.Core.Errors;

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

    // Runs a Core call and reports its failure as a non-terminating error: a
    // MediaStackException, or a file that could not be read or written (a locked file on
    // Windows is one object's problem, not the pipeline's). Returns false when it failed,
    // so the caller skips the object.
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
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            WriteMediaStackError(ErrorRecords.FileFailure(exception));
            return false;
        }
    }

    // The saved stack conventions; -Verbose names the file, so a task running as another
    // account (another profile folder) shows at once which file it did or did not find. An
    // unusable file is reported as a warning and the defaults are used.
    protected MediaStackConfig LoadStackConfig(bool warn = true)
    {
        var path = MediaStackConfigStore.DefaultPath;
        WriteVerbose(File.Exists(path)
            ? $"Stack config: {path}."
            : $"Stack config: no file at {path}; using the default conventions (${MediaStackConfigStore.PathVariable} names another file).");
        var config = MediaStackConfigStore.LoadOrDefault(null, out var problem);
        if (problem is not null && warn)
        {
            WriteWarning($"{problem.Message} Using the default conventions.");
        }
        return config;
    }

    public void Dispose()
    {
        _stopping.Dispose();
        GC.SuppressFinalize(this);
    }
}
