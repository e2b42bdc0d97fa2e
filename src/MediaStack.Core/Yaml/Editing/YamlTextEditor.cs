using System.Text.Json.Nodes;
using MediaStack.Core.Errors;
using MediaStack.Core.JsonPatch;

namespace MediaStack.Core.Yaml.Editing;

// Applies RFC 6902 operations to YAML text in place: only the edited nodes' characters
// change; comments, blank lines, key order and quoting elsewhere stay byte for byte.
// Only the edited document's lines are worked on (a 50 MB file of many documents is read
// once, not once per operation). Each operation re-parses that document, so indexes in
// later operations see earlier ones, exactly as in a JSON patch. The result is read back
// and compared with the same patch applied to the parsed document, so a wrong edit is an
// error, never a wrong file.
public static class YamlTextEditor
{
    // expectedName: the document must still be the workload of that name (the file may have
    // changed since it was read). An edit that cannot be made (or checked) is YamlEditFailed,
    // never a wrong file.
    public static string Apply(string text, int documentIndex, IEnumerable<PatchOperation> operations, string? file = null, string? expectedName = null)
    {
        try
        {
            return ApplyAll(text, documentIndex, operations, file, expectedName);
        }
        catch (Exception exception) when (exception is not MediaStackException and not OutOfMemoryException)
        {
            throw new MediaStackException(
                ErrorIds.YamlEditFailed, ErrorCategory.InvalidOperation,
                $"{file ?? "The YAML text"} could not be edited in place: {exception.Message} Nothing was written.",
                file, "Make the change by hand (-WhatIf on the cluster shows the patch), or report the file's layout as a bug.", exception);
        }
    }

    private static string ApplyAll(string text, int documentIndex, IEnumerable<PatchOperation> operations, string? file, string? expectedName)
    {
        var documents = YamlSourceTree.Parse(text, file).Documents.Where(document => !document.IsEmptyDocument).ToList();
        if (documentIndex < 0 || documentIndex >= documents.Count)
        {
            throw expectedName is null ? new InvalidOperationException($"There is no document {documentIndex + 1}.") : Moved(file, expectedName);
        }
        var root = documents[documentIndex];
        var start = TextSpans.LineStart(text, root.Start);
        var end = TextSpans.NextLineStart(text, root.ContentEnd);
        var slice = text[start..end];
        // The bounded reader checks the document before anything is edited.
        var expected = YamlReader.ReadDocuments(slice, file).Single();
        if (expectedName is not null && expected["metadata"]?["name"]?.ToString() != expectedName)
        {
            throw Moved(file, expectedName);
        }
        try
        {
            foreach (var operation in operations)
            {
                JsonPointer.Apply(expected, operation);
                if (operation.Op != PatchOp.Test)
                {
                    slice = ApplyOne(slice, 0, operation, file);
                }
            }
            var actual = YamlReader.ReadDocuments(slice, file).Single();
            if (!JsonNode.DeepEquals(actual, expected))
            {
                throw new InvalidOperationException("The edited text does not hold the expected document.");
            }
        }
        catch (MediaStackException exception) when (exception.ErrorId != ErrorIds.YamlEditFailed)
        {
            // The text read before the edit: what no longer reads is the edit's fault (an
            // anchor inside a rewritten flow collection, for one), not the file's.
            throw new InvalidOperationException($"The edited text does not read back ({exception.Message}).", exception);
        }
        return string.Concat(text.AsSpan(0, start), slice, text.AsSpan(end));
    }

    private static MediaStackException Moved(string? file, string? name) =>
        new(ErrorIds.DeploymentNotFound, ErrorCategory.ObjectNotFound,
            $"'{file}' changed while it was being edited; '{name}' is no longer where it was.", file, "Run the command again.");

    private static MediaStackException NotEditable(string? file, PatchOperation operation, string why) =>
        new(ErrorIds.YamlEditFailed, ErrorCategory.InvalidOperation,
            $"Cannot apply '{operation.Op.ToString().ToLowerInvariant()} {operation.Path}' to {file ?? "the YAML text"}: {why}; nothing was written.", file,
            "Apply the change by hand, and report the file's shape as a MediaStack bug.");

    // New keys go last, except where manifests conventionally order them: the pod's init
    // containers read best above its containers.
    private static readonly Dictionary<string, string> KeyGoesBefore = new(StringComparer.Ordinal)
    {
        ["initContainers"] = "containers",
    };

    private sealed record Located(SourceNode Node, SourceNode? Parent, SourceNode? Key, Located? Owner, string Pointer);

