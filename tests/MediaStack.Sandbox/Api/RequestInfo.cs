namespace MediaStack.Sandbox.Api;

// What a /api or /apis path addresses, parsed the way kube-apiserver's RequestInfoFactory does.
public sealed record RequestInfo(
    string Group,
    string Version,
    string Namespace,
    string Resource,
    string Name,
    string Subresource,
    bool WatchPath)
{
    // Null when the path is not a resource path (discovery documents, unknown shapes).
    public static RequestInfo? Parse(string path)
    {
        var parts = path.Trim('/').Split('/', StringSplitOptions.None);
        if (parts.Any(p => p.Length == 0)) return null;
        string group, version;
        int i;
        if (parts.Length >= 3 && parts[0] == "api")
        {
            group = "";
            version = parts[1];
            i = 2;
        }
        else if (parts.Length >= 4 && parts[0] == "apis")
        {
            group = parts[1];
            version = parts[2];
            i = 3;
        }
        else return null;

        var rest = parts[i..];
        var watch = false;
        if (rest.Length > 0 && rest[0] == "watch")
        {
            watch = true;
            rest = rest[1..];
        }
        if (rest.Length == 0) return null;
        var ns = "";
        if (rest[0] == "namespaces" && rest.Length >= 3 && !(rest.Length == 3 && rest[2] is "status" or "finalize"))
        {
            ns = rest[1];
            rest = rest[2..];
        }
        if (rest.Length > 3) return null;
        return new RequestInfo(group, version, ns, rest[0], rest.Length > 1 ? rest[1] : "", rest.Length > 2 ? rest[2] : "", watch);
    }
}
