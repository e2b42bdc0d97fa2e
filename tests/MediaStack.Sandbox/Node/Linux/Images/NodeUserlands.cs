namespace MediaStack.Sandbox.Node.Linux.Images;

// Shared, read-only pieces every container root binds from the node: the busybox applet
// directory, the stand-in's web root, the fusermount shim and the denied /dev/fuse. Debian's rclone 1.60 looks
// up `fusermount`; the rclone image ships only fuse3's `fusermount3`, whose errors must be
// the ones users see. The shim (on the rclone process's PATH only, never in exec sessions)
// execs fusermount3 by name, so rclone works and every message is fusermount3's own.
public static class NodeUserlands
{
    public const string Dir = $"{NodeNamespace.Root}/userland";
    public const string BusyboxBin = $"{Dir}/busybox/bin";
    public const string FuseShim = $"{Dir}/fuse-shim";
    public const string StandInWww = $"{Dir}/www";

    // What an unprivileged container gets for a hostPath /dev/fuse: a file whose open fails
    // with EPERM (immutable), as the device cgroup makes the real node's /dev/fuse fail.
    public const string DeniedFuse = $"{Dir}/fuse-denied";

    public static Task PrepareAsync(NodeNamespace node, CancellationToken ct) => node.ShAsync($"""
        set -e
        mkdir -p {BusyboxBin} {FuseShim} {StandInWww}
        cp {Availability.Tools["busybox"]} {BusyboxBin}/busybox
        for a in $({BusyboxBin}/busybox --list); do [ "$a" = busybox ] || ln -s busybox {BusyboxBin}/"$a"; done
        printf '#!/bin/sh\nexec fusermount3 "$@"\n' > {FuseShim}/fusermount
        chmod 755 {FuseShim}/fusermount
        echo ok > {StandInWww}/index.html
        : > {DeniedFuse}; chattr +i {DeniedFuse}
        """, ct);
}
