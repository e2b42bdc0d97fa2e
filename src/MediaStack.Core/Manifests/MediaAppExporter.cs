using System.Text.Json.Nodes;
using MediaStack.Core.Errors;
using MediaStack.Core.Yaml;

namespace MediaStack.Core.Manifests;

public sealed record PlannedFile(string RelativePath, string Content);

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

    public static ExportPlan Plan(MediaApp app, string repositoryPath, JsonObject? argoApplication = null)
    {
        if (app.Service is null || app.Route is null || app.Kustomization is null || app.Readme is null)
        {
            throw new MediaStackException(
                ErrorIds.ExportFailed,
                ErrorCategory.InvalidData,
                $"The app {app.Name} holds only part of its manifests (source: {app.Source}); only apps made by New-MediaApp can be exported.",
                target: app.Name,
                recommendedAction: "Generate the app with New-MediaApp and export that.");
        }
        var baseFolder = $"{MediaAppFiles.AppsFolder}/{app.Name}/{MediaAppFiles.BaseFolder}";
        var files = new List<PlannedFile>
        {
            new($"{baseFolder}/{MediaAppFiles.Deployment}", YamlWriter.Write(app.Deployment)),
            new($"{baseFolder}/{MediaAppFiles.Service}", YamlWriter.Write(app.Service)),
            new($"{baseFolder}/{MediaAppFiles.Route}", YamlWriter.Write(app.Route)),
            new($"{baseFolder}/{MediaAppFiles.Kustomization}", KustomizationHeader + YamlWriter.Write(app.Kustomization)),
            new($"{baseFolder}/{MediaAppFiles.Readme}", app.Readme),
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

    // Returns the full paths written. Refuses an existing apps/<name> (and Application file)
    // unless force; with force only base/ is replaced, so overlays next to it survive.
    public static IReadOnlyList<string> Write(ExportPlan plan, bool force)
    {
        EnsureFree(plan, force);
        var argo = plan.ArgoApplication;

        var token = Guid.NewGuid().ToString("N");
        var appsFolder = Path.GetDirectoryName(plan.AppFolder)!;
        var staging = Path.Combine(appsFolder, $".{plan.AppName}.{token}.staging");
        var argoStaging = $"{plan.ArgoFile}.{token}.tmp";
        var undo = new Stack<Action>();
        try
        {
            CreateFolder(appsFolder, undo);
            Directory.CreateDirectory(staging);
            undo.Push(() => Directory.Delete(staging, recursive: true));
            foreach (var file in plan.Files.Where(file => file != argo))
            {
                File.WriteAllText(Path.Combine(staging, Path.GetFileName(file.RelativePath)), file.Content);
            }
            if (argo is not null)
            {
                CreateFolder(Path.GetDirectoryName(plan.ArgoFile)!, undo);
                File.WriteAllText(argoStaging, argo.Content);
                undo.Push(() => File.Delete(argoStaging));
            }

            CreateFolder(plan.AppFolder, undo);
            string? oldBase = null;
            if (Directory.Exists(plan.BaseFolder))
            {
                oldBase = Path.Combine(plan.AppFolder, $".{MediaAppFiles.BaseFolder}.{token}.old");
                Directory.Move(plan.BaseFolder, oldBase);
                undo.Push(() => Directory.Move(oldBase, plan.BaseFolder));
            }
            Directory.Move(staging, plan.BaseFolder);
            undo.Push(() => Directory.Move(plan.BaseFolder, staging));
            var oldArgo = MoveArgoIntoPlace(plan, argo, argoStaging, token, undo);

            // Everything is in place: from here on, leftovers are only untidy, not wrong.
            undo.Clear();
            BestEffort(() => Directory.Delete(oldBase!, recursive: true), when: oldBase is not null);
            BestEffort(() => File.Delete(oldArgo!), when: oldArgo is not null);
            return plan.FullPaths.ToList();
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            Rollback(undo);
            throw NotWritable(plan.RepositoryPath, exception.Message, exception);
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
            oldArgo = $"{plan.ArgoFile}.{token}.old";
            File.Move(plan.ArgoFile, oldArgo);
            undo.Push(() => File.Move(oldArgo, plan.ArgoFile));
        }
        File.Move(argoStaging, plan.ArgoFile);
        undo.Push(() => File.Move(plan.ArgoFile, argoStaging));
        return oldArgo;
    }

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
            BestEffort(step, when: true);
        }
    }

    private static void BestEffort(Action action, bool when)
    {
        if (!when)
        {
            return;
        }
        try
        {
            action();
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // Keep going: a failed undo or cleanup must not hide the outcome.
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
