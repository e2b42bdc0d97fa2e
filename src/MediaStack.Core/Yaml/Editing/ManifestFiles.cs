using System.Text;
using System.Text.Json.Nodes;
using MediaStack.Core.Errors;
using MediaStack.Core.Manifests;
using MediaStack.Core.Sidecars.Reconcile;

namespace MediaStack.Core.Yaml.Editing;

// A Deployment found in a manifest file: which file, which document (counting non-empty
// documents), and the object as read.
public sealed record DeploymentInFile(string File, int DocumentIndex, JsonObject Deployment)
{
    public string Name => ManifestDocuments.Text(Deployment, "metadata", "name") ?? "";

    public string? Namespace => ManifestDocuments.Text(Deployment, "metadata", "namespace");
}

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

// Finds Deployments in manifest files or folders (a kustomize base: every *.yaml / *.yml
// directly inside it), edits them in place through YamlTextEditor and writes atomically.
// Every check (exists, parses, holds a Deployment, is writable) happens before any write.
public static class ManifestFiles
{
    public static IReadOnlyList<string> Resolve(string path)
    {
        var full = Path.GetFullPath(path);
        if (File.Exists(full))
        {
            return [full];
        }
        if (Directory.Exists(full))
        {
            return Directory.EnumerateFiles(full)
                .Where(file => file.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || file.EndsWith(".yml", StringComparison.OrdinalIgnoreCase))
                .Order(StringComparer.Ordinal)
                .ToList();
        }
        throw new MediaStackException(ErrorIds.ManifestPathNotFound, ErrorCategory.ObjectNotFound,
            $"The manifest path '{path}' does not exist.", path, "Pass a manifest file or the folder that holds it (apps/<name>/base).");
    }

    // Every Deployment under path, optionally only the one called name.
    public static IReadOnlyList<DeploymentInFile> FindDeployments(string path, string? name = null)
    {
        var found = new List<DeploymentInFile>();
        foreach (var file in Resolve(path))
        {
            var text = ReadText(file).Text;
            // The bounded reader first: the source tree is built only from text it accepted.
            var documents = YamlReader.ReadStream(text, file, YamlReadLimits.Default);
            if (documents.FirstOrDefault(document => document.Error is not null)?.Error is { } error)
            {
                throw error;
            }
            YamlSourceTree.Parse(text, file);
            foreach (var document in documents)
            {
                if (ManifestDocuments.Text(document.Root, "kind") == "Deployment"
                    && ManifestDocuments.TryName(document.Root!, file, document, problem => throw problem, out _))
                {
                    found.Add(new DeploymentInFile(file, document.Index, document.Root!));
                }
            }
        }
        if (found.Count == 0)
        {
            throw new MediaStackException(ErrorIds.NoDeploymentInFile, ErrorCategory.InvalidData,
                $"No Deployment in '{path}'.", path, "Point -Path at the file or folder holding the app's Deployment.");
        }
        if (!string.IsNullOrEmpty(name))
        {
            found = found.Where(deployment => deployment.Name == name).ToList();
            if (found.Count == 0)
            {
                throw new MediaStackException(ErrorIds.DeploymentNotFound, ErrorCategory.ObjectNotFound,
                    $"No Deployment named '{name}' in '{path}'.", name, "List the Deployments there with Get-MediaApp -Path, and pass one of their names to -Name.");
            }
        }
        return found;
    }

    // The edited text of the file holding the Deployment; nothing is written.
    public static FileEdit Edit(DeploymentInFile target, IReadOnlyList<PatchOperation> operations)
    {
        var text = ReadText(target.File).Text;
        var current = YamlReader.ReadDocuments(text, target.File);
        if (target.DocumentIndex >= current.Count || ManifestDocuments.Text(current[target.DocumentIndex], "metadata", "name") != target.Name)
        {
            throw new MediaStackException(ErrorIds.DeploymentNotFound, ErrorCategory.ObjectNotFound,
                $"'{target.File}' changed while it was being edited; Deployment '{target.Name}' is no longer where it was.", target.File, "Run the command again.");
        }
        return new FileEdit(target.File, text, YamlTextEditor.Apply(text, target.DocumentIndex, operations, target.File));
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
