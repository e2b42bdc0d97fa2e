using System.Text;
using System.Text.Json.Nodes;
using CsCheck;
using MediaStack.Core.Errors;
using MediaStack.Core.JsonPatch;
using MediaStack.Core.Tests.Corpus;
using MediaStack.Core.Tests.Diagnosis;
using MediaStack.Core.Yaml;
using MediaStack.Core.Workloads;
using MediaStack.Core.Yaml.Editing;
using YamlDotNet.Core;
using YamlDotNet.Core.Tokens;

namespace MediaStack.Core.Tests.Yaml;

// Random mutations of the test corpus (truncation, tabs, CRLF, BOM, duplicate keys,
// anchors, odd quoting, deep nesting, huge scalars, stray characters, alias bombs): the
// reader never throws anything but its own errors, and an edit of the YAML text either
// fails with a MediaStack error or gives text that parses, changes only what it was asked
// to, and is undone by its inverse without losing a value or a comment.
//
// Deterministic, so CI never flakes: iteration i replays seed i of a fixed PCG stream, and
// a failure names its seed. MEDIASTACK_PROPERTY_SEED=<seed> replays one case;
// MEDIASTACK_PROPERTY_SEED=random explores fresh ones (MEDIASTACK_PROPERTY_ITER of them).
public class YamlPropertyTests
{
    // Returns how many cases ran.
    private static long Check<T>(Gen<T> gen, Action<T> assert, long iterations, Func<T, string> print)
    {
        var seed = Environment.GetEnvironmentVariable("MEDIASTACK_PROPERTY_SEED");
        var iter = long.TryParse(Environment.GetEnvironmentVariable("MEDIASTACK_PROPERTY_ITER"), out var asked) && asked > 0 ? asked : iterations;
        if (seed == "random")
        {
            gen.Sample(assert, iter: iter, threads: 1, print: print);
            return iter;
        }
        if (!string.IsNullOrEmpty(seed))
        {
            gen.Sample(assert, seed: seed, iter: 1, threads: 1, print: print);
            return 1;
        }
        for (ulong i = 0; i < (ulong)iter; i++)
        {
            gen.Sample(assert, seed: new PCG(12, i).ToString(), iter: 1, threads: 1, print: print);
        }
        return iter;
    }

    private static readonly string[] Corpus = LoadCorpus();

