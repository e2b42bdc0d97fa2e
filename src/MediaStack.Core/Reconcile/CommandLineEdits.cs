using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using MediaStack.Core.Workloads;
using MediaStack.Core.Sidecars;

namespace MediaStack.Core.Reconcile;

// Small, exact rewrites of the words containers run: rclone flags in an args list or inside
// a `sh -c` line, and the mount points of an init-dirs mkdir. Each returns null when the
// text needs no change, so a caller touches only what is wrong.
internal static partial class CommandLineEdits
{
    // --rc-addr=:5572, --rc-addr 0.0.0.0:5572, --rc-addr=[::]:5572, any host that is not
    // loopback (10.0.0.5, $(POD_IP) ...: what MS111 flags) -> 127.0.0.1:5572.
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
        var missing = paths.Where(path => !MkdirScript.CreatesPath(script, path)).ToList();
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

    // Takes the paths out of every command of the script (mkdir, and the chown or chmod that
    // follows it); a command left without an operand goes, and so does a line left empty.
    // Null when none of the paths is there.
    public static string? RemovePaths(string script, IReadOnlyCollection<string> paths)
    {
        var words = paths.Select(path => path.TrimEnd('/')).SelectMany(path => new[] { path, path + "/" })
            .SelectMany(path => new[] { path, $"\"{path}\"", $"'{path}'", ShellText.Quote(path) }).ToHashSet(StringComparer.Ordinal);
        var lines = new List<string>();
        var changed = false;
        foreach (var line in script.Split('\n'))
        {
            var (kept, lineChanged) = RemoveFromLine(line, words);
            changed |= lineChanged;
            if (lineChanged && kept.Length == 0)
            {
                continue;
            }
            lines.Add(kept);
        }
        return changed ? string.Join("\n", lines) : null;
    }

    // One line: commands split on && and ;, each stripped of the words; a command that then
    // lacks its operands (mkdir with no directory, chown with only an owner) is dropped with
    // its separator. An emptied line comes back as "".
    private static (string Line, bool Changed) RemoveFromLine(string line, HashSet<string> words)
    {
        var parts = Regex.Split(line, @"(\s*(?:&&|;)\s*)");
        var kept = new List<string>();
        var changed = false;
        for (var i = 0; i < parts.Length; i += 2)
        {
            var tokens = ShellToken().Matches(parts[i]).Select(match => match.Value);
            var output = new List<string>();
            var removed = false;
            foreach (var token in tokens)
            {
                if (words.Contains(token))
                {
                    removed = true;
                    // The whitespace before the word goes with it.
                    if (output.Count > 0 && output[^1].Length > 0 && output[^1].Trim().Length == 0)
                    {
                        output.RemoveAt(output.Count - 1);
                    }
                    continue;
                }
                output.Add(token);
            }
            var rebuilt = string.Concat(output);
            changed |= removed;
            if (removed && !HasOperands(rebuilt))
            {
                continue;
            }
            if (kept.Count > 0)
            {
                kept.Add(parts[i - 1]);
            }
            kept.Add(rebuilt);
        }
        var result = string.Concat(kept);
        return (changed && result.Trim().Length == 0 ? "" : result, changed);
    }

    private static bool HasOperands(string command)
    {
        var words = command.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        var operands = words.Skip(1).Count(word => !word.StartsWith('-'));
        return words.FirstOrDefault() switch
        {
            null => false,
            "chown" or "chmod" or "chgrp" => operands >= 2,
            _ => operands >= 1,
        };
    }

    // Whitespace, or one shell word with its quotes (a quoted path may hold spaces).
    [GeneratedRegex(@"\s+|(?:'[^']*'|""(?:\\.|[^""\\])*""|\\.|[^\s'""\\])+|.")]
    private static partial Regex ShellToken();

    // A host that is not loopback (RcloneCommandLine.RcLoopbackOnly), and the port.
    [GeneratedRegex(@"--rc-addr(?<sep>=|\s+)(?!(?:localhost|127\.[0-9.]*|\[::1\]):)(?:[^\s:\[]*|\[[^\]]*\]):(?<port>[0-9]+)")]
    private static partial Regex PublicRcAddress();

    [GeneratedRegex(@"^(?!(?:localhost|127\.[0-9.]*|\[::1\]):)(?:[^\s:\[]*|\[[^\]]*\]):(?<port>[0-9]+)$")]
    private static partial Regex PublicRcValue();

    [GeneratedRegex(@"--rc-addr(?<sep>=|\s+)(?<host>[^\s:]*|\[[^\]]*\]):(?<port>[0-9]+)")]
    private static partial Regex AnyRcAddress();

    [GeneratedRegex(@"\bfusermount\b")]
    private static partial Regex FuseTwo();

    [GeneratedRegex(MkdirScript.Command + @"[^\n;&|]*", RegexOptions.Multiline)]
    private static partial Regex MkdirCommand();
}
