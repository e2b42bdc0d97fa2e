using System.Text;
using MediaStack.Core.Errors;

namespace MediaStack.Core.Files;

// Writes a whole file or nothing: the text goes to a hidden temp file next to the target,
// which is then renamed over it, so a reader (node_exporter, a CI server, the next run)
// never sees half a file. A mode given is set when the temp file is created, before any
// byte of a secret is in it.
public static class AtomicFile
{
    public static readonly UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public static string Write(string path, string text, UnixFileMode? mode = null)
    {
        var file = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(file)!;
        var temp = Path.Combine(directory, $".{Path.GetFileName(file)}.{Guid.NewGuid():N}.tmp");
        try
        {
            Directory.CreateDirectory(directory);
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (mode is { } unixMode && !OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = unixMode;
            }
            using (var stream = new FileStream(temp, options))
            using (var writer = new StreamWriter(stream, new UTF8Encoding(false)))
            {
                writer.Write(text);
            }
            File.Move(temp, file, overwrite: true);
            return file;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            try
            {
                File.Delete(temp);
            }
            catch (Exception cleanup) when (cleanup is IOException or UnauthorizedAccessException)
            {
                // A stray temp file is harmless; the write error is what matters.
            }
            throw new MediaStackException(ErrorIds.PathNotWritable, ErrorCategory.WriteError,
                $"Cannot write {file}: {exception.Message}", file,
                "Choose a writable path, or create the folder and give this user write access.", exception);
        }
    }
}
