namespace MediaStack.Sandbox.Node.Linux;

// Decides, before anything is started, whether this machine can run real pods. The answer is
// one sentence naming what is missing, so skipped tests and `up` say the same thing.
public static class Availability
{
    static readonly Lazy<string?> Cached = new(() => Check(OperatingSystem.IsLinux(), Environment.UserName == "root", File.Exists, ProbeNamespaces));

    public static string? Reason => Cached.Value;

    public static readonly IReadOnlyDictionary<string, string> Tools = new Dictionary<string, string>
    {
        ["rclone"] = "/usr/bin/rclone",
        ["fusermount3"] = "/usr/bin/fusermount3",
        ["busybox"] = "/usr/bin/busybox",
        ["unshare"] = "/usr/bin/unshare",
        ["nsenter"] = "/usr/bin/nsenter",
        ["ip"] = "/usr/sbin/ip",
        ["setpriv"] = "/usr/bin/setpriv",
        ["chattr"] = "/usr/bin/chattr",
    };

    // The checks in order, cheapest first; the namespace probe only runs when all else is there.
    internal static string? Check(bool linux, bool root, Func<string, bool> fileExists, Func<string?> namespaces)
    {
        if (!linux)
            return "The sandbox node runtime needs Linux namespaces, and this is not Linux.";
        if (!root)
            return "The sandbox node runtime needs root to create mount and network namespaces.";
        var missing = Tools.Where(t => !fileExists(t.Value)).Select(t => t.Key).ToList();
        if (missing.Count > 0)
            return $"The sandbox node runtime needs {string.Join(", ", missing)} (apt-get install rclone fuse3 busybox-static util-linux iproute2 e2fsprogs).";
        if (!fileExists("/dev/fuse"))
            return "The sandbox node runtime needs /dev/fuse, which this machine does not have.";
        return namespaces();
    }

    // The real test: a private mount namespace with its own pid namespace and a network namespace.
    static string? ProbeNamespaces()
    {
        try
        {
            using var p = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo(
                Tools["unshare"], ["--mount", "--pid", "--net", "--fork", "--propagation", "private", "--", "/bin/true"])
            {
                RedirectStandardError = true,
                RedirectStandardOutput = true,
            })!;
            if (!p.WaitForExit(10_000)) { p.Kill(); return "The sandbox node runtime could not create namespaces (unshare timed out)."; }
            var err = string.Join("; ", p.StandardError.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
            return p.ExitCode == 0 ? null : $"The sandbox node runtime cannot create mount, pid and network namespaces here ({err}).";
        }
        catch (Exception e)
        {
            return $"The sandbox node runtime cannot create namespaces here ({e.Message}).";
        }
    }
}
