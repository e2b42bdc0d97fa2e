namespace MediaStack.Core.Workloads;

// Containers recognised by name or image, for what their command line cannot tell: helpers
// that sit next to an app, and servers that hand the cloud to other pods.
internal static class KnownContainers
{
    private static readonly string[] HelperNamePrefixes =
    [
        "nginx", "istio-proxy", "linkerd-proxy", "envoy", "oauth-proxy", "oauth2-proxy",
        "kube-rbac-proxy", "cloudflared", "vault-agent", "gluetun", "vpn", "tailscale", "promtail", "fluent-bit",
    ];

    private static readonly string[] HelperImageMarkers =
    [
        "/nginx", "nginx:", "istio/proxyv2", "linkerd/proxy", "oauth2-proxy", "oauth-proxy",
        "kube-rbac-proxy", "cloudflare/cloudflared", "qmcgaw/gluetun", "tailscale/tailscale",
    ];

    // Zurg serves Real-Debrid over WebDAV; the others are WebDAV/SFTP servers seen in front of
    // cloud storage. `rclone serve ...` is recognised by its command line instead.
    private static readonly string[] ServerImageMarkers =
    [
        "zurg", "/webdav", "webdav:", "sftpgo",
    ];

    public static bool IsHelper(string name, string image) =>
        HelperNamePrefixes.Any(prefix => name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
        || HelperImageMarkers.Any(marker => image.Contains(marker, StringComparison.OrdinalIgnoreCase));

    public static bool IsServerImage(string name, string image) =>
        name.Equals("zurg", StringComparison.OrdinalIgnoreCase)
        || ServerImageMarkers.Any(marker => ImageName(image).Contains(marker, StringComparison.OrdinalIgnoreCase));

    public static bool IsRcloneImage(string image) =>
        ImageName(image).EndsWith("/rclone", StringComparison.OrdinalIgnoreCase)
        || ImageName(image).Equals("rclone", StringComparison.OrdinalIgnoreCase);

    private static string ImageName(string image) => Manifests.ImageReference.Name(image);
}
