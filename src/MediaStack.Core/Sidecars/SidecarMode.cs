namespace MediaStack.Core.Sidecars;

// Classic: sidecars in containers, each with a preStop lazy unmount.
// Native: init containers with restartPolicy Always and a startupProbe on the FUSE mount,
// so the app starts only once every mount is there (Kubernetes 1.29+, OpenShift 4.16+).
public enum SidecarMode
{
    Classic,
    Native,
}
