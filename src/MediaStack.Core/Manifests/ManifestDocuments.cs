using System.Text.Json;
using System.Text.Json.Nodes;
using MediaStack.Core.Errors;
using MediaStack.Core.Yaml;

namespace MediaStack.Core.Manifests;

// The documents of manifest files, read within the read limits: each bad document (or
// unreadable file) is handed to `report` and the others are still read.
public static class ManifestDocuments
{
    public static IEnumerable<(string? File, YamlDocument Document)> Read(IEnumerable<string> files, YamlReadLimits limits, Action<MediaStackException> report) =>
        files.SelectMany(file => Good(YamlReader.ReadStreamFromFile(file, limits), file, report));

    // The documents that were read; the errors go to `report`, in order.
    public static IEnumerable<(string? File, YamlDocument Document)> Good(IEnumerable<YamlDocument> documents, string? file, Action<MediaStackException> report)
    {
        foreach (var document in documents)
        {
            if (document.Error is not null)
            {
                report(document.Error);
                continue;
            }
            yield return (file, document);
        }
    }

    // A string field of a document, or null when it is missing or not a string (a list, a
    // number): hostile shapes are read as absent, never as an exception.
    public static string? Text(JsonNode? node, params string[] path)
    {
        foreach (var key in path)
        {
            node = node is JsonObject map ? map[key] : null;
        }
        return node is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;
    }

    // The metadata.name an object must have, or ManifestNameMissing at the document's line.
    public static bool TryName(JsonObject root, string? file, YamlDocument document, Action<MediaStackException> report, out string name)
    {
        name = Text(root, "metadata", "name") ?? "";
        if (name.Length > 0)
        {
            return true;
        }
        var at = document.NearestPositionOf("/metadata/name") ?? new YamlPosition(document.Line, document.Column);
        var kind = Text(root, "kind") ?? "object";
        report(new MediaStackException(
            ErrorIds.ManifestNameMissing, ErrorCategory.InvalidData,
            $"{file ?? "YAML text"}({at.Line},{at.Column}): the {kind} in document {document.Index + 1} has no metadata.name; it was skipped.",
            file, "Give the object a metadata.name (Kubernetes refuses it without one)."));
        return false;
    }

    // "file(line,column): document N" for messages about one document.
    public static string Where(string? file, YamlDocument document) =>
        $"{file ?? "YAML text"}({document.Line},{document.Column}): document {document.Index + 1}";

    // Reads a workload whose fields may have the wrong shape (metadata a list, containers a
    // mapping, spec a number): what System.Text.Json throws then is InvalidWorkloadShape.
    public static T ShapeChecked<T>(JsonObject workload, string where, Func<T> read)
    {
        try
        {
            return read();
        }
        catch (Exception exception) when (exception is InvalidOperationException or JsonException or FormatException)
        {
            throw Shape(workload, where, exception.Message, exception);
        }
    }

    // InvalidWorkloadShape: the workload at `where` is not shaped like its kind.
    public static MediaStackException Shape(JsonObject workload, string where, string problem, Exception? inner = null) =>
        new(ErrorIds.InvalidWorkloadShape, ErrorCategory.InvalidData,
            $"{where}: '{Text(workload, "metadata", "name") ?? "(unnamed)"}' does not have the shape of a {Text(workload, "kind") ?? "workload"}: {problem}",
            where, "Compare the object with its kind's schema (kubectl explain deployment.spec) and fix the field named.", inner);
}
