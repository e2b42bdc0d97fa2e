using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace MediaStack.Core.Workloads;

// Reading what an init container's script creates: the paths of its mkdir commands, run
// through `sh -c SCRIPT` or as plain words.
public static class MkdirScript
{
    // mkdir where a command starts (a line, or after ; && || | ( then do else exec), maybe
    // as /bin/mkdir: never the word in an echo text (Multiline).
    internal const string Command = @"(?<=(?:^|[;&|(]|\b(?:then|do|else|exec))[ \t]*(?:[^\s;&|]*/)?)mkdir\b";

    public static bool CreatesPath(string script, string path) =>
        Regex.IsMatch(script, $@"{Command}[^\n;&|]*?[ \t]['""]?{Regex.Escape(path.TrimEnd('/'))}/?['""]?(?=[ \t;&|\n]|$)", RegexOptions.Multiline);

    // Does the script touch nothing but these folders (and the media root it may list)? Then
    // it exists for them alone. Every absolute path word of the script counts.
    public static bool OnlyTouches(string script, IEnumerable<string> folders, string? root)
    {
        var allowed = folders.Append(root ?? "").Select(path => path.TrimEnd('/')).Where(path => path.Length > 0).ToHashSet(StringComparer.Ordinal);
        var paths = Regex.Matches(script, @"(?<=^|[\s'""=])/[^\s'"";&|]*").Select(match => match.Value.TrimEnd('/')).ToList();
        return paths.Count > 0 && paths.All(allowed.Contains);
    }

    private static readonly string[] Shells = ["sh", "/bin/sh", "bash", "/bin/bash", "ash", "/bin/ash", "busybox"];

    // What a container runs, as shell text: the script of `sh -c SCRIPT`, else its words.
    public static string ScriptOf(JsonObject container)
    {
        var words = WordsOf(container);
        var c = words.IndexOf("-c");
        return c > 0 && Shells.Contains(words[0]) && c + 1 < words.Count
            ? string.Join("\n", words.Skip(c + 1))
            : string.Join(" ", words);
    }

    // `mkdir [-p] PATH ...` run without a shell: each path is a word of its own.
    public static bool IsExecMkdir(JsonObject container) =>
        WordsOf(container) is [var first, ..] && (first == "mkdir" || first.EndsWith("/mkdir", StringComparison.Ordinal));

    private static List<string> WordsOf(JsonObject container) =>
        (container["command"] as JsonArray ?? []).Concat(container["args"] as JsonArray ?? [])
            .Select(WorkloadContainer.Text).OfType<string>().ToList();

}
