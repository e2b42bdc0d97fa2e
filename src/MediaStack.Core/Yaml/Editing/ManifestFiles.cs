using System.Text.Json.Nodes;
using MediaStack.Core.Errors;
using MediaStack.Core.Files;
using MediaStack.Core.Sidecars.Reconcile;

namespace MediaStack.Core.Yaml.Editing;

// A Deployment found in a manifest file: which file, which document (counting non-empty
// documents), and the object as read.
public sealed record DeploymentInFile(string File, int DocumentIndex, JsonObject Deployment)
{
    public string Name => (string?)Deployment["metadata"]?["name"] ?? "";

    public string? Namespace => (string?)Deployment["metadata"]?["namespace"];
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
            return FolderScan.YamlFiles(full, recursive: false).ToList();
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
            YamlSourceTree.Parse(text, file);
            var documents = YamlReader.ReadDocuments(text, file);
            for (var i = 0; i < documents.Count; i++)
            {
                if ((string?)documents[i]["kind"] == "Deployment")
                {
                    found.Add(new DeploymentInFile(file, i, documents[i]));
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
                    $"No Deployment named '{name}' in '{path}'.", name);
            }
        }
        return found;
    }

    // The edited text of the file holding the Deployment; nothing is written.
    public static FileEdit Edit(DeploymentInFile target, IReadOnlyList<PatchOperation> operations)
    {
        var text = ReadText(target.File).Text;
        var current = YamlReader.ReadDocuments(text, target.File);
        if (target.DocumentIndex >= current.Count || (string?)current[target.DocumentIndex]["metadata"]?["name"] != target.Name)
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

    private static TextFileContent ReadText(string file) => TextFile.Read(file);
}