    private static string ApplyOne(string text, int documentIndex, PatchOperation operation, string? file)
    {
        var tree = YamlSourceTree.Parse(text, file);
        var root = tree.Documents.Where(document => !document.IsEmptyDocument).ElementAt(documentIndex);
        var edit = new Edit(text, YamlTextStyle.Detect(text, root), documentIndex, file);
        var tokens = JsonPointer.Split(operation.Path);
        var parent = Locate(root, tokens.Take(tokens.Count - 1).ToList())
            ?? throw NotEditable(file, operation, "its parent is not in the YAML text");
        var last = tokens[^1];
        return parent.Node.Kind switch
        {
            SourceKind.Mapping => edit.OnMapping(parent, last, operation),
            SourceKind.Sequence => edit.OnSequence(parent, last, operation),
            _ => throw NotEditable(file, operation, "its parent is not a mapping or a sequence"),
        };
    }

    private static Located? Locate(SourceNode root, IReadOnlyList<string> tokens)
    {
        var current = new Located(root, null, null, null, "");
        foreach (var token in tokens)
        {
            var node = current.Node;
            var pointer = current.Pointer + "/" + JsonPointer.Escape(token);
            if (node.Kind == SourceKind.Mapping)
            {
                var pair = node.Pairs.FirstOrDefault(candidate => candidate.Key.Value == token);
                if (pair.Value is null)
                {
                    return null;
                }
                current = new Located(pair.Value, node, pair.Key, current, pointer);
            }
            else if (node.Kind == SourceKind.Sequence && int.TryParse(token, out var index) && index >= 0 && index < node.Items.Count)
            {
                current = new Located(node.Items[index], node, null, current, pointer);
            }
            else
            {
                return null;
            }
        }
        return current;
    }

    private sealed class Edit(string text, YamlTextStyle style, int documentIndex, string? file)
    {
        private readonly YamlBlockRenderer _renderer = new(style);

        public string OnMapping(Located mapping, string key, PatchOperation operation)
        {
            var map = mapping.Node;
            var index = map.Pairs.FindIndex(pair => pair.Key.Value == key);
            if (operation.Op == PatchOp.Remove)
            {
                if (index < 0)
                {
                    throw NotEditable(file, operation, "there is nothing to remove");
                }
                var (keyNode, value) = map.Pairs[index];
                if (map.Flow || map.Pairs.Count == 1 || !TextSpans.OnlySpacesBefore(text, keyNode.Start))
                {
                    return RewriteParent(mapping, operation);
                }
                return RemoveLines(TextSpans.StartOfLeadingComments(text, TextSpans.LineStart(text, keyNode.Start)), TextSpans.NextLineStart(text, Math.Max(keyNode.ContentEnd, value.ContentEnd)));
            }
            if (index >= 0)
            {
                var (keyNode, value) = map.Pairs[index];
                return Replace(new Located(value, map, keyNode, mapping, operation.Path), operation.Value!);
            }
            if (map.Flow || map.Pairs.Count == 0)
            {
                return RewriteParent(mapping, operation);
            }
            var column = map.Pairs[0].Key.Column;
            var renderer = new YamlBlockRenderer(style.Near(text, map));
            var line = Pad(column) + YamlBlockRenderer.Scalar(JsonValue.Create(key), 0) + ":" + renderer.AfterKey(operation.Value!, column);
            var before = KeyGoesBefore.TryGetValue(key, out var sibling) ? map.Pairs.FindIndex(pair => pair.Key.Value == sibling) : -1;
            var at = before >= 0 && TextSpans.OnlySpacesBefore(text, map.Pairs[before].Key.Start)
                ? TextSpans.StartOfLeadingComments(text, TextSpans.LineStart(text, map.Pairs[before].Key.Start))
                : TextSpans.NextLineStart(text, map.ContentEnd);
            return Insert(at, line);
        }

        public string OnSequence(Located sequence, string token, PatchOperation operation)
        {
            var list = sequence.Node;
            var index = token == "-" ? list.Items.Count : int.Parse(token, System.Globalization.CultureInfo.InvariantCulture);
            switch (operation.Op)
            {
                case PatchOp.Replace:
                    return Replace(new Located(list.Items[index], list, null, sequence, operation.Path), operation.Value!);
                case PatchOp.Remove:
                    if (list.Flow || list.Items.Count == 1)
                    {
                        return RewriteParent(sequence, operation);
                    }
                    var item = list.Items[index];
                    // The comment lines right above an item belong to it and go with it.
                    return RemoveLines(TextSpans.StartOfLeadingComments(text, TextSpans.LineStart(text, item.Start)), TextSpans.NextLineStart(text, item.ContentEnd));
                default:
                    if (list.Flow || list.Items.Count == 0)
                    {
                        return RewriteParent(sequence, operation);
                    }
                    var at = index < list.Items.Count
                        ? TextSpans.StartOfLeadingComments(text, TextSpans.LineStart(text, list.Items[index].Start))
                        : TextSpans.NextLineStart(text, list.ContentEnd);
                    return Insert(at, Pad(list.Column) + new YamlBlockRenderer(style.Near(text, list)).Item(operation.Value!, list.Column));
            }
        }

