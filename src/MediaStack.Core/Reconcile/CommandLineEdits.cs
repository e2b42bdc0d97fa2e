using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using MediaStack.Core.Sidecars;

namespace MediaStack.Core.Reconcile;

// Small, exact rewrites of the words containers run: rclone flags in an args list or inside
// a `sh -c` line, and the mount points of an init-dirs mkdir. Each returns null when the
// text needs no change, so a caller touches only what is wrong.
internal static partial class CommandLineEdits
{
    // --rc-addr=:5572, --rc-addr 0.0.0.0:5572, --rc-addr=[::]:5572 -> 127.0.0.1:5572.
    public static string? RcOnLoopback(string text)
    {
        var fixedText = PublicRcAddress().Replace(text, "--rc-addr${sep}127.0.0.1:${port}");
        return fixedText == text ? null : fixedText;
    }

    // The value of `--rc-addr` given as its own list item.
    public static string? RcValueOnLoopback(string previous, string value) =>
        previous == "--rc-addr" && PublicRcValue().Match(value) is { Success: true } match ? $"127.0.0.1:{match.Groups["port"].Value}" : null;

    // fusermount (FUSE 2, absent from the rclone image) -> fusermount3.
    public static string? Fusermount3(string text)
    {
        var fixedText = FuseTwo().Replace(text, "fusermount3");
        return fixedText == text ? null : fixedText;
    }

    // The port of --rc-addr (flag=value form, or the value item after the flag).
    public static string? RcPort(string text, int port)
    {
        var fixedText = AnyRcAddress().Replace(text, match => $"--rc-addr{match.Groups["sep"].Value}{match.Groups["host"].Value}:{port}");
        return fixedText == text ? null : fixedText;
    }

    public static string? RcValuePort(string previous, string value, int port)
    {
        if (previous != "--rc-addr")
        {
            return null;
        }
        var colon = value.LastIndexOf(':');
        var fixedValue = (colon >= 0 ? value[..colon] : value) + ":" + port;
        return fixedValue == value ? null : fixedValue;
    }

    // The first `mkdir` command in a script, with where its arguments end.
    private static (int Start, int End)? Mkdir(string script)
    {
        var match = MkdirCommand().Match(script);
        return match.Success ? (match.Index, match.Index + match.Length) : null;
    }

    // Adds paths to the first mkdir of the script (after its last argument); null when the
    // script has no mkdir or already creates them all.
    public static string? AddMkdirPaths(string script, IEnumerable<string> paths)
    {
        if (Mkdir(script) is not { } command)
        {
            return null;
        }
        var missing = paths.Where(path => !CreatesPath(script, path)).ToList();
        if (missing.Count == 0)
        {
            return null;
        }
        var end = command.End;
        while (end > command.Start && script[end - 1] == ' ')
        {
            end--;
        }
        return script[..end] + string.Concat(missing.Select(path => " " + ShellText.Quote(path))) + script[end..];
    }

    // Takes paths out of every mkdir of the script; null when none of them is there.
    public static string? RemoveMkdirPaths(string script, IEnumerable<string> paths)
    {
        var result = script;
        foreach (var path in paths)
        {
            foreach (var word in new[] { ShellText.Quote(path), path, $"\"{path}\"", $"'{path}'" }.Distinct())
            {
                result = Regex.Replace(result, $@"(?<=\bmkdir\b[^\n;&|]*?) {Regex.Escape(word)}(?=[ \t;&|\n]|$)", "", RegexOptions.Multiline);
            }
        }
        return result == script ? null : result;
    }

    public static bool CreatesPath(string script, string path) =>
        Regex.IsMatch(script, $@"\bmkdir\b[^\n;&|]*?[ \t]['""]?{Regex.Escape(path.TrimEnd('/'))}/?['""]?(?=[ \t;&|\n]|$)", RegexOptions.Multiline);

    // After its mount points went: does the script still create anything? Lines that only
    // echo, list or do nothing do not count; a mkdir with no path left does nothing.
    public static bool DoesNothing(string script)
    {
        foreach (var raw in script.Split(['\n', ';', '&', '|'], StringSplitOptions.RemoveEmptyEntries))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }
            var words = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            switch (words[0])
            {
                case "echo" or "ls" or "true" or ":" or "set" or "exit":
                    continue;
                case "mkdir" when words.Skip(1).All(word => word.StartsWith('-')):
                    continue;
                default:
                    return false;
            }
        }
        return true;
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
            .Select(Workloads.WorkloadContainer.Text).OfType<string>().ToList();

    [GeneratedRegex(@"--rc-addr(?<sep>=|\s+)(?:0\.0\.0\.0|\[::\])?:(?<port>[0-9]+)")]
    private static partial Regex PublicRcAddress();

    [GeneratedRegex(@"^(?:0\.0\.0\.0|\[::\])?:(?<port>[0-9]+)$")]
    private static partial Regex PublicRcValue();

    [GeneratedRegex(@"--rc-addr(?<sep>=|\s+)(?<host>[^\s:]*|\[[^\]]*\]):(?<port>[0-9]+)")]
    private static partial Regex AnyRcAddress();

    [GeneratedRegex(@"\bfusermount\b")]
    private static partial Regex FuseTwo();

    [GeneratedRegex(@"\bmkdir\b[^\n;&|]*")]
    private static partial Regex MkdirCommand();
}
