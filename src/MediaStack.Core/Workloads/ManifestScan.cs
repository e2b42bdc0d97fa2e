using System.Text.Json.Nodes;
using MediaStack.Core.Errors;
using MediaStack.Core.Yaml;

namespace MediaStack.Core.Workloads;

// One document found in a manifest file or in YAML text from the pipeline, or the reason
// it could not be read (Error). Index counts the file's non-empty documents from 0.
public sealed record ManifestDocument(string Source, int Index, JsonObject? Document, MediaStackException? Error)
{
    // The document as the reader saw it (positions of its values); null for a template or
    // an unreadable file.
    public YamlDocument? Yaml { get; init; }

    // A kustomize patch (listed under patches / patchesStrategicMerge of a kustomization in
    // its folder): a fragment of a workload, not one.
    public bool IsPatch { get; init; }

    // A Go template (Helm chart source): its text must be rendered before it can be read.
    public bool IsTemplate { get; init; }

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

    // Every document of every file under the paths, in order, each file read within the
    // limits (a file over them is one error document).
    public static IEnumerable<ManifestDocument> Documents(string path, YamlReadLimits? limits = null)
    {
        limits ??= YamlReadLimits.Default;
        var files = Files(path);
        var patches = PatchFiles(files);
        foreach (var file in files)
        {
            string? text = null;
            MediaStackException? unreadable = null;
            try
            {
                text = YamlReader.ReadText(file, limits);
            }
            catch (MediaStackException exception)
            {
                unreadable = exception;
            }
            if (unreadable is not null)
            {
                yield return new ManifestDocument(file, 0, null, unreadable);
                continue;
            }
            foreach (var document in FromText(text!, file, limits))
            {
                yield return document with { IsPatch = patches.Contains(file) };
            }
        }
    }

    // The documents of one YAML text (a file's, or text piped from kubectl kustomize or helm
    // template). A bad document is an error entry and the next ones are still read; broken
    // syntax ends the text (the documents before it are kept).
    public static IReadOnlyList<ManifestDocument> FromText(string text, string source = PipelineSource, YamlReadLimits? limits = null)
    {
        // A Helm chart's templates are Go templates whatever they look like; elsewhere a
        // file is a template only when {{ }} keeps it from being YAML (a literal "{{ ... }}"
        // in a quoted value, as the seed's checksum annotations have, is just text).
        if (source != PipelineSource && IsChartTemplate(source))
        {
            return [new ManifestDocument(source, 0, null, null) { IsTemplate = true }];
        }
        var documents = YamlReader.ReadStream(text, source == PipelineSource ? null : source, limits ?? YamlReadLimits.Default);
        if (documents.Any(document => document.Error is YamlSyntaxException) && LooksLikeTemplate(text))
        {
            return [new ManifestDocument(source, 0, null, null) { IsTemplate = true }];
        }
        return documents.Select(document => new ManifestDocument(source, document.Index, document.Root, document.Error) { Yaml = document }).ToList();
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
            MediaStackException? unnamed = null;
            // A metadata that is no mapping is a shape error, found below.
            if (document.Yaml is { } yaml && document.Document!["metadata"] is null or JsonObject && !Manifests.ManifestDocuments.TryName(document.Document!, document.Source == PipelineSource ? null : document.Source, yaml, error => unnamed = error, out _))
            {
                yield return (document, null, unnamed);
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
