using MediaStack.Sandbox.Rbac;

namespace MediaStack.Sandbox.Api;

// Bearer tokens to identities. The admin token is the kubeconfig's default user and the
// only one that may drive the sandbox's control endpoints.
public sealed class Authentication
{
    readonly Dictionary<string, Identity> _tokens = new(StringComparer.Ordinal);

    public Authentication(string adminToken, Identity admin)
    {
        AdminToken = adminToken;
        Admin = admin;
        _tokens[adminToken] = admin;
    }

    public string AdminToken { get; }
    public Identity Admin { get; }

    public void Add(string token, Identity identity) => _tokens[token] = identity;

    public Identity? Authenticate(HttpContext ctx)
    {
        var header = ctx.Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return null;
        var token = header[7..].Trim();
        return _tokens.TryGetValue(token, out var who) ? who : null;
    }

    public bool IsAdmin(HttpContext ctx) =>
        ctx.Request.Headers.Authorization.ToString() is var h && h.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
        && System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(
            System.Text.Encoding.UTF8.GetBytes(h[7..].Trim()), System.Text.Encoding.UTF8.GetBytes(AdminToken));

    public static string NewToken() => Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(24)).ToLowerInvariant();
}
