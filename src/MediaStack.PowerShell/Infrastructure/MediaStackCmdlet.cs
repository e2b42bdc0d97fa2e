using System.Management.Automation;
using MediaStack.Core.Config;
using MediaStack.Core.Errors;
using ErrorCategory = MediaStack.Core.Errors.ErrorCategory;

namespace MediaStack.PowerShell.Infrastructure;

// Base of every MediaStack cmdlet: a cancellation token that Ctrl+C (StopProcessing)
// cancels at once, and one way to turn Core failures into PowerShell error records.
public abstract class MediaStackCmdlet : PSCmdlet, IDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private MediaStackConfig? _config;

    // The stack conventions (mounts, thresholds) from the saved config; an unusable file is
    // reported once and the defaults are used.
    protected MediaStackConfig StackConfig
    {
        get
        {
            if (_config is null)
            {
                _config = MediaStackConfigStore.LoadOrDefault(null, out var problem);
                if (problem is not null)
                {
                    WriteWarning(problem.Message);
                }
            }
            return _config;
        }
    }

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

    // An action of High impact (granting privileges, deleting pods) inside a cmdlet of lower
    // impact: it asks at the default $ConfirmPreference (High) as a High-impact cmdlet would;
    // -Confirm:$false, -Force or $ConfirmPreference = 'None' answer for the user, and -WhatIf
    // only says what would happen.
    protected bool ShouldProcessHighImpact(string description, string question, string caption, bool force)
    {
        if (!ShouldProcess(description, question, caption))
        {
            return false;
        }
        var confirmBound = MyInvocation.BoundParameters.TryGetValue("Confirm", out var confirm);
        if (force || confirmBound)
        {
            // -Confirm:$true already asked in ShouldProcess; -Confirm:$false answered.
            return true;
        }
        var preference = GetVariableValue("ConfirmPreference") is ConfirmImpact impact ? impact
            : Enum.TryParse<ConfirmImpact>(GetVariableValue("ConfirmPreference")?.ToString(), true, out var parsed) ? parsed : ConfirmImpact.High;
        if (preference == ConfirmImpact.None || preference > ConfirmImpact.High)
        {
            return true;
        }
        var yesToAll = _yesToAll;
        var noToAll = _noToAll;
        var answer = ShouldContinue(question, caption, ref yesToAll, ref noToAll);
        (_yesToAll, _noToAll) = (yesToAll, noToAll);
        return answer;
    }

    private bool _yesToAll;
    private bool _noToAll;

    // True when the user will see a ShouldProcess description (-WhatIf or -Verbose), so a
    // costly preview (a diff of a large file) is built only then.
    protected bool PreviewWanted =>
        IsOn("WhatIf", "WhatIfPreference") || IsOn("Verbose", null)
        || (GetVariableValue("VerbosePreference") is ActionPreference verbose && verbose != ActionPreference.SilentlyContinue);

    private bool IsOn(string parameter, string? preference) =>
        (MyInvocation.BoundParameters.TryGetValue(parameter, out var value) && value is SwitchParameter { IsPresent: true })
        || (preference is not null && LanguagePrimitives.IsTrue(GetVariableValue(preference)));

    public void Dispose()
    {
        _stopping.Dispose();
        GC.SuppressFinalize(this);
    }
}
