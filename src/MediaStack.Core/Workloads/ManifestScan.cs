using System.Text.Json.Nodes;
using MediaStack.Core.Errors;
using MediaStack.Core.Yaml;

namespace MediaStack.Core.Workloads;

// One document found in a manifest file or in YAML text from the pipeline, or the reason
// it could not be read (Error). Index counts the file's non-empty documents from 0.
public sealed record ManifestDocument(string Source, int Index, JsonObject? Document, MediaStackException? Error)
{
    // A kustomize patch (listed under patches / patchesStrategicMerge of a kustomization in
    // its folder): a fragment of a workload, not one.
    public bool IsPatch { get; init; }

    // A Go template (Helm chart source): its text must be rendered before it can be read.
    public bool IsTemplate { get; init; }

    // Where the document's values are written in its text (null when it was not read).
    public YamlLocator? Positions { get; init; }

    // The line and column of the value at a JSON pointer ("/spec/replicas"), or of its
    // nearest ancestor in the text; null for text from the pipeline, which has no file.
    public SourcePosition? PositionOf(string pointer) =>
        Source != ManifestScan.PipelineSource && Positions?.Find(Index, pointer) is { } at ? new SourcePosition(Source, at.Line, at.Column) : null;

    public string? Kind => WorkloadContainer.Text(WorkloadContainer.At(Document, "kind"));

    public string? Name => WorkloadContainer.Text(WorkloadContainer.At(Document, "metadata", "name"));

    public bool IsWorkload => Document is not null && !IsPatch && Workload.IsWorkload(Document);

    // "apps/plex/base/deployment.yaml (document 2)" for messages.
    public string Display => Index > 0 ? $"{Source} (document {Index + 1})" : Source;
}

// How every cmdlet with -Path finds manifests: a file as given; a folder searched below for
// *.yaml and *.yml, hidden folders and files skipped (.git, staging folders), in ordinal
// order. A file that cannot be read is one error document; the others are still read.
public static class ManifestScan
{
    public const string PipelineSource = "(pipeline)";

    private static readonly string[] KustomizationNames = ["kustomization.yaml", "kustomization.yml", "Kustomization"];

    public static IReadOnlyList<string> Files(string path)
    {
        var full = Path.GetFullPath(path);
        if (File.Exists(full))
        {
            return [full];
        }
        if (Directory.Exists(full))
        {
            return Walk(full).Order(StringComparer.Ordinal).ToList();
        }
        throw new MediaStackException(ErrorIds.ManifestPathNotFound, ErrorCategory.ObjectNotFound,
            $"No manifest file or folder at '{path}'.", path, "Give the path of a YAML file or of a folder holding YAML files.");
    }

    // Every document of every file under the paths, in order.
    public static IEnumerable<ManifestDocument> Documents(string path)
    {
        var files = Files(path);
        var patches = PatchFiles(files);
        foreach (var file in files)
        {
            string? text = null;
            MediaStackException? unreadable = null;
            try
            {
                text = File.ReadAllText(file);
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                unreadable = new MediaStackException(ErrorIds.PathNotReadable, ErrorCategory.ReadError,
                    $"Cannot read '{file}': {exception.Message}", file, "Check the file's permissions.", exception);
            }
            if (unreadable is not null)
            {
                yield return new ManifestDocument(file, 0, null, unreadable);
                continue;
            }
            foreach (var document in FromText(text!, file))
            {
                yield return document with { IsPatch = patches.Contains(file) };
            }
        }
    }

    // The documents of one YAML text (a file's, or text piped from kubectl kustomize or helm
    // template). A syntax error ends the text: the documents before it are kept.
    public static IReadOnlyList<ManifestDocument> FromText(string text, string source = PipelineSource)
    {
        // A Helm chart's templates are Go templates whatever they look like; elsewhere a
        // file is a template only when {{ }} keeps it from being YAML (a literal "{{ ... }}"
        // in a quoted value, as the seed's checksum annotations have, is just text).
        if (source != PipelineSource && IsChartTemplate(source))
        {
            return [new ManifestDocument(source, 0, null, null) { IsTemplate = true }];
        }
        try
        {
            var positions = new YamlLocator(text);
            return YamlReader.ReadDocuments(text, source == PipelineSource ? null : source)
                .Select((document, index) => new ManifestDocument(source, index, document, null) { Positions = positions })
                .ToList();
        }
        catch (MediaStackException exception)
        {
            return LooksLikeTemplate(text)
                ? [new ManifestDocument(source, 0, null, null) { IsTemplate = true }]
                : [new ManifestDocument(source, 0, null, exception)];
        }
    }

