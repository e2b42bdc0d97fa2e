using System.Text.RegularExpressions;

namespace MediaStack.Core.Manifests;

// What ArgoCD accepts as spec.source.repoURL: https/http/ssh/git/file URLs or scp-like
// git@host:path.
public static partial class GitRepoUrl
{
    public static bool IsValid(string? url)
    {
        if (string.IsNullOrWhiteSpace(url) || url.Any(char.IsWhiteSpace))
        {
            return false;
        }
        if (Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            return uri.Scheme is "https" or "http" or "ssh" or "git" or "file"
                && (uri.Scheme == "file" || !string.IsNullOrEmpty(uri.Host));
        }
        return ScpLike().IsMatch(url);
    }

    [GeneratedRegex(@"^[A-Za-z0-9._-]+@[A-Za-z0-9.-]+:[A-Za-z0-9._~/-]+$")]
    private static partial Regex ScpLike();
}