    private static string[] LoadCorpus()
    {
        var files = Directory.GetFiles(Path.GetDirectoryName(DiagnosisFixtures.PathOf("seed-prowlarr.yaml"))!, "*.yaml").Order(StringComparer.Ordinal).Select(File.ReadAllText);
        // Other people's layouts (four-space, flow style, CRLF, sidecars first ...) from the corpus.
        var repositories = Directory.GetFiles(CorpusRepository.CorpusFolder(), "*.yaml", SearchOption.AllDirectories)
            .Where(file => file.Contains($"{Path.DirectorySeparatorChar}repo{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal).Select(File.ReadAllText).ToList();
        return [.. files, .. repositories, repositories[0].Replace("\n", "\r\n", StringComparison.Ordinal)];
    }

    private enum Kind
    {
        Truncate, Tab, Crlf, Bom, DuplicateLine, Anchor, Quote, DeepNesting, HugeScalar, DeleteChar, InsertChar, AliasBomb, DocumentSeparator, Indent,
    }

    private sealed record Mutation(Kind Kind, int Position, int Size)
    {
        private const string Specials = ":-?&*!|>#{}[],%@`'\"\t\n\\ ~";

        public string Apply(string text)
        {
            var at = text.Length == 0 ? 0 : Position % text.Length;
            var lines = text.Split('\n').ToList();
            var line = Position % lines.Count;
            switch (Kind)
            {
                case Kind.Truncate:
                    return text[..at];
                case Kind.Tab:
                    lines[line] = "\t" + lines[line].TrimStart(' ');
                    return string.Join('\n', lines);
                case Kind.Crlf:
                    return text.Replace("\r\n", "\n").Replace("\n", "\r\n");
                case Kind.Bom:
                    return "\uFEFF" + text;
                case Kind.DuplicateLine:
                    lines.Insert(line, lines[line]);
                    return string.Join('\n', lines);
                case Kind.Anchor:
                    {
                        var colon = lines[line].IndexOf(": ", StringComparison.Ordinal);
                        if (colon > 0)
                        {
                            lines[line] = lines[line][..(colon + 2)] + "&a" + Size + " " + lines[line][(colon + 2)..];
                        }
                        var other = (line + Size + 1) % lines.Count;
                        var otherColon = lines[other].IndexOf(": ", StringComparison.Ordinal);
                        if (otherColon > 0)
                        {
                            lines[other] = lines[other][..(otherColon + 2)] + "*a" + Size;
                        }
                        return string.Join('\n', lines);
                    }
                case Kind.Quote:
                    return text.Insert(at, Size % 2 == 0 ? "\"" : "'");
                case Kind.DeepNesting:
                    lines.Insert(line, "deep: " + new string('[', Size) + "x" + new string(']', Size));
                    return string.Join('\n', lines);
                case Kind.HugeScalar:
                    return text + "\nhuge: " + new string('x', Size * 300) + "\n";
                case Kind.DeleteChar:
                    return text.Length == 0 ? text : text.Remove(at, 1);
                case Kind.InsertChar:
                    return text.Insert(at, Specials[Size % Specials.Length].ToString());
                case Kind.AliasBomb:
                    return text + "\n---\n" + YamlLimitTests.AliasBomb(3 + Size % 6);
                case Kind.DocumentSeparator:
                    lines.Insert(line, "---");
                    return string.Join('\n', lines);
                case Kind.Indent:
                    lines[line] = Size % 2 == 0 ? "  " + lines[line] : lines[line].StartsWith("  ", StringComparison.Ordinal) ? lines[line][2..] : lines[line];
                    return string.Join('\n', lines);
                default:
                    return text;
            }
        }
    }

    private static readonly Gen<Mutation> AMutation =
        Gen.Select(Gen.Enum<Kind>(), Gen.Int[0, 1_000_000], Gen.Int[1, 150], (kind, position, size) => new Mutation(kind, position, size));

    // A corpus file with one to four mutations applied in turn.
    private static readonly Gen<(int File, Mutation[] Mutations)> AMutatedFile =
        Gen.Select(Gen.Int[0, Corpus.Length - 1], AMutation.Array[1, 4]);

    private static string Text((int File, Mutation[] Mutations) input) =>
        input.Mutations.Aggregate(Corpus[input.File], (text, mutation) => mutation.Apply(text));

    private static string Print((int File, Mutation[] Mutations) input) =>
        $"corpus[{input.File}] + {string.Join(", ", input.Mutations.Select(m => m.ToString()))}";

    [Fact]
    public void The_reader_gives_documents_or_its_own_errors_for_any_mutation()
    {
        Check(AMutatedFile, input =>
        {
            var text = Text(input);
            var documents = YamlReader.ReadStream(text, "mutated.yaml", YamlReadLimits.Default);

            for (var i = 0; i < documents.Count; i++)
            {
                var document = documents[i];
                Assert.Equal(i, document.Index);
                Assert.True(document.Root is null != (document.Error is null), "a document has a root or an error");
                if (document.Error is not null)
                {
                    var error = Assert.IsAssignableFrom<YamlReadException>(document.Error);
                    Assert.Equal(i, error.DocumentIndex ?? i);
                    Assert.False(string.IsNullOrEmpty(error.RecommendedAction));
                    continue;
                }
                // Every value read has a position in the text.
                foreach (var pointer in Pointers(document.Root!, ""))
                {
                    Assert.NotNull(document.PositionOf(pointer));
                }
            }
            try
            {
                YamlReader.ReadDocuments(text, "mutated.yaml");
            }
            catch (MediaStackException)
            {
            }
        }, 400, Print);
    }

    [Fact]
    public void An_edit_gives_text_that_parses_and_its_inverse_gives_back_every_value_and_comment()
    {
        var undone = 0;
        var ran = Check(Gen.Select(AMutatedFile, Gen.Int[0, 1000], Gen.Int[0, 5]), value =>
        {
            var (input, choice, valueKind) = value;
            var text = Text(input);
            var documents = YamlReader.ReadStream(text, null, YamlReadLimits.Default);
            if (documents.Any(document => document.Error is not null) || documents.Count == 0)
            {
                return;
            }
            var index = choice % documents.Count;
            var (add, remove) = EditAt(documents[index].Root!, choice, valueKind);

            string added;
            try
            {
                added = YamlTextEditor.Apply(text, index, [add]);
            }
            catch (MediaStackException exception)
            {
                Assert.True(ErrorIds.YamlEditFailed == exception.ErrorId, exception.ToString());
                return;
            }
            var expected = documents.Select(document => (JsonNode)document.Root!.DeepClone()).ToList();
            JsonPointer.Apply(expected[index], add);
            AssertDocuments(expected, added);

            string removed;
            try
            {
                removed = YamlTextEditor.Apply(added, index, [remove]);
            }
            catch (MediaStackException exception)
            {
                Assert.Equal(ErrorIds.YamlEditFailed, exception.ErrorId);
                return;
            }
            AssertDocuments(documents.Select(document => (JsonNode)document.Root!).ToList(), removed);
            Assert.Equal(Comments(text), Comments(removed));
            undone++;
        }, 150, value => $"{Print(value.Item1)}; choice {value.Item2}, value {value.Item3}");
        // Not vacuous: a fair share of the mutated texts still parse, are edited and undone.
        Assert.True(undone * 5 >= ran, $"only {undone} of {ran} cases were edited and undone");
    }

    [Fact]
    public void Editing_a_mutated_manifest_file_never_writes_a_file_that_does_not_parse()
    {
        var folder = Directory.CreateTempSubdirectory("mediastack-property-").FullName;
        try
        {
            Check(AMutatedFile, input =>
            {
                var file = Path.Combine(folder, "deployment.yaml");
                var text = Text(input);
                File.WriteAllText(file, text);
                var bytes = File.ReadAllBytes(file);
                // As Add-RcloneSidecar -Path finds its targets: a bad document is an error, the others are edited.
                var readable = YamlReader.ReadStream(YamlReader.ReadText(file, YamlReadLimits.Default), file, YamlReadLimits.Default).Select(document => document.Error is null).ToList();
                var found = ManifestScan.Workloads(ManifestScan.Documents(file), CorpusRepository.Config)
                    .Where(entry => entry.Error is null).Select(entry => entry.Document).ToList();
                if (found.Count == 0)
                {
                    Assert.Equal(bytes, File.ReadAllBytes(file));
                    return;
                }
                foreach (var target in found)
                {
                    try
                    {
                        ManifestFiles.Write(ManifestFiles.Edit(file, target.Index, target.Name!, [PatchOperation.Add("/metadata/labels", new JsonObject { ["edited"] = "yes" })]));
                    }
                    catch (MediaStackException)
                    {
                        continue;
                    }
                    // The edited document still reads, and no other document reads worse than before.
                    var after = YamlReader.ReadStream(YamlReader.ReadText(file, YamlReadLimits.Default), file, YamlReadLimits.Default).Select(document => document.Error is null).ToList();
                    Assert.Equal(readable, after);
                }
            }, 80, Print);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    // An add (and the remove that undoes it) at a mapping or sequence of the document.
    private static (PatchOperation Add, PatchOperation Remove) EditAt(JsonObject root, int choice, int valueKind)
    {
        var containers = Containers(root, "").ToList();
        var (pointer, node) = containers[choice % containers.Count];
        JsonNode value = valueKind switch
        {
            0 => JsonValue.Create("plain")!,
            1 => JsonValue.Create("needs: quoting # not a comment")!,
            2 => JsonValue.Create(42)!,
            3 => new JsonObject { ["name"] = "rclone-extra", ["args"] = new JsonArray("mount", "x: y", "--flag=1") },
            4 => new JsonArray("a", "b"),
            _ => JsonValue.Create("")!,
        };
        if (node is JsonObject map)
        {
            var key = map.ContainsKey("propcheck") ? "propcheck2" : "propcheck";
            return (PatchOperation.Add($"{pointer}/{key}", value), PatchOperation.Remove($"{pointer}/{key}"));
        }
        var count = ((JsonArray)node).Count;
        return (PatchOperation.Add($"{pointer}/-", value), PatchOperation.Remove($"{pointer}/{count}"));
    }

    private static IEnumerable<(string Pointer, JsonNode Node)> Containers(JsonNode node, string pointer)
    {
        if (node is JsonObject or JsonArray)
        {
            yield return (pointer, node);
        }
        foreach (var (child, childPointer) in Children(node, pointer))
        {
            foreach (var found in Containers(child, childPointer))
            {
                yield return found;
            }
        }
    }

    private static IEnumerable<string> Pointers(JsonNode node, string pointer)
    {
        yield return pointer;
        foreach (var (child, childPointer) in Children(node, pointer))
        {
            foreach (var found in Pointers(child, childPointer))
            {
                yield return found;
            }
        }
    }

    private static IEnumerable<(JsonNode Child, string Pointer)> Children(JsonNode node, string pointer)
    {
        switch (node)
        {
            case JsonObject map:
                foreach (var (key, value) in map)
                {
                    var childPointer = $"{pointer}/{key.Replace("~", "~0").Replace("/", "~1")}";
                    if (value is null)
                    {
                        yield return (JsonValue.Create(0)!, childPointer);
                    }
                    else
                    {
                        yield return (value, childPointer);
                    }
                }
                break;
            case JsonArray list:
                for (var i = 0; i < list.Count; i++)
                {
                    yield return (list[i] ?? JsonValue.Create(0)!, $"{pointer}/{i}");
                }
                break;
        }
    }

    private static void AssertDocuments(IReadOnlyList<JsonNode> expected, string text)
    {
        var actual = YamlReader.ReadStream(text, null, YamlReadLimits.Default);
        Assert.All(actual, document => Assert.Null(document.Error));
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.True(JsonNode.DeepEquals(expected[i], actual[i].Root), $"document {i + 1} differs");
        }
    }

    // Every comment of the text, in order.
    private static List<string> Comments(string text)
    {
        var comments = new List<string>();
        var scanner = new Scanner(new StringReader(text), skipComments: false);
        while (scanner.MoveNext())
        {
            if (scanner.Current is Comment comment)
            {
                comments.Add(comment.Value);
            }
        }
        return comments;
    }
}
