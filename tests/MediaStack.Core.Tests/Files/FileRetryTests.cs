using MediaStack.Core.Errors;
using MediaStack.Core.Files;

namespace MediaStack.Core.Tests.Files;

// The Windows rules, run on any machine: what a busy file looks like to .NET there
// (ERROR_SHARING_VIOLATION as an IOException, access denied while a scanner holds it).
public class FileRetryTests
{
    private static IOException SharingViolation() => new("The process cannot access the file because it is being used by another process.", unchecked((int)0x80070020));

    [Fact]
    public void A_short_sharing_violation_is_waited_out()
    {
        var waits = new List<TimeSpan>();
        var calls = 0;

        var result = FileRetry.Run("deployment.yaml", () => ++calls < 3 ? throw SharingViolation() : "done", windows: true, waits.Add);

        Assert.Equal(("done", 3), (result, calls));
        Assert.Equal([TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(100)], waits);
    }

    [Fact]
    public void A_file_that_stays_busy_is_FileInUse_after_a_bounded_wait()
    {
        var waits = new List<TimeSpan>();
        var calls = 0;

        var error = Assert.Throws<MediaStackException>(() => FileRetry.Run<int>("deployment.yaml", () => { calls++; throw SharingViolation(); }, windows: true, waits.Add));

        Assert.Equal(ErrorIds.FileInUse, error.ErrorId);
        Assert.Equal(ErrorCategory.ResourceBusy, error.Category);
        Assert.Equal("deployment.yaml", error.Target);
        Assert.Equal(FileRetry.Delays.Length + 1, calls);
        Assert.True(waits.Sum(wait => wait.TotalMilliseconds) <= 2000, "the whole wait stays under two seconds");
        Assert.IsType<IOException>(error.InnerException);
    }

    [Fact]
    public void Access_denied_that_stays_is_PathNotWritable_naming_both_causes()
    {
        var error = Assert.Throws<MediaStackException>(() => FileRetry.Run<int>("config.json", () => throw new UnauthorizedAccessException("Access to the path is denied."), windows: true, _ => { }));

        Assert.Equal(ErrorIds.PathNotWritable, error.ErrorId);
        Assert.Equal(ErrorCategory.PermissionDenied, error.Category);
        Assert.Contains("another program may hold it open", error.Message);
    }

    [Fact]
    public void Other_failures_and_other_systems_fail_at_once()
    {
        var calls = 0;
        Assert.Throws<FileNotFoundException>(() => FileRetry.Run<int>("x", () => { calls++; throw new FileNotFoundException(); }, windows: true, _ => { }));
        Assert.Throws<IOException>(() => FileRetry.Run<int>("x", () => { calls++; throw SharingViolation(); }, windows: false, _ => { }));
        Assert.Equal(2, calls);
    }
}
