using System.Management.Automation;
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
