using System.Text.RegularExpressions;

namespace MediaStack.Core.Manifests;

// Kubernetes object names: RFC 1123 labels (names of apps, containers, volumes, namespaces)
// and subdomains (service accounts, claims, secrets, hosts).
public static partial class Dns1123
{
    public const int MaxLabelLength = 63;
    public const int MaxSubdomainLength = 253;

    public static bool IsLabel(string? value) =>
        value is { Length: > 0 and <= MaxLabelLength } && Label().IsMatch(value);

    public static bool IsSubdomain(string? value) =>
        value is { Length: > 0 and <= MaxSubdomainLength } && value.Split('.').All(part => part.Length <= MaxLabelLength && Label().IsMatch(part));

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex Label();
}
