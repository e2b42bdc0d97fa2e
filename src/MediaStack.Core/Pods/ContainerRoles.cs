using k8s.Models;
using MediaStack.Core.Sidecars;

namespace MediaStack.Core.Pods;

// Which containers of a pod are sidecars, and which one is the app (AppContainerRule).
public static class ContainerRoles
{
    // Names (exact or as prefix) of helper containers seen next to media apps.
    private static readonly string[] SidecarNamePrefixes =
    [
        "rclone", "nginx", "istio-proxy", "linkerd-proxy", "envoy", "oauth-proxy", "oauth2-proxy",
        "kube-rbac-proxy", "cloudflared", "vault-agent", "gluetun", "vpn", "tailscale", "promtail", "fluent-bit",
    ];

    private static readonly string[] SidecarImageMarkers =
    [
        "rclone/rclone", "/rclone:", "istio/proxyv2", "linkerd/proxy", "oauth2-proxy", "oauth-proxy",
        "kube-rbac-proxy", "cloudflare/cloudflared", "qmcgaw/gluetun", "tailscale/tailscale",
    ];

    public static bool IsRclone(V1Container container) =>
        container.Name.StartsWith("rclone", StringComparison.OrdinalIgnoreCase)
        || (container.Image ?? "").Contains("rclone/rclone", StringComparison.OrdinalIgnoreCase)
        || (container.Image ?? "").Contains("/rclone:", StringComparison.OrdinalIgnoreCase);

    public static bool IsKnownSidecar(V1Container container) =>
        IsRclone(container) || IsKnownSidecar(container.Name, container.Image);

    // Helpers recognised by name or image alone (nginx, proxies, VPNs, log shippers).
    public static bool IsKnownSidecar(string name, string? image) =>
        SidecarNamePrefixes.Any(prefix => name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
        || SidecarImageMarkers.Any(marker => (image ?? "").Contains(marker, StringComparison.OrdinalIgnoreCase));

    // Returns the chosen container name and why (AppContainerRule); (null, reason) when the
    // pod has no containers. A pod of sidecars only (the legacy standalone rclone) gets its
    // first container, so that it can still be looked into.
    public static (string? Name, string Reason) AppContainer(V1Pod pod, string? workload, string? appLabel)
    {
        var containers = pod.Spec?.Containers ?? [];
        if (containers.Count == 0)
        {
            return (null, "the pod has no containers");
        }
        var annotated = pod.Metadata?.Annotations?.TryGetValue(AppContainerRule.DefaultContainerAnnotation, out var value) == true ? value : null;
        var (name, reason) = AppContainerRule.Find(
            containers.Select(container => new AppContainerRule.Candidate(container.Name, IsKnownSidecar(container), MountsRoot: false)).ToList(),
            annotated,
            [(workload, "owning workload"), (appLabel, "app label")],
            requireMountRoot: false);
        return name is not null ? (name, reason) : (containers[0].Name, "every container looks like a sidecar; the first one is taken");
    }

    // Sidecars: known helpers among the regular containers except the app, plus native
    // sidecars (init containers with restartPolicy Always).
    public static IReadOnlyList<V1Container> Sidecars(V1Pod pod, string? appContainer)
    {
        var regular = (pod.Spec?.Containers ?? []).Where(container => container.Name != appContainer && IsKnownSidecar(container));
        return regular.Concat(NativeSidecars(pod)).ToList();
    }

    public static IEnumerable<V1Container> NativeSidecars(V1Pod pod) =>
        (pod.Spec?.InitContainers ?? []).Where(container => container.RestartPolicy == "Always");

    // The remote and mount path of `rclone mount <remote> <path> ...` in command+args, also
    // inside a `sh -c "..."` line (RcloneCommandLine, the parser the diagnosis uses too).
    public static RcloneSidecar DescribeRclone(V1Container container, bool native)
    {
        var line = RcloneCommandLine.TryParse((container.Command ?? []).Concat(container.Args ?? []).ToList());
        return new RcloneSidecar(container.Name, line?.Remote, line?.MountPoint, native);
    }
}
