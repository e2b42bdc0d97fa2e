using System.Text.Json.Nodes;
using MediaStack.Core.Errors;
using MediaStack.Core.Files;
using MediaStack.Core.Yaml;

namespace MediaStack.Core.Manifests;

public sealed record PlannedFile(string RelativePath, string Content);

// The files an export wrote, and staging or backup copies it could not remove (a program
// held them open): they are hidden and never read as manifests, but worth a warning.
public sealed record ExportResult(IReadOnlyList<string> Files, IReadOnlyList<string> Leftovers);

// What an export would write, relative to the repository root; -WhatIf shows it as is.
public sealed record ExportPlan(string RepositoryPath, string AppName, IReadOnlyList<PlannedFile> Files)
{
    public string AppFolder => Path.Combine(RepositoryPath, MediaAppFiles.AppsFolder, AppName);

    public string BaseFolder => Path.Combine(AppFolder, MediaAppFiles.BaseFolder);

    public string ArgoFile => Path.Combine(RepositoryPath, MediaAppFiles.ArgoFolder, AppName + ".yaml");

    public PlannedFile? ArgoApplication => Files.FirstOrDefault(file => file.RelativePath.StartsWith(MediaAppFiles.ArgoFolder + "/", StringComparison.Ordinal));

    public IEnumerable<string> FullPaths => Files.Select(file => Path.GetFullPath(Path.Combine(RepositoryPath, file.RelativePath)));
}

// Writes a generated app into a GitOps repository: apps/<name>/base/ and, optionally,
// argocd-apps/<name>.yaml. All or nothing: files are written next to their destination
// first (same filesystem) and renamed into place; a failure puts everything back.
public static class MediaAppExporter
{
    private const string KustomizationHeader =
        "# Labels are added with includeSelectors: false: a Deployment's selector is immutable,\n"
        + "# so a selector label added by kustomize later would make every sync of this app fail.\n";

    // Only a whole app made by New-MediaApp can be exported; an object PowerShell turned
    // into a MediaApp (a hashtable) is InvalidInputObject.
    public static void EnsureExportable(MediaApp app)
    {
        if (string.IsNullOrEmpty(app.Name) || app.Deployment is null)
        {
            throw new MediaStackException(ErrorIds.InvalidInputObject, ErrorCategory.InvalidArgument,
                "The MediaApp has no name or no Deployment.", app.Name, "Pipe an app from New-MediaApp.");
        }
        if (app.Service is null || app.Route is null || app.Kustomization is null || app.Readme is null)
        {
            throw new MediaStackException(
                ErrorIds.ExportFailed,
                ErrorCategory.InvalidData,
                $"The app {app.Name} holds only part of its manifests (source: {app.Source}); only apps made by New-MediaApp can be exported.",
                target: app.Name,
                recommendedAction: "Generate the app with New-MediaApp and export that.");
        }
    }

    public static ExportPlan Plan(MediaApp app, string repositoryPath, JsonObject? argoApplication = null)
    {
        EnsureExportable(app);
        var baseFolder = $"{MediaAppFiles.AppsFolder}/{app.Name}/{MediaAppFiles.BaseFolder}";
        var files = new List<PlannedFile>
        {
            new($"{baseFolder}/{MediaAppFiles.Deployment}", YamlWriter.Write(app.Deployment)),
            new($"{baseFolder}/{MediaAppFiles.Service}", YamlWriter.Write(app.Service!)),
            new($"{baseFolder}/{MediaAppFiles.Route}", YamlWriter.Write(app.Route!)),
            new($"{baseFolder}/{MediaAppFiles.Kustomization}", KustomizationHeader + YamlWriter.Write(app.Kustomization!)),
            new($"{baseFolder}/{MediaAppFiles.Readme}", app.Readme!),
        };
        if (argoApplication is not null)
        {
            files.Add(new($"{MediaAppFiles.ArgoFolder}/{app.Name}.yaml", YamlWriter.Write(argoApplication)));
        }
        var repository = FullPath(repositoryPath);
        CheckRepository(repository);
        return new ExportPlan(repository, app.Name, files);
    }

    private static string FullPath(string path)
    {
        if (string.IsNullOrWhiteSpace(path) || path.Contains('\0', StringComparison.Ordinal))
        {
            throw new MediaStackException(ErrorIds.InvalidPath, ErrorCategory.InvalidArgument,
                $"'{path.Replace("\0", "\\0", StringComparison.Ordinal)}' is not a usable folder path.", path, "Give the path of the GitOps repository's folder.");
        }
        try
        {
            return Path.GetFullPath(path);
        }
        catch (Exception exception) when (exception is ArgumentException or NotSupportedException or PathTooLongException or System.Security.SecurityException)
        {
            throw new MediaStackException(ErrorIds.InvalidPath, ErrorCategory.InvalidArgument,
                $"'{path}' is not a usable folder path: {exception.Message}", path, "Give the path of the GitOps repository's folder.", exception);
        }
    }

