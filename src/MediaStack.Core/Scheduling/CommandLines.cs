using System.Text;
using MediaStack.Core.Errors;
using MediaStack.Core.Sidecars;

namespace MediaStack.Core.Scheduling;

// One argv, written the way each scheduler reads a command line. Every word is quoted for
// its reader; a word no reader can carry (a newline, a NUL) is refused, never mangled.
public static partial class CommandLines
{
    // systemd's ExecStart=: plain words bare, others double-quoted with C escapes. % starts a
    // specifier everywhere, so it is doubled; $ starts a variable only in the arguments (the
    // program path is taken as it is), so it is doubled there.
    public static string Systemd(IReadOnlyList<string> argv) => string.Join(' ', argv.Select((word, index) =>
    {
        Refuse(word);
        if (PlainWord().IsMatch(word))
        {
            return word;
        }
        var quoted = word.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("%", "%%");
        return $"\"{(index == 0 ? quoted : quoted.Replace("$", "$$"))}\"";
    }));

    [System.Text.RegularExpressions.GeneratedRegex("^[A-Za-z0-9_./:=@+-]+$")]
    private static partial System.Text.RegularExpressions.Regex PlainWord();

    // A crontab command: /bin/sh words, then every % escaped, since cron turns a bare % into a
    // newline (and drops the backslash before handing the line to sh).
    public static string Cron(IReadOnlyList<string> argv) => string.Join(' ', argv.Select(word =>
    {
        Refuse(word);
        return ShellText.Quote(word);
    })).Replace("%", "\\%");

    // /bin/sh words (what a cron line becomes after cron's % handling).
    public static string Shell(IReadOnlyList<string> argv) => string.Join(' ', argv.Select(word =>
    {
        Refuse(word);
        return ShellText.Quote(word);
    }));

    // One Windows argument the way CommandLineToArgvW (and .NET) split them: quoted when it
    // holds a space, tab or quote; backslashes doubled before a quote and at the end.
    public static string Windows(string word)
    {
        Refuse(word);
        if (word.Length > 0 && word.IndexOfAny([' ', '\t', '"']) < 0)
        {
            return word;
        }
        var text = new StringBuilder("\"");
        var slashes = 0;
        foreach (var c in word)
        {
            if (c == '\\')
            {
                slashes++;
                continue;
            }
            text.Append('\\', c == '"' ? slashes * 2 + 1 : slashes).Append(c);
            slashes = 0;
        }
        return text.Append('\\', slashes * 2).Append('"').ToString();
    }

    public static string Windows(IReadOnlyList<string> argv) => string.Join(' ', argv.Select(Windows));

    // A PowerShell single-quoted literal. PowerShell also ends such a string at the typographic
    // single quotes, so those are doubled too.
    public static string PowerShell(string value)
    {
        var text = new StringBuilder("'");
        foreach (var c in value)
        {
            text.Append(c);
            if (c is '\'' or '\u2018' or '\u2019' or '\u201A' or '\u201B')
            {
                text.Append(c);
            }
        }
        return text.Append('\'').ToString();
    }

    private static void Refuse(string word)
    {
        if (word.IndexOfAny(['\n', '\r', '\0']) >= 0)
        {
            throw new MediaStackException(ErrorIds.ScheduleFailed, ErrorCategory.InvalidArgument,
                $"'{word.Replace("\n", "\\n").Replace("\r", "\\r")}' holds a line break or NUL, which no scheduler can carry in a command line.", word,
                "Use a path without line breaks.");
        }
    }
}
