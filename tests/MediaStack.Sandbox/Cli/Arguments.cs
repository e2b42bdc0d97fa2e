namespace MediaStack.Sandbox.Cli;

// `--name value` options and positional words, nothing more.
public sealed class Arguments
{
    readonly Dictionary<string, string> _options = new(StringComparer.Ordinal);

    public List<string> Positional { get; } = new();

    public Arguments(IEnumerable<string> args)
    {
        using var e = args.GetEnumerator();
        while (e.MoveNext())
        {
            var a = e.Current;
            if (a.StartsWith("--", StringComparison.Ordinal))
            {
                var eq = a.IndexOf('=');
                if (eq > 0) _options[a[2..eq]] = a[(eq + 1)..];
                else if (e.MoveNext()) _options[a[2..]] = e.Current;
                else throw new ArgumentException($"option {a} needs a value");
            }
            else Positional.Add(a);
        }
    }

    public string? Get(string name) => _options.GetValueOrDefault(name);

    public string Require(string name) => Get(name) ?? throw new ArgumentException($"--{name} is required");
}