    // The repository folder may be made (like mkdir), but only inside a folder that exists:
    // a mistyped path must not become a new tree of folders.
    private static void CheckRepository(string repository)
    {
        var parent = Path.GetDirectoryName(repository);
        if (!Directory.Exists(repository) && !File.Exists(repository) && (parent is null || !Directory.Exists(parent)))
        {
            throw new MediaStackException(ErrorIds.RepositoryNotFound, ErrorCategory.ObjectNotFound,
                $"Neither the repository folder {repository} nor its parent {parent} exists; nothing was written.", repository,
                "Check the path for a typo, or create the repository folder first (git clone or mkdir).");
        }
    }

    // What Write refuses, checked on its own so a caller can refuse before asking.
    public static void EnsureFree(ExportPlan plan, bool force)
    {
        CheckRepository(plan.RepositoryPath);
        if (File.Exists(plan.RepositoryPath))
        {
            throw NotWritable(plan.RepositoryPath, "it is a file, not a folder", null);
        }
        if (!force && Directory.Exists(plan.AppFolder))
        {
            throw new MediaStackException(
                ErrorIds.AppFolderExists,
                ErrorCategory.ResourceExists,
                $"The app folder {plan.AppFolder} already exists.",
                target: plan.AppFolder,
                recommendedAction: "Use -Force to replace its base folder, or pick another name.");
        }
        if (!force && plan.ArgoApplication is not null && File.Exists(plan.ArgoFile))
        {
            throw new MediaStackException(
                ErrorIds.ArgoApplicationExists,
                ErrorCategory.ResourceExists,
                $"The ArgoCD Application file {plan.ArgoFile} already exists.",
                target: plan.ArgoFile,
                recommendedAction: "Use -Force to replace it.");
        }
    }

    // Refuses what EnsureFree refuses; with force only base/ is replaced, so overlays next to
    // it survive. Staging and backup names start with a dot (and are Hidden on Windows) so
    // no scan reads them; moves are retried while Windows reports a file busy. Leftovers of
    // interrupted exports of this app are removed first; what cannot be removed is
    // returned, not hidden.
    public static ExportResult Write(ExportPlan plan, bool force)
    {
        EnsureFree(plan, force);
        var argo = plan.ArgoApplication;

        var leftovers = RemoveLeftovers(plan);
        var token = Guid.NewGuid().ToString("N");
        var appsFolder = Path.GetDirectoryName(plan.AppFolder)!;
        var staging = Path.Combine(appsFolder, $".{plan.AppName}.{token}.staging");
        var argoStaging = ArgoSibling(plan, token, "tmp");
        var undo = new Stack<Action>();
        try
        {
            CreateFolder(appsFolder, undo);
            Directory.CreateDirectory(staging);
            undo.Push(() => Directory.Delete(staging, recursive: true));
            FolderScan.Hide(staging);
            foreach (var file in plan.Files.Where(file => file != argo))
            {
                TextFile.Write(Path.Combine(staging, Path.GetFileName(file.RelativePath)), file.Content, TextFormat.Default);
            }
            if (argo is not null)
            {
                CreateFolder(Path.GetDirectoryName(plan.ArgoFile)!, undo);
                TextFile.Write(argoStaging, argo.Content, TextFormat.Default);
                undo.Push(() => File.Delete(argoStaging));
            }

            CreateFolder(plan.AppFolder, undo);
            string? oldBase = null;
            if (Directory.Exists(plan.BaseFolder))
            {
                oldBase = Path.Combine(plan.AppFolder, $".{MediaAppFiles.BaseFolder}.{token}.old");
                MoveFolder(plan.BaseFolder, oldBase);
                undo.Push(() => MoveFolder(oldBase, plan.BaseFolder));
                FolderScan.Hide(oldBase);
            }
            MoveFolder(staging, plan.BaseFolder);
            undo.Push(() => MoveFolder(plan.BaseFolder, staging));
            FolderScan.Show(plan.BaseFolder);
            var oldArgo = MoveArgoIntoPlace(plan, argo, argoStaging, token, undo);

            // Everything is in place: from here on, leftovers are only untidy, not wrong.
            undo.Clear();
            if (oldBase is not null && !TryDelete(oldBase))
            {
                leftovers.Add(oldBase);
            }
            if (oldArgo is not null && !TryDelete(oldArgo))
            {
                leftovers.Add(oldArgo);
            }
            return new ExportResult(plan.FullPaths.ToList(), leftovers);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or MediaStackException)
        {
            Rollback(undo);
            throw exception as MediaStackException ?? NotWritable(plan.RepositoryPath, exception.Message, exception);
        }
    }

