using System.Text;
using System.Text.Json;

namespace MediaStack.Sandbox.Hosting;

// The kubeconfig a sandbox writes: one cluster (CA data, server), the admin user and
// context `sandbox` (namespace media-stack, current), and one user and context
// `sandbox-<name>` per extra scenario identity.
public static class KubeconfigFile
{
    public sealed record User(string Name, string Token);

    public const string Context = "sandbox";
    public const string DefaultNamespace = "media-stack";

    public static string Render(string server, string caPem, User admin, IEnumerable<User> others)
    {
        static string Q(string s) => JsonSerializer.Serialize(s);
        var ca = Convert.ToBase64String(Encoding.ASCII.GetBytes(caPem));
        var users = new[] { admin }.Concat(others).ToList();
        var sb = new StringBuilder();
        sb.AppendLine("apiVersion: v1");
        sb.AppendLine("kind: Config");
        sb.AppendLine("clusters:");
        sb.AppendLine($"- name: {Q(Context)}");
        sb.AppendLine("  cluster:");
        sb.AppendLine($"    server: {Q(server)}");
        sb.AppendLine($"    certificate-authority-data: {Q(ca)}");
        sb.AppendLine("users:");
        foreach (var u in users)
        {
            sb.AppendLine($"- name: {Q(u.Name)}");
            sb.AppendLine("  user:");
            sb.AppendLine($"    token: {Q(u.Token)}");
        }
        sb.AppendLine("contexts:");
        foreach (var u in users)
        {
            sb.AppendLine($"- name: {Q(u == admin ? Context : $"{Context}-{u.Name}")}");
            sb.AppendLine("  context:");
            sb.AppendLine($"    cluster: {Q(Context)}");
            sb.AppendLine($"    user: {Q(u.Name)}");
            sb.AppendLine($"    namespace: {Q(DefaultNamespace)}");
        }
        sb.AppendLine($"current-context: {Q(Context)}");
        sb.AppendLine("preferences: {}");
        return sb.ToString();
    }

    // Secrets go to files only the owner can read.
    public static void WritePrivate(string path, string content)
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var temp = full + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using (var stream = new FileStream(temp, options))
        using (var writer = new StreamWriter(stream, new UTF8Encoding(false)))
            writer.Write(content);
        File.Move(temp, full, overwrite: true);
    }
}
