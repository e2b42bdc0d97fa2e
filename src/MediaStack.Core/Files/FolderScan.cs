namespace MediaStack.Core.Files;

// Which files a scan of a folder reads as manifests: *.yaml and *.yml, never a hidden file
// or anything in a hidden folder (.git, .github, the staging and old folders an interrupted
// export leaves, the temp file of an edit). Hidden: a name starting with '.' on every
// system, or the Hidden attribute that Windows tools set.
public static class FolderScan
{
    public static IEnumerable<string> YamlFiles(string folder, bool recursive) => Walk(folder, recursive).Order(StringComparer.Ordinal);

    private static IEnumerable<string> Walk(string folder, bool recursive)
    {
        foreach (var file in Directory.EnumerateFiles(folder))
        {
            if (!IsHidden(file) && (file.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || file.EndsWith(".yml", StringComparison.OrdinalIgnoreCase)))
            {
                yield return file;
            }
        }
        if (!recursive)
        {
            yield break;
        }
        foreach (var child in Directory.EnumerateDirectories(folder))
        {
            // A linked folder can lead back up the tree (a loop) or out of the repository.
            if (IsHidden(child) || new DirectoryInfo(child).LinkTarget is not null)
            {
                continue;
            }
            foreach (var file in Walk(child, recursive))
            {
                yield return file;
            }
        }
    }

    private static bool IsHidden(string path) =>
        IsHiddenName(Path.GetFileName(path))
        || (OperatingSystem.IsWindows() && (File.GetAttributes(path) & (FileAttributes.Hidden | FileAttributes.System)) != 0);

    public static bool IsHiddenName(string name) => name.StartsWith('.');

    // Gives a file or folder MediaStack keeps for a moment (staging, backup) the Hidden
    // attribute on Windows, where a leading dot alone does not hide it from other tools.
    public static void Hide(string path) => SetHidden(path, true);

    // A staged folder moved into place keeps its attributes: it must be visible again.
    public static void Show(string path) => SetHidden(path, false);

    private static void SetHidden(string path, bool hidden)
    {
        if (OperatingSystem.IsWindows())
        {
            var attributes = File.GetAttributes(path);
            File.SetAttributes(path, hidden ? attributes | FileAttributes.Hidden : attributes & ~FileAttributes.Hidden);
        }
    }
}