    // Returns the replaced file, moved aside, for deletion once everything is in place.
    private static string? MoveArgoIntoPlace(ExportPlan plan, PlannedFile? argo, string argoStaging, string token, Stack<Action> undo)
    {
        if (argo is null)
        {
            return null;
        }
        string? oldArgo = null;
        if (File.Exists(plan.ArgoFile))
        {
            oldArgo = ArgoSibling(plan, token, "old");
            MoveFile(plan.ArgoFile, oldArgo);
            undo.Push(() => MoveFile(oldArgo, plan.ArgoFile));
        }
        MoveFile(argoStaging, plan.ArgoFile);
        undo.Push(() => MoveFile(plan.ArgoFile, argoStaging));
        return oldArgo;
    }

    // argocd-apps/.<name>.yaml.<token>.<kind>: next to the Application, hidden by its name.
    private static string ArgoSibling(ExportPlan plan, string token, string kind) =>
        Path.Combine(Path.GetDirectoryName(plan.ArgoFile)!, $".{Path.GetFileName(plan.ArgoFile)}.{token}.{kind}");

    // Staging and backup copies an interrupted export of this app left behind. Ones younger
    // than a few minutes may belong to an export running right now and are left alone.
    private static List<string> RemoveLeftovers(ExportPlan plan)
    {
        var cutoff = DateTime.UtcNow - TimeSpan.FromMinutes(5);
        var appsFolder = Path.GetDirectoryName(plan.AppFolder)!;
        var argoFolder = Path.GetDirectoryName(plan.ArgoFile)!;
        var argoName = Path.GetFileName(plan.ArgoFile);
        var found = Matching(appsFolder, $".{plan.AppName}.*.staging")
            .Concat(Matching(plan.AppFolder, $".{MediaAppFiles.BaseFolder}.*.old"))
            .Concat(Matching(argoFolder, $".{argoName}.*.tmp"))
            .Concat(Matching(argoFolder, $".{argoName}.*.old"))
            .Where(path => Directory.GetLastWriteTimeUtc(path) < cutoff);
        return found.Where(path => !TryDelete(path)).ToList();
    }

    private static IEnumerable<string> Matching(string folder, string pattern) =>
        Directory.Exists(folder)
            ? Directory.EnumerateFileSystemEntries(folder, pattern, new EnumerationOptions { AttributesToSkip = 0, MatchType = MatchType.Simple })
            : [];

    private static void MoveFolder(string from, string to) => FileRetry.Run(from, () => Directory.Move(from, to));

    private static void MoveFile(string from, string to) => FileRetry.Run(from, () => File.Move(from, to));

    // Folders this export creates are removed again if it fails.
    private static void CreateFolder(string folder, Stack<Action> undo)
    {
        var missing = new Stack<string>();
        for (var current = folder; !Directory.Exists(current); current = Path.GetDirectoryName(current)!)
        {
            if (File.Exists(current))
            {
                throw new IOException($"{current} is a file, not a folder.");
            }
            missing.Push(current);
        }
        while (missing.TryPop(out var create))
        {
            Directory.CreateDirectory(create);
            undo.Push(() => Directory.Delete(create, recursive: true));
        }
    }

    private static void Rollback(Stack<Action> undo)
    {
        while (undo.TryPop(out var step))
        {
            BestEffort(step);
        }
    }

    private static void BestEffort(Action action)
    {
        try
        {
            action();
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or MediaStackException)
        {
            // Keep going: a failed undo must not hide the outcome.
        }
    }

    private static bool TryDelete(string path)
    {
        try
        {
            FileRetry.Run(path, () =>
            {
                if (Directory.Exists(path))
                {
                    Directory.Delete(path, recursive: true);
                }
                else
                {
                    File.Delete(path);
                }
            });
            return true;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or MediaStackException)
        {
            return false;
        }
    }

    private static MediaStackException NotWritable(string path, string reason, Exception? inner) =>
        new(
            ErrorIds.PathNotWritable,
            ErrorCategory.WriteError,
            $"Cannot write the app under {path}: {reason}",
            target: path,
            recommendedAction: "Check the path and its permissions; nothing was written.",
            innerException: inner);
}
