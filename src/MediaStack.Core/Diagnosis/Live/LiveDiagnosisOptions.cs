namespace MediaStack.Core.Diagnosis.Live;

public sealed record LiveDiagnosisOptions
{
    // Bound of every exec (mount probe, /dev/fuse, symlink sample).
    public int TimeoutSec { get; init; } = 10;

    // Log lines read per sidecar instance (current and previous).
    public int LogTailLines { get; init; } = 200;

    // Links of the stream folder resolved in the app container.
    public int SymlinkSample { get; init; } = 20;

    // The mount probe also reads the first bytes of one file per mount (Test-MediaMount -Deep).
    public bool Deep { get; init; }

    // Pods collected at once.
    public int ThrottleLimit { get; init; } = 8;
}
