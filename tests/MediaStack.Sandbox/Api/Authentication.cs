using MediaStack.Sandbox.Rbac;

namespace MediaStack.Sandbox.Api;

// Bearer tokens to identities. The admin token is the kubeconfig's default user and the
// only one that may drive the sandbox's control endpoints.
public sealed class Authentication
{
    readonly Dictionary<string, Identity> _tokens = new(StringComparer.Ordinal);
    readonly System.Collections.Concurrent.ConcurrentDictionary<string, BoundToken> _bound = new(StringComparer.Ordinal);

    // A service account token from a TokenRequest: valid until it expires, and only while
    // the account it was issued for (that uid) exists, as kube-apiserver checks it.
    public sealed record BoundToken(string Namespace, string Name, string Uid, DateTimeOffset Expires);

    public Authentication(string adminToken, Identity admin)
    {
        AdminToken = adminToken;
        Admin = admin;
        _tokens[adminToken] = admin;
    }

    public string AdminToken { get; }
    public Identity Admin { get; }

    public void Add(string token, Identity identity) => _tokens[token] = identity;

    public void AddBound(string token, BoundToken bound) => _bound[token] = bound;

    // uidOf answers the current uid of a service account (null when it does not exist).
    public Identity? Authenticate(HttpContext ctx, Func<string, string, string?>? uidOf = null)
    {
        var header = ctx.Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return null;
        var token = header[7..].Trim();
        if (_tokens.TryGetValue(token, out var who)) return who;
        if (!_bound.TryGetValue(token, out var bound)) return null;
        if (bound.Expires <= DateTimeOffset.UtcNow || uidOf?.Invoke(bound.Namespace, bound.Name) != bound.Uid) return null;
        return Identity.ServiceAccount(bound.Namespace, bound.Name);
    }

    public bool IsAdmin(HttpContext ctx) =>
        ctx.Request.Headers.Authorization.ToString() is var h && h.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
        && System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(
            System.Text.Encoding.UTF8.GetBytes(h[7..].Trim()), System.Text.Encoding.UTF8.GetBytes(AdminToken));

    public static string NewToken() => Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(24)).ToLowerInvariant();
}
