using System.Text;
using MediaStack.Sandbox.Node.Linux.Images;

namespace MediaStack.Sandbox.Node.Linux;

// One volumeMount resolved to node paths. Propagation is the Kubernetes word.
public sealed record ContainerMount(string Source, string Target, string Propagation, bool ReadOnly);

// Writes the shell script that turns a fresh mount namespace into a container: a root
// directory with the image's userland, /dev (with /dev/fuse only when privileged), /proc,
// the volume mounts with rshared/rslave/rprivate propagation, then pivot_root. The old root
// (put under .oldroot, detached with the host's own mount tools) is made rslave before it is detached so that detaching it cannot propagate unmounts back
// to the node (what runc does). It prints "created" and waits for one line on stdin before
// exec'ing the workload: create and start are separate steps, as with a container runtime.
public static class ContainerSetup
{
    public const string CreatedMarker = "created";

    // An unprivileged container keeps only the container runtime's default capabilities
    // (no CAP_SYS_ADMIN: it can neither mount nor unmount); its processes, exec sessions
    // included, start through setpriv with this bounding set.
    public const string CapabilityDropper = "/.sandbox/setpriv";
    public const string DefaultCapabilities = "--bounding-set=-all,+chown,+dac_override,+fowner,+fsetid,+kill,+setgid,+setuid,+setpcap,+net_bind_service,+net_raw,+sys_chroot,+mknod,+audit_write,+setfcap";

    public static IReadOnlyList<string> Unprivileged(IReadOnlyList<string> command, IReadOnlyList<string> capabilities) =>
        [CapabilityDropper, string.Join(',', [DefaultCapabilities, .. capabilities]), "--", .. command];

    public static string Script(string root, ImageBehaviour image, bool privileged, string hostname, IReadOnlyList<ContainerMount> mounts)
    {
        var s = new StringBuilder();
        s.Append($"""
            set -e
            CPATH="$PATH"; PATH=/usr/sbin:/usr/bin:/sbin:/bin
            R={Q(root)}
            mkdir -p "$R"; mount --bind "$R" "$R"; mount --make-private "$R"; cd "$R"
            mkdir -p proc dev tmp root etc var/tmp .sandbox
            chmod 1777 tmp var/tmp

            """);
        if (image.Userland == Userland.Busybox) Busybox(s, image.IsRclone);
        else Host(s);
        if (image.IsApp) StandIn(s);
        Dev(s, privileged);
        if (!privileged)
            s.Append($"touch .{CapabilityDropper}; mount --bind {Availability.Tools["setpriv"]} .{CapabilityDropper}\n");
        foreach (var m in mounts) Mount(s, m);
        s.Append($"""
            mount -t proc proc proc
            hostname {Q(hostname)}
            mkdir .oldroot
            pivot_root . .oldroot
            /.oldroot/usr/bin/mount --make-rslave /.oldroot
            /.oldroot/usr/bin/umount -l /.oldroot
            rmdir /.oldroot
            echo {CreatedMarker}
            read _
            PATH="$CPATH"; exec "$@" </dev/null

            """);
        return s.ToString();
    }

    static void Busybox(StringBuilder s, bool rclone)
    {
        s.Append($"""
            mkdir -p bin usr/lib usr/lib64 usr/bin usr/local/bin
            ln -s usr/lib lib; ln -s usr/lib64 lib64
            mount --bind {NodeUserlands.BusyboxBin} bin; mount -o remount,bind,ro bin
            for d in usr/lib usr/lib64; do mount --rbind "/$d" "$d"; mount -o remount,bind,ro "$d"; done
            printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/sbin/nologin\n' > etc/passwd
            printf 'root:x:0:\nnobody:x:65534:\n' > etc/group

            """);
        if (!rclone) return;
        s.Append($"""
            touch usr/local/bin/rclone usr/bin/fusermount3
            mount --bind {Availability.Tools["rclone"]} usr/local/bin/rclone
            mount --bind {Availability.Tools["fusermount3"]} usr/bin/fusermount3
            mkdir -p .{ImageBehaviour.FuseShimDir}; mount --bind {NodeUserlands.FuseShim} .{ImageBehaviour.FuseShimDir}

            """);
    }

    // The host's /usr read-only; /etc stays the container's own (writable, so volumes can be
    // mounted below it) with the few host files coreutils and the loader read.
    static void Host(StringBuilder s) => s.Append("""
        mkdir -p usr
        ln -s usr/bin bin; ln -s usr/sbin sbin; ln -s usr/lib lib; ln -s usr/lib64 lib64
        mount --rbind /usr usr; mount -o remount,bind,ro usr
        for f in passwd group hosts nsswitch.conf ld.so.cache localtime; do
          [ -f "/etc/$f" ] || continue; touch "etc/$f"; mount --bind "/etc/$f" "etc/$f"; mount -o remount,bind,ro "etc/$f"
        done
        for d in alternatives ssl; do
          [ -d "/etc/$d" ] || continue; mkdir -p "etc/$d"; mount --rbind "/etc/$d" "etc/$d"; mount -o remount,bind,ro "etc/$d"
        done

        """);

    static void StandIn(StringBuilder s) => s.Append($"""
        touch .{ImageBehaviour.StandInBusybox}; mount --bind {NodeUserlands.BusyboxBin}/busybox .{ImageBehaviour.StandInBusybox}
        mkdir -p .sandbox/www; mount --bind {NodeUserlands.StandInWww} .sandbox/www

        """);

    static void Dev(StringBuilder s, bool privileged)
    {
        var devices = privileged ? "null zero full random urandom tty fuse" : "null zero full random urandom tty";
        s.Append($"""
            mount -t tmpfs -o mode=755,nosuid dev dev
            for d in {devices}; do touch "dev/$d"; mount --bind "/dev/$d" "dev/$d"; done
            mkdir -p dev/shm dev/pts; ln -s /proc/self/fd dev/fd
            ln -s /proc/self/fd/0 dev/stdin; ln -s /proc/self/fd/1 dev/stdout; ln -s /proc/self/fd/2 dev/stderr

            """);
    }

    static void Mount(StringBuilder s, ContainerMount m)
    {
        var t = Q("." + m.Target);
        var src = Q(m.Source);
        var mode = m.Propagation switch { "Bidirectional" => "rshared", "HostToContainer" => "rslave", _ => "rprivate" };
        s.Append($"if [ -d {src} ] || [ ! -e {src} ]; then mkdir -p {src} {t}; else mkdir -p \"$(dirname {t})\"; touch {t}; fi\n");
        s.Append($"mount --rbind {src} {t}; mount --make-{mode} {t}\n");
        if (m.ReadOnly) s.Append($"mount -o remount,bind,ro {t}\n");
    }

    static string Q(string v) => NodeNamespace.Quote(v);
}
