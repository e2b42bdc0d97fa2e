namespace MediaStack.Core.Workloads;

// What one container of a pod does, decided by what it runs (Workload decides it, nothing
// else does).
public enum ContainerRole
{
    // The container the workload exists for (plex, sonarr ...): it reads the mounts.
    App,
    // Runs `rclone mount REMOTE PATH`: a sidecar serving a mount (classic container or native
    // init sidecar), or the whole pod in the standalone and node-level patterns.
    RcloneMount,
    // Serves the cloud to other pods without mounting it (Zurg, `rclone serve webdav|nfs`,
    // another WebDAV server).
    Server,
    // A known helper next to the app (nginx, proxies, VPN, log shippers).
    Helper,
    // The init container that creates the mount points.
    InitDirs,
    // Anything else (other init containers, unknown containers next to the app).
    Other,
}

// What a workload is to the media stack.
public enum WorkloadKind
{
    // An app container that reads the media root: its mounts come from rclone sidecars in its
    // pod, or from a node-level provider through a host path.
    MediaApp,
    // A DaemonSet whose rclone mounts into a host path with Bidirectional propagation: it serves
    // the apps on every node it runs on (a valid pattern).
    NodeMountProvider,
    // A Deployment, StatefulSet or Pod that only runs rclone mounts: the legacy pattern, whose
    // FUSE mounts reach no other pod.
    StandaloneRclone,
    // Serves the cloud to others (Zurg, rclone serve, a WebDAV server) and mounts nothing.
    Gateway,
    // Neither reads the media root nor runs an rclone mount.
    Unrelated,
}
