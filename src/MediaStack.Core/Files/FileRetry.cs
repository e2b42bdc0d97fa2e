using MediaStack.Core.Errors;

namespace MediaStack.Core.Files;

// Windows lets a process hold a file so that nobody else may replace, move or delete it: an
// editor, a virus scanner that opened it a moment ago, a parallel task. Those holds are
// usually short, so a file operation is tried a few times before it is given up; elsewhere
// there is no such thing and a failure is final at once.
public static class FileRetry
{
    // About 1.5 s in all: long enough for a scanner, short enough for a scheduled check.
    internal static readonly TimeSpan[] Delays =
        [TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(400), TimeSpan.FromMilliseconds(800)];

    private const int SharingViolation = 32;
    private const int LockViolation = 33;

    public static void Run(string path, Action action) =>
        Run(path, () => { action(); return true; });

    public static T Run<T>(string path, Func<T> action) =>
        Run(path, action, OperatingSystem.IsWindows(), Thread.Sleep);

    // The seam for tests: which rules apply and how to wait.
    internal static T Run<T>(string path, Func<T> action, bool windows, Action<TimeSpan> sleep)
    {
        var waited = TimeSpan.Zero;
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return action();
            }
            catch (Exception exception) when (windows && IsBusy(exception))
            {
                if (attempt == Delays.Length)
                {
                    throw GaveUp(path, exception, attempt + 1, waited);
                }
                sleep(Delays[attempt]);
                waited += Delays[attempt];
            }
        }
    }

    private static MediaStackException GaveUp(string path, Exception exception, int attempts, TimeSpan waited)
    {
        var tried = $"gave up after {attempts} attempts in {waited.TotalSeconds:0.0} s";
        return exception is UnauthorizedAccessException
            ? new MediaStackException(
                ErrorIds.PathNotWritable,
                ErrorCategory.PermissionDenied,
                $"Access to '{path}' is denied ({tried}): another program may hold it open, or this account may not write there. {exception.Message}",
                path,
                "Close programs that have the file open (editors, scanners, other tasks) and check the account's permissions on the file and its folder.",
                exception)
            : new MediaStackException(
                ErrorIds.FileInUse,
                ErrorCategory.ResourceBusy,
                $"'{path}' is in use by another program (an editor, a virus scanner or another task); {tried}: {exception.Message}",
                path,
                "Close the program that holds the file, or run the command again in a moment.",
                exception);
    }

    // A sharing or lock violation; access denied too, which is what Windows reports while a
    // file is pending deletion or a scanner holds it open without FILE_SHARE_DELETE.
    internal static bool IsBusy(Exception exception) => exception switch
    {
        UnauthorizedAccessException => true,
        IOException io => (io.HResult & 0xFFFF) is SharingViolation or LockViolation,
        _ => false,
    };
}
