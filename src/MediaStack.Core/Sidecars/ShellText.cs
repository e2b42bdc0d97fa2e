using System.Text.RegularExpressions;

namespace MediaStack.Core.Sidecars;

// Words put into /bin/sh command lines: left bare when they are plainly safe (so the
// output reads like the seed), single-quoted otherwise.
public static partial class ShellText
{
    public static string Quote(string word) =>
        word.Length > 0 && Safe().IsMatch(word) ? word : "'" + word.Replace("'", "'\\''") + "'";

    [GeneratedRegex(@"^[A-Za-z0-9_./:=@%+-]+$")]
    private static partial Regex Safe();
}
