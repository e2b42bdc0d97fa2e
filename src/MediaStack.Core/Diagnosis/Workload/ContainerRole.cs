namespace MediaStack.Core.Diagnosis.Workload;

public enum ContainerRole
{
    // The container the stack exists for (plex, sonarr ...): receives the mounts.
    App,
    // An rclone mount sidecar (classic container or native init sidecar).
    RcloneSidecar,
    // The init container that creates the mount points.
    InitDirs,
    // Anything else (nginx, other init containers ...).
    Other,
}
