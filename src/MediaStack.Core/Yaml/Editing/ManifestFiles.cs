using System.Text.Json.Nodes;
using MediaStack.Core.Errors;
using MediaStack.Core.Files;
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
    public static FileEdit Edit(string file, int documentIndex, string name, IReadOnlyList<PatchOperation> operations, Workloads.DocumentSpan? span = null)
    {
        var text = ReadText(file).Text;
        return new FileEdit(file, text, YamlTextEditor.Apply(text, documentIndex, operations, file, name, span));
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

    // One atomic replace in the file's own encoding, BOM and permissions (TextFile). A file
    // changed by someone else since it was read is left alone.
    public static void Write(FileEdit edit)
    {
        EnsureWritable(edit.File);
        var current = TextFile.Read(edit.File);
        if (current.Text != edit.OldText)
        {
            throw new MediaStackException(ErrorIds.PathNotWritable, ErrorCategory.WriteError,
                $"'{edit.File}' changed while it was being edited; nothing was written.", edit.File, "Run the command again.");
        }
        TextFile.Write(edit.File, edit.NewText, current.Format);
    }

    // Within the size limit, in the file's own encoding; an unreadable file is PathNotReadable.
    private static TextFileContent ReadText(string file) => TextFile.Decode(YamlReader.ReadBytes(file, YamlReadLimits.Default), file);
}
