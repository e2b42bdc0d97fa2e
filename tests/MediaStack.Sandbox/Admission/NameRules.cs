using System.Text.RegularExpressions;

namespace MediaStack.Sandbox.Admission;

// apimachinery's name validators and their exact messages.
public static partial class NameRules
{
    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex Subdomain();

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex Label();

    public static IEnumerable<string> SubdomainErrors(string value)
    {
        if (value.Length > 253) yield return "must be no more than 253 characters";
        if (!Subdomain().IsMatch(value))
            yield return "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
    }

    public static IEnumerable<string> LabelErrors(string value)
    {
        if (value.Length > 63) yield return "must be no more than 63 characters";
        if (!Label().IsMatch(value))
            yield return "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
    }

    // RBAC objects and SCCs only need to be valid path segments ("system:openshift:scc:privileged").
    public static IEnumerable<string> PathSegmentErrors(string value)
    {
        if (value is "." or "..") yield return $"may not be '{value}'";
        foreach (var bad in new[] { "/", "%" })
            if (value.Contains(bad)) yield return $"may not contain '{bad}'";
    }
}
