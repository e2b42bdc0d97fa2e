namespace MediaStack.Sandbox.Node.Linux;

// Decides, before anything is started, whether this machine can run real pods. The answer is
// one sentence naming what is missing, so skipped tests and `up` say the same thing.
public static class Availability
{
    static readonly Lazy<string?> Cached = new(Probe);

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
    };

    static string? Probe()
    {
        if (!OperatingSystem.IsLinux())
            return "The sandbox node runtime needs Linux namespaces, and this is not Linux.";
        if (Environment.UserName != "root")
            return "The sandbox node runtime needs root to create mount and network namespaces.";
        var missing = Tools.Where(t => !File.Exists(t.Value)).Select(t => t.Key).ToList();
        if (missing.Count > 0)
            return $"The sandbox node runtime needs {string.Join(", ", missing)} (apt-get install rclone fuse3 busybox-static).";
        if (!File.Exists("/dev/fuse"))
            return "The sandbox node runtime needs /dev/fuse, which this machine does not have.";
        return ProbeNamespaces();
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
            var err = p.StandardError.ReadToEnd().Trim();
            return p.ExitCode == 0 ? null : $"The sandbox node runtime cannot create mount, pid and network namespaces here ({err}).";
        }
        catch (Exception e)
        {
            return $"The sandbox node runtime cannot create namespaces here ({e.Message}).";
        }
    }
}
