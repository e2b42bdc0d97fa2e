using System.Text.RegularExpressions;
using MediaStack.Core.Errors;

namespace MediaStack.Core.Manifests;

// Container image references in the docker/distribution grammar:
// [registry[:port]/]path[:tag][@algorithm:hex], with a lowercase path.
public static partial class ImageReference
{
    private const int MaxNameLength = 255;

    public static bool IsValid(string? reference)
    {
        if (string.IsNullOrEmpty(reference))
        {
            return false;
        }
        var name = reference;
        var at = name.IndexOf('@');
        if (at >= 0)
        {
            if (!IsDigest(name[(at + 1)..]))
            {
                return false;
            }
            name = name[..at];
        }
        var colon = name.LastIndexOf(':');
        if (colon > name.LastIndexOf('/'))
        {
            if (!TagText().IsMatch(name[(colon + 1)..]))
            {
                return false;
            }
            name = name[..colon];
        }
        if (name.Length is 0 or > MaxNameLength)
        {
            return false;
        }
        var components = name.Split('/');
        var path = components.AsEnumerable();
        if (components.Length > 1 && LooksLikeRegistry(components[0]))
        {
            if (!Registry().IsMatch(components[0]))
            {
                return false;
            }
            path = components.Skip(1);
        }
        return path.All(component => PathComponent().IsMatch(component));
    }

    public static void Validate(string? reference, string field = "Image")
    {
        if (!IsValid(reference))
        {
            throw new MediaStackException(
                ErrorIds.InvalidImageReference,
                ErrorCategory.InvalidArgument,
                string.IsNullOrEmpty(reference)
                    ? $"{field} is empty."
                    : $"{field} '{reference}' is not a valid image reference.",
                target: reference,
                recommendedAction: "Use registry/path[:tag][@sha256:digest] with a lowercase path, e.g. lscr.io/linuxserver/prowlarr:1.24.3.");
        }
    }

    // The repository part, without tag or digest: lscr.io/linuxserver/plex:1.41 -> lscr.io/linuxserver/plex.
    public static string Name(string reference)
    {
        var at = reference.IndexOf('@');
        var name = at >= 0 ? reference[..at] : reference;
        var colon = name.LastIndexOf(':');
        return colon > name.LastIndexOf('/') ? name[..colon] : name;
    }

    // The tag, or null (no tag means latest to a container runtime).
    public static string? Tag(string reference)
    {
        var at = reference.IndexOf('@');
        var name = at >= 0 ? reference[..at] : reference;
        var colon = name.LastIndexOf(':');
        return colon > name.LastIndexOf('/') ? name[(colon + 1)..] : null;
    }

    // Pinned: a digest, or a tag other than latest. Anything else changes at the next pull.
    public static bool IsPinned(string reference) =>
        reference.Contains('@') || Tag(reference) is { } tag && !tag.Equals("latest", StringComparison.OrdinalIgnoreCase);

    // The first component is a registry when it could not be a path component.
    private static bool LooksLikeRegistry(string component) =>
        component.Contains('.') || component.Contains(':') || component == "localhost" || component.Any(char.IsUpper);

    // sha256 and sha512 have fixed lengths; other algorithms only need 32+ hex digits.
    private static bool IsDigest(string digest)
    {
        if (!Digest().IsMatch(digest))
        {
            return false;
        }
        var hexLength = digest.Length - digest.IndexOf(':') - 1;
        return digest.StartsWith("sha256:", StringComparison.Ordinal) ? hexLength == 64
            : digest.StartsWith("sha512:", StringComparison.Ordinal) ? hexLength == 128
            : true;
    }

    [GeneratedRegex(@"^(?:(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])(?:\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))*|\[[0-9a-fA-F:]+\])(?::[0-9]+)?$")]
    private static partial Regex Registry();

    [GeneratedRegex(@"^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$")]
    private static partial Regex PathComponent();

    [GeneratedRegex(@"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$")]
    private static partial Regex TagText();

    [GeneratedRegex(@"^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}$")]
    private static partial Regex Digest();
}
