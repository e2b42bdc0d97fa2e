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

    public static RcloneCommandLine? TryParse(IReadOnlyList<string> tokens)
    {
        var words = tokens.SelectMany(token => token.Contains(' ') || token.Contains('\n')
                ? token.Split((char[])[' ', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries)
                : [token])
            .Select(word => word.Trim('"', '\''))
            .ToList();
        var mountAt = -1;
        for (var i = 0; i < words.Count; i++)
        {
            var previous = i == 0 ? "" : words[i - 1];
            if (words[i] == "mount" && (i == 0 || previous.EndsWith("rclone", StringComparison.Ordinal)))
            {
                mountAt = i;
                break;
            }
        }
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
                    var takesValue = name is "rc-addr" or "config" && i + 1 < words.Count && !words[i + 1].StartsWith("--", StringComparison.Ordinal);
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
}
