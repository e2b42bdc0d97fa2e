namespace MediaStack.Core.Sidecars;

// The parts of an `rclone mount REMOTE MOUNTPOINT [flags]` command line the rules need.
// Accepts the image's entrypoint form (args start with `mount`), an explicit `rclone mount`
// command, and a `sh -c "... rclone mount ..."` script (split on whitespace).
public sealed class RcloneCommandLine
{
    private readonly Dictionary<string, string?> _flags;

    private RcloneCommandLine(string remote, string mountPoint, Dictionary<string, string?> flags)
    {
        Remote = remote;
        MountPoint = mountPoint;
        _flags = flags;
    }

    public string Remote { get; }

    public string MountPoint { get; }

    public bool RcEnabled => _flags.ContainsKey("rc") || _flags.ContainsKey("rc-addr");

    public bool RcNoAuth => _flags.ContainsKey("rc-no-auth");

    // A user (with --rc-pass) or an htpasswd file guards the rc.
    public bool RcHasCredentials => _flags.ContainsKey("rc-user") || _flags.ContainsKey("rc-htpasswd");

    // off (rclone's default), minimal, writes or full.
    public string VfsCacheMode => Flag("vfs-cache-mode") is { Length: > 0 } mode ? mode : "off";

    // Files are kept on disk: writes or full (minimal keeps only files open for writing).
    public bool CachesFiles => VfsCacheMode is "writes" or "full";

    public string? VfsCacheMaxSize => Flag("vfs-cache-max-size");

    public string? CacheDir => Flag("cache-dir");

    // A flag's value (null for a flag given without one, or not given).
    public string? Flag(string name) => _flags.TryGetValue(name, out var value) ? value : null;

    // rclone's default is localhost:5572.
    public string RcAddress => _flags.TryGetValue("rc-addr", out var value) && !string.IsNullOrEmpty(value) ? value : "localhost:5572";

    public int? RcPort
    {
        get
        {
            var colon = RcAddress.LastIndexOf(':');
            return colon >= 0 && int.TryParse(RcAddress[(colon + 1)..], out var port) ? port : null;
        }
    }

    // Host part of the rc address: empty means every interface (":5572").
    public string RcHost
    {
        get
        {
            var colon = RcAddress.LastIndexOf(':');
            return (colon >= 0 ? RcAddress[..colon] : RcAddress).Trim('[', ']');
        }
    }

    public bool RcLoopbackOnly => RcHost is "localhost" or "::1" || RcHost.StartsWith("127.", StringComparison.Ordinal);

    // The flags the rules read whose value may follow as the next word.
    private static readonly HashSet<string> ValueFlags =
        new(StringComparer.Ordinal) { "rc-addr", "config", "vfs-cache-mode", "vfs-cache-max-size", "cache-dir", "rc-user", "rc-pass", "rc-htpasswd" };

    private static readonly string[] ServeProtocols = ["webdav", "nfs", "http", "sftp", "ftp", "dlna", "s3", "restic", "docker"];

    // `rclone serve webdav|nfs|...`: serves a remote to others and mounts nothing.
    public static bool IsServe(IReadOnlyList<string> tokens)
    {
        var words = Words(tokens);
        var at = IndexOfCommand(words, "serve");
        return at >= 0 && at + 1 < words.Count && ServeProtocols.Contains(words[at + 1]);
    }

    public static RcloneCommandLine? TryParse(IReadOnlyList<string> tokens)
    {
        var words = Words(tokens);
        var mountAt = IndexOfCommand(words, "mount");
        if (mountAt < 0)
        {
            return null;
        }
        var positional = new List<string>();
        var flags = new Dictionary<string, string?>(StringComparer.Ordinal);
        for (var i = mountAt + 1; i < words.Count; i++)
        {
            var word = words[i];
            if (word is "&&" or ";" or "|" or "&")
            {
                break;
            }
            if (word.StartsWith("--", StringComparison.Ordinal))
            {
                var equals = word.IndexOf('=');
                if (equals > 0)
                {
                    flags[word[2..equals]] = word[(equals + 1)..];
                }
                else
                {
                    // `--rc-addr :5572` form: a value follows unless it is another flag or the
                    // flag is a known boolean.
                    var name = word[2..];
                    var takesValue = ValueFlags.Contains(name) && i + 1 < words.Count && !words[i + 1].StartsWith("--", StringComparison.Ordinal);
                    flags[name] = takesValue ? words[++i] : null;
                }
            }
            else
            {
                positional.Add(word);
            }
        }
        return positional.Count >= 2 ? new RcloneCommandLine(positional[0], positional[1], flags) : null;
    }

    // Every list item is one word (a remote may hold a space: "gdrive:Media Library"), but
    // the items after a shell's -c (or -ec, -xc ...) are scripts, split on whitespace.
    private static List<string> Words(IReadOnlyList<string> tokens)
    {
        var words = new List<string>();
        var script = false;
        foreach (var token in tokens)
        {
            words.AddRange(script && (token.Contains(' ') || token.Contains('\n') || token.Contains('\t'))
                ? token.Split((char[])[' ', '\n', '\t', '\r'], StringSplitOptions.RemoveEmptyEntries)
                : [token]);
            script |= token.Length >= 2 && token[0] == '-' && token[^1] == 'c' && token[1..].All(char.IsAsciiLetterLower);
        }
        return words.Select(word => word.Trim('"', '\'')).ToList();
    }

    // The rclone subcommand: the image's entrypoint form starts with it, else it follows a
    // word naming the rclone binary.
    private static int IndexOfCommand(List<string> words, string command)
    {
        for (var i = 0; i < words.Count; i++)
        {
            if (words[i] == command && (i == 0 || words[i - 1].EndsWith("rclone", StringComparison.Ordinal)))
            {
                return i;
            }
        }
        return -1;
    }
}
