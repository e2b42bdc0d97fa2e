using System.Text.RegularExpressions;

namespace MediaStack.Core.Sidecars;

// Text for /bin/sh: words put into command lines, left bare when they are plainly safe (so
// the output reads like the seed) and single-quoted otherwise; and whole scripts, whose
// line ends must be LF whatever the checkout did to the source file (a CR makes sh read
// `do\r` and fail with "word unexpected").
public static partial class ShellText
{
    public static string Quote(string word) =>
        word.Length > 0 && Safe().IsMatch(word) ? word : "'" + word.Replace("'", "'\\''") + "'";

    public static string Script(string text) => text.ReplaceLineEndings("\n");

    [GeneratedRegex(@"^[A-Za-z0-9_./:=@%+-]+$")]
    private static partial Regex Safe();
}