    // charts/<chart>/templates/...: a Chart.yaml sits next to the templates folder.
    private static bool IsChartTemplate(string file)
    {
        for (var folder = Path.GetDirectoryName(file); folder is not null; folder = Path.GetDirectoryName(folder))
        {
            if (Path.GetFileName(folder) == "templates")
            {
                var chart = Path.GetDirectoryName(folder);
                return chart is not null && (File.Exists(Path.Combine(chart, "Chart.yaml")) || File.Exists(Path.Combine(chart, "Chart.yml")));
            }
        }
        return false;
    }

    // The workloads among the documents: a model for each, or the shape error of one.
    public static IEnumerable<(ManifestDocument Document, Workload? Workload, MediaStackException? Error)> Workloads(
        IEnumerable<ManifestDocument> documents, Config.MediaStackConfig config)
    {
        foreach (var document in documents)
        {
            if (document.Error is { } error)
            {
                yield return (document, null, error);
                continue;
            }
            if (!document.IsWorkload)
            {
                continue;
            }
            Workload? workload = null;
            MediaStackException? problem = null;
            try
            {
                workload = Workload.From(document.Document!, config);
            }
            catch (WorkloadShapeException exception)
            {
                problem = new MediaStackException(exception.ErrorId, exception.Category, $"{document.Display}: {exception.Message}",
                    document.Source, exception.RecommendedAction, exception);
            }
            yield return (document, workload, problem);
        }
    }

    // The same message wherever a path holds no workload.
    public static MediaStackException NoWorkload(string path) =>
        new(ErrorIds.NoDeploymentInFile, ErrorCategory.ObjectNotFound,
            $"No Deployment, StatefulSet, DaemonSet or Pod in '{path}'.", path,
            "Point -Path at the file or folder holding the app's workload (for a Helm chart or a kustomize overlay, pipe the rendered text: helm template ... | <cmdlet>).");

    // Helm chart sources: `{{ ... }}` outside comments and outside quoted strings (the seed
    // template's checksum annotations hold "{{ .Values ... }}" as text, and kubectl applies it).
    private static bool LooksLikeTemplate(string text)
    {
        foreach (var line in text.AsSpan().EnumerateLines())
        {
            var trimmed = line.TrimStart();
            var open = trimmed.IndexOf("{{", StringComparison.Ordinal);
            if (!trimmed.StartsWith("#") && open >= 0 && trimmed[open..].IndexOf("}}", StringComparison.Ordinal) >= 0 && !InQuotes(trimmed[..open]))
            {
                return true;
            }
        }
        return false;
    }

    // Does a quoted string opened in this text run on past its end?
    private static bool InQuotes(ReadOnlySpan<char> text) => text.Count('"') % 2 == 1 || text.Count('\'') % 2 == 1;

    private static IEnumerable<string> Walk(string folder)
    {
        foreach (var file in Directory.EnumerateFiles(folder))
        {
            var name = Path.GetFileName(file);
            if (!name.StartsWith('.') && (name.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".yml", StringComparison.OrdinalIgnoreCase)))
            {
                yield return file;
            }
        }
        foreach (var child in Directory.EnumerateDirectories(folder))
        {
            if (Path.GetFileName(child).StartsWith('.') || new DirectoryInfo(child).LinkTarget is not null)
            {
                continue;
            }
            foreach (var file in Walk(child))
            {
                yield return file;
            }
        }
    }

    // Files that a kustomization in one of their folders lists as patches (a kustomization
    // named Kustomization is no *.yaml file, so it is looked for, not found by the walk).
    private static HashSet<string> PatchFiles(IReadOnlyList<string> files)
    {
        var patches = new HashSet<string>(StringComparer.Ordinal);
        var kustomizations = files.Select(file => Path.GetDirectoryName(file)!).Distinct(StringComparer.Ordinal)
            .SelectMany(folder => KustomizationNames.Select(name => Path.Combine(folder, name)))
            .Where(File.Exists);
        foreach (var kustomization in kustomizations)
        {
            JsonObject? document;
            try
            {
                document = YamlReader.ReadDocuments(File.ReadAllText(kustomization), kustomization).FirstOrDefault();
            }
            catch (Exception exception) when (exception is MediaStackException or IOException or UnauthorizedAccessException)
            {
                continue;
            }
            var folder = Path.GetDirectoryName(kustomization)!;
            var listed = (document?["patchesStrategicMerge"] as JsonArray ?? [])
                .Select(WorkloadContainer.Text)
                .Concat((document?["patches"] as JsonArray ?? []).Select(entry => WorkloadContainer.Text(WorkloadContainer.At(entry, "path"))));
            foreach (var relative in listed.OfType<string>())
            {
                patches.Add(Path.GetFullPath(Path.Combine(folder, relative)));
            }
        }
        return patches;
    }
}
