using System.Text.RegularExpressions;

namespace MediaStack.Core.Checks;

// What leaves the machine or lands on disk (reports, state, alert bodies) goes through here:
// user information and query strings of URLs (download links carry tokens) and anything
// that looks like a credential assignment are masked.
public static partial class SecretText
{
    public const string Mask = "***";

    public static string Redact(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text ?? "";
        }
        var redacted = UserInfo().Replace(text, "$1" + Mask + "@");
        redacted = Query().Replace(redacted, "$1?" + Mask);
        redacted = Bearer().Replace(redacted, "$1 " + Mask);
        return Credential().Replace(redacted, "$1$2" + Mask);
    }

    // A URL that may itself be a secret (a Discord or Slack webhook): scheme, host and port
    // only, e.g. "https://discord.com/***".
    public static string MaskUri(Uri uri) =>
        uri.IsAbsoluteUri ? $"{uri.Scheme}://{uri.Authority}/{Mask}" : Mask;

    [GeneratedRegex(@"(?i)\b([a-z][a-z0-9+.-]*://)[^/\s@]+@")]
    private static partial Regex UserInfo();

    [GeneratedRegex(@"(?i)\b([a-z][a-z0-9+.-]*://[^\s?#]+)\?[^\s#""']*")]
    private static partial Regex Query();

    [GeneratedRegex(@"(?i)\b(bearer)\s+(?!\*\*\*)[A-Za-z0-9._~+/=-]{8,}")]
    private static partial Regex Bearer();

    // key=value and key: value forms only, so prose such as "its secret rclone-config" stays.
    [GeneratedRegex(@"(?i)\b(token|password|passwd|pass|secret|api[_-]?key|authorization)(\s*[:=]\s*)(?!\*\*\*|bearer\b)[^\s,;""']+")]
    private static partial Regex Credential();
}
