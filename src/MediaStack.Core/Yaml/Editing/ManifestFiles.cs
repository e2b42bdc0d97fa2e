using System.Text;
using System.Text.Json.Nodes;
using MediaStack.Core.Errors;
using MediaStack.Core.JsonPatch;

namespace MediaStack.Core.Yaml.Editing;

// The new text of one file and the diff from the old one.
public sealed record FileEdit(string File, string OldText, string NewText)
{
    public bool Changed => OldText != NewText;

    // git-style names, relative to directory when the file is under it.
    public string Diff(string directory)
    {
        var relative = Path.GetRelativePath(directory, File);
        var name = (relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative) ? File : relative).Replace('\\', '/');
        return UnifiedDiff.Create(OldText, NewText, "a/" + name.TrimStart('/'), "b/" + name.TrimStart('/'));
    }
}

// Edits a workload in place in its manifest file through YamlTextEditor and writes the file
// atomically. Every check (the document is still there, the text parses, the file is
// writable) happens before any write.
public static class ManifestFiles
{
    // The edited text of the file holding the workload; nothing is written.
    public static FileEdit Edit(string file, int documentIndex, string name, IReadOnlyList<PatchOperation> operations)
    {
        var text = ReadText(file).Text;
        return new FileEdit(file, text, YamlTextEditor.Apply(text, documentIndex, operations, file, name));
    }

    public static void EnsureWritable(string file)
    {
        var directory = Path.GetDirectoryName(file)!;
        var readOnly = new FileInfo(file).IsReadOnly
            || (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(file) & (UnixFileMode.UserWrite | UnixFileMode.GroupWrite | UnixFileMode.OtherWrite)) == 0);
        if (readOnly)
        {
            throw new MediaStackException(ErrorIds.PathNotWritable, ErrorCategory.PermissionDenied,
                $"'{file}' is read-only; nothing was written.", file, "Make the file writable (chmod u+w / attrib -r) and run the command again.");
        }
        if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(directory) & (UnixFileMode.UserWrite | UnixFileMode.GroupWrite | UnixFileMode.OtherWrite)) == 0)
        {
            throw new MediaStackException(ErrorIds.PathNotWritable, ErrorCategory.PermissionDenied,
                $"The folder of '{file}' is read-only; nothing was written.", file, "Make the folder writable and run the command again.");
        }
    }

    // Temp file next to the target, then rename: readers never see half a file. The file's
    // byte-order mark and permissions are kept.
    public static void Write(FileEdit edit)
    {
        EnsureWritable(edit.File);
        var bom = ReadText(edit.File).Bom;
        var temp = Path.Combine(Path.GetDirectoryName(edit.File)!, $".{Path.GetFileName(edit.File)}.{Guid.NewGuid():N}.tmp");
        try
        {
            File.WriteAllText(temp, edit.NewText, new UTF8Encoding(bom));
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(temp, File.GetUnixFileMode(edit.File));
            }
            File.Move(temp, edit.File, overwrite: true);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            File.Delete(temp);
            throw new MediaStackException(ErrorIds.PathNotWritable, ErrorCategory.WriteError,
                $"Could not write '{edit.File}': {exception.Message}", edit.File, innerException: exception);
        }
    }

    private static (string Text, bool Bom) ReadText(string file)
    {
        // Within the size limit; an unreadable file is PathNotReadable.
        var bytes = YamlReader.ReadBytes(file, YamlReadLimits.Default);
        var bom = bytes.Length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF;
        return (new UTF8Encoding(false).GetString(bytes, bom ? 3 : 0, bytes.Length - (bom ? 3 : 0)), bom);
    }
}