        // Swaps one node's text for the new value's; a scalar keeps its quoting style.
        private string Replace(Located target, JsonNode value)
        {
            var node = target.Node;
            var keyColumn = target.Key?.Column ?? node.Column;
            var insideFlow = target.Parent?.Flow == true;
            if (node.Kind == SourceKind.Scalar && !node.IsEmptyScalar && value is JsonValue)
            {
                var column = target.Key is null ? node.Column : keyColumn + style.MappingIndent;
                var scalar = insideFlow && node.Style == YamlDotNet.Core.ScalarStyle.Plain
                    ? YamlBlockRenderer.FlowScalar(value)
                    : YamlBlockRenderer.ScalarLike(value, node.Style, column);
                return Splice(node.Start, node.ContentEnd, scalar);
            }
            // Inside a flow collection only flow fits; a non-empty flow collection stays one.
            var hasChildren = node.Pairs.Count > 0 || node.Items.Count > 0;
            if (insideFlow || (node.Flow && hasChildren && value is JsonObject or JsonArray))
            {
                return Splice(node.Start, node.ContentEnd, YamlBlockRenderer.Flow(value));
            }
            if (target.Key is null)
            {
                return Splice(node.Start, node.ContentEnd, _renderer.Inline(value, node.Column));
            }
            var blockBelowKey = !node.Flow && node.Kind != SourceKind.Scalar
                && TextSpans.LineStart(text, node.Start) > TextSpans.LineStart(text, target.Key.Start);
            if (blockBelowKey && SameNonEmptyKind(node, value))
            {
                // Keep the key line (and its comment); rewrite the block at its own column.
                var lineStart = TextSpans.LineStart(text, node.Start);
                return Splice(lineStart, node.ContentEnd, Pad(node.Column) + _renderer.Inline(value, node.Column));
            }
            var colon = text.IndexOf(':', target.Key.ContentEnd);
            return Splice(target.Key.ContentEnd, Math.Max(node.ContentEnd, colon + 1), ":" + _renderer.AfterKey(value, keyColumn));
        }

        // Edits that cannot be made inside a node (flow style, last entry, inline first key)
        // rewrite the smallest enclosing node instead.
        private string RewriteParent(Located parent, PatchOperation operation)
        {
            if (parent.Owner is null)
            {
                throw NotEditable(file, operation, "it cannot be edited in place");
            }
            var document = YamlReader.ReadDocuments(text, file)[documentIndex].DeepClone();
            JsonPointer.Apply(document, operation);
            var value = JsonPointer.Find(document, parent.Pointer)!;
            return Replace(parent, value);
        }

        private static bool SameNonEmptyKind(SourceNode node, JsonNode value) =>
            (node.Kind == SourceKind.Mapping && value is JsonObject map && map.Any(entry => entry.Value is not null))
            || (node.Kind == SourceKind.Sequence && value is JsonArray list && list.Any(item => item is not null));

        // Whole lines; when they end the text without a final line break, the break before
        // them goes too, so removing what was appended gives the original bytes back. A blank
        // line that would then follow a block's opening line or another blank line goes too,
        // so no gap is left where the removed lines were.
        private string RemoveLines(int start, int end)
        {
            if (end < text.Length && TextSpans.IsBlankLine(text, end))
            {
                var previous = start == 0 ? "" : text[TextSpans.LineStart(text, start - 1)..start].TrimEnd();
                if (start == 0 || previous.Length == 0 || previous.EndsWith(':'))
                {
                    end = TextSpans.NextLineStart(text, end);
                }
            }
            if (end == text.Length && end > 0 && text[^1] != '\n' && start > 0)
            {
                start--;
                if (start > 0 && text[start - 1] == '\r')
                {
                    start--;
                }
            }
            return Splice(start, end, "");
        }

        private string Insert(int at, string line)
        {
            // A text without a final line break keeps lacking one.
            return at == text.Length && at > 0 && text[^1] != '\n'
                ? Splice(at, at, "\n" + line)
                : Splice(at, at, line + "\n");
        }

        private string Splice(int start, int end, string replacement) =>
            string.Concat(text.AsSpan(0, start), style.NewLine == "\n" ? replacement : replacement.Replace("\n", style.NewLine), text.AsSpan(end));

        private static string Pad(int count) => new(' ', count);
    }
}
