namespace MediaStack.Sandbox.Backends;

// Generates the directory trees the WebDAV backends serve. Entry names are deterministic so
// symlinks seeded into a claim (stream/) point at files that exist.
public static class TreeGenerator
{
    public const string ZurgVersion = "v0.9.3-sandbox";

    static readonly string[] Titles = ["The.Long.Voyage", "Night.Harbour", "Paper.Lanterns", "Cold.Summit", "Quiet.Signal", "Glass.River"];

    public static string EntryName(BackendServer server, int i) =>
        $"{Titles[i % Titles.Length]}.{1990 + i % 35}.1080p.{server.Name}-{i:D5}";

    public static string FileName(BackendServer server, int i) => EntryName(server, i) + ".mkv";

    // Relative path (below the server root) of entry i's media file.
    public static string FilePath(BackendServer server, int i) =>
        $"{server.EntriesDirectory}/{EntryName(server, i)}/{FileName(server, i)}";

    public static void Generate(BackendServer server, string root)
    {
        var entries = Path.Combine(root, server.EntriesDirectory);
        Directory.CreateDirectory(entries);
        for (var i = 0; i < server.Entries; i++)
        {
            var dir = Path.Combine(entries, EntryName(server, i));
            Directory.CreateDirectory(dir);
            File.WriteAllText(Path.Combine(dir, FileName(server, i)), $"{server.Name} entry {i}\n");
        }
        if (server.Layout == "zurg")
        {
            var unplayable = Path.Combine(root, "__unplayable__");
            Directory.CreateDirectory(Path.Combine(unplayable, "Broken.Release.2001.720p"));
            File.WriteAllText(Path.Combine(root, "version.txt"), ZurgVersion + "\n");
        }
    }
}
