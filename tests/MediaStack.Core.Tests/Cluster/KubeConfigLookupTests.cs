using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using MediaStack.Core.Cluster;
using MediaStack.Core.Errors;
using MediaStack.Core.Tests.Config;

namespace MediaStack.Core.Tests.Cluster;

// kubectl's lookup rules for each system, run here with the variables a Windows jump host
// has (HOME, HOMEDRIVE + HOMEPATH on a network drive, USERPROFILE, KUBECONFIG with ';') and
// with the real process environment. In the environment collection: one test sets HOME.
[Collection(nameof(EnvironmentVariables))]
public sealed class KubeConfigLookupTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("mediastack-kubelookup-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private static KubeConfigEnvironment Windows(params (string Name, string Value)[] variables) => Simulated(true, variables);

    private static KubeConfigEnvironment Linux(params (string Name, string Value)[] variables) => Simulated(false, variables);

    private static KubeConfigEnvironment Simulated(bool windows, (string Name, string Value)[] variables)
    {
        var map = variables.ToDictionary(variable => variable.Name, variable => variable.Value);
        return new KubeConfigEnvironment(windows, name => map.GetValueOrDefault(name));
    }

    private string Folder(string relative)
    {
        var folder = Path.Combine(_root, relative);
        Directory.CreateDirectory(folder);
        return folder;
    }

    // A home folder, optionally with .kube/config in it.
    private string Home(string name, bool withConfig)
    {
        var home = Folder(name);
        if (withConfig)
        {
            WriteConfig(Path.Combine(home, ".kube", "config"), name);
        }
        return home;
    }

    private static string WriteConfig(string path, string context, string cluster = "", string user = "")
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, $"""
            apiVersion: v1
            kind: Config
            current-context: {context}
            contexts:
            - name: {context}
              context: {"{"}cluster: {context}-cluster, user: {context}-user{"}"}
            clusters:
            - name: {context}-cluster
              cluster:
                server: https://127.0.0.1:6443
            {cluster}
            users:
            - name: {context}-user
              user:
            {(user.Length == 0 ? "    token: t-" + context : user)}
            """);
        return path;
    }

    [Fact]
    public void Windows_home_is_the_first_of_HOME_HOMEDRIVE_HOMEPATH_USERPROFILE_holding_kube_config()
    {
        var home = Home("home", withConfig: false);
        var network = Home("network", withConfig: true);
        var profile = Home("profile", withConfig: true);
        var variables = new[] { ("HOME", home), ("HOMEDRIVE", network[..5]), ("HOMEPATH", network[5..]), ("USERPROFILE", profile) };

        Assert.Equal(network, KubeConfigSource.HomeDirectory(Windows(variables)));
        Assert.Equal([Path.Combine(network, ".kube", "config")], KubeConfigSource.CandidatePaths(null, Windows(variables)));
        Assert.Equal("network", KubeConfigSource.Load(null, Windows(variables))!.CurrentContext);

        WriteConfig(Path.Combine(home, ".kube", "config"), "home");
        Assert.Equal("home", KubeConfigSource.Load(null, Windows(variables))!.CurrentContext);
    }

    [Fact]
    public void Windows_home_without_any_kube_config_is_HOME_then_USERPROFILE_then_HOMEDRIVE_HOMEPATH()
    {
        var profile = Home("profile", withConfig: false);
        var network = Home("network", withConfig: false);

        Assert.Equal(profile, KubeConfigSource.HomeDirectory(Windows(("HOMEDRIVE", network[..5]), ("HOMEPATH", network[5..]), ("USERPROFILE", profile))));
        // A folder that does not exist loses to one that does; set-but-missing is the last resort.
        var missing = Path.Combine(_root, "missing");
        Assert.Equal(network, KubeConfigSource.HomeDirectory(Windows(("HOME", missing), ("HOMEDRIVE", network[..5]), ("HOMEPATH", network[5..]))));
        Assert.Equal(missing, KubeConfigSource.HomeDirectory(Windows(("HOME", missing))));
        Assert.Null(KubeConfigSource.HomeDirectory(Windows()));
    }

    [Fact]
    public void Linux_home_is_HOME_only()
    {
        var home = Home("home", withConfig: false);
        var profile = Home("profile", withConfig: true);

        Assert.Equal(home, KubeConfigSource.HomeDirectory(Linux(("HOME", home), ("USERPROFILE", profile))));
        Assert.Null(KubeConfigSource.Load(null, Linux(("HOME", home), ("USERPROFILE", profile))));
    }

    [Fact]
    public void KUBECONFIG_is_split_on_semicolons_on_Windows_and_colons_elsewhere()
    {
        var a = WriteConfig(Path.Combine(Folder("a"), "config"), "a");
        var b = WriteConfig(Path.Combine(Folder("b"), "config"), "b");

        Assert.Equal([a, b], KubeConfigSource.CandidatePaths(null, Windows(("KUBECONFIG", $"{a};;{b};{a}"))));
        Assert.Equal([a, b], KubeConfigSource.CandidatePaths(null, Linux(("KUBECONFIG", $"{a}::{b}:{a}"))));
        // The other system's separator is part of a file name, as it is for kubectl.
        Assert.Equal([$"{a}:{b}"], KubeConfigSource.CandidatePaths(null, Windows(("KUBECONFIG", $"{a}:{b}"))));
        var merged = KubeConfigSource.Load(null, Windows(("KUBECONFIG", $"{a};{b}")))!;
        Assert.Equal(["a", "b"], merged.Contexts.Select(context => context.Name));
    }

    [Fact]
    public void Relative_files_resolve_against_their_own_kubeconfig_in_a_merge()
    {
        // kc1 has no ca.crt: before the fix, context b looked for kc1/ca.crt.
        var kc1 = WriteConfig(Path.Combine(Folder("kc1"), "config"), "a");
        var kc2Folder = Folder("kc2");
        WriteCertificate(Path.Combine(kc2Folder, "ca.crt"));
        File.WriteAllText(Path.Combine(kc2Folder, "token"), "t-from-file\n");
        var kc2 = WriteConfig(Path.Combine(kc2Folder, "config"), "b",
            cluster: "    certificate-authority: ca.crt",
            user: "    tokenFile: token\n    client-certificate: certs/client.crt\n    client-key: certs/client.key");
        var environment = Linux(("KUBECONFIG", $"{kc1}:{kc2}"));

        var merged = KubeConfigSource.Load(null, environment)!;

        Assert.Equal(Path.Combine(kc2Folder, "ca.crt"), merged.Clusters.Single(cluster => cluster.Name == "b-cluster").ClusterEndpoint.CertificateAuthority);
        var user = merged.Users.Single(candidate => candidate.Name == "b-user").UserCredentials;
        Assert.Equal(Path.Combine(kc2Folder, "certs", "client.crt"), user.ClientCertificate);
        Assert.Equal(Path.Combine(kc2Folder, "certs", "client.key"), user.ClientKey);
        Assert.Equal("t-from-file", user.Token);
    }

    [Fact]
    public void Context_b_of_a_merged_pair_connects_with_its_own_relative_ca()
    {
        var kc1 = WriteConfig(Path.Combine(Folder("kc1"), "config"), "a");
        var kc2Folder = Folder("kc2");
        WriteCertificate(Path.Combine(kc2Folder, "ca.crt"));
        var kc2 = WriteConfig(Path.Combine(kc2Folder, "config"), "b", cluster: "    certificate-authority: ca.crt");
        using var _ = new EnvironmentVariables((KubeConfigSource.EnvironmentVariable, string.Join(Path.PathSeparator, kc1, kc2)));

        using var connection = ClusterConnection.Open(new ClusterOptions(Context: "b"));

        Assert.Equal("b", connection.Context);
    }

    [Fact]
    public void An_exec_plugin_path_is_relative_to_its_kubeconfig_only_with_the_system_separator()
    {
        string? Command(KubeConfigEnvironment environment, string command)
        {
            var path = WriteConfig(Path.Combine(Folder("exec"), "config"), "x",
                user: $"    exec:\n      apiVersion: client.authentication.k8s.io/v1\n      command: {command}");
            return KubeConfigSource.Load(path, environment)!.Users.Single().UserCredentials.ExternalExecution.Command;
        }

        Assert.Equal(Path.Combine(_root, "exec", "bin", "kubelogin"), Command(Linux(), "./bin/kubelogin"));
        Assert.Equal("kubelogin", Command(Linux(), "kubelogin"));
        Assert.Equal("./bin/kubelogin", Command(Windows(), "./bin/kubelogin"));
        Assert.StartsWith(Path.Combine(_root, "exec"), Command(Windows(), @".\bin\kubelogin.exe"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("# nothing but a comment\n")]
    [InlineData("\n\n---\n")]
    public void An_empty_kubeconfig_is_KubeConfigInvalid_saying_so(string text)
    {
        var path = Path.Combine(Folder("empty"), "config");
        File.WriteAllText(path, text);

        var error = Assert.Throws<MediaStackException>(() => KubeConfigSource.Load(path, Linux()));

        Assert.Equal(ErrorIds.KubeConfigInvalid, error.ErrorId);
        Assert.Contains("is empty", error.Message);
        Assert.DoesNotContain("Object reference", error.Message);
    }

    [Fact]
    public void An_empty_file_in_KUBECONFIG_is_skipped_like_kubectl_does()
    {
        var empty = Path.Combine(Folder("empty"), "config");
        File.WriteAllText(empty, "");
        var good = WriteConfig(Path.Combine(Folder("good"), "config"), "good");

        Assert.Equal("good", KubeConfigSource.Load(null, Linux(("KUBECONFIG", $"{empty}:{good}")))!.CurrentContext);
    }

    [Fact]
    public void A_folder_given_as_the_kubeconfig_says_it_is_a_folder()
    {
        var folder = Folder(".kube");

        var error = Assert.Throws<MediaStackException>(() => KubeConfigSource.Load(folder, Linux()));
        Assert.Equal(ErrorIds.KubeConfigNotFound, error.ErrorId);
        Assert.Contains("is a folder", error.Message);
        Assert.Contains("is a folder", Assert.Throws<MediaStackException>(() => KubeConfigSource.Load(null, Linux(("KUBECONFIG", folder)))).Message);
    }

    [Fact]
    public void A_UTF16_kubeconfig_saved_by_Windows_PowerShell_loads()
    {
        var path = WriteConfig(Path.Combine(Folder("utf16"), "config"), "jump");
        File.WriteAllText(path, File.ReadAllText(path).ReplaceLineEndings("\r\n"), new UnicodeEncoding(bigEndian: false, byteOrderMark: true));

        Assert.Equal("jump", KubeConfigSource.Load(path, Windows())!.CurrentContext);
    }

    [Fact]
    public void A_missing_tokenFile_is_KubeConfigInvalid_naming_the_user()
    {
        var path = WriteConfig(Path.Combine(Folder("tokenless"), "config"), "x", user: "    tokenFile: absent-token");

        var error = Assert.Throws<MediaStackException>(() => KubeConfigSource.Load(path, Linux()));
        Assert.Equal(ErrorIds.KubeConfigInvalid, error.ErrorId);
        Assert.Contains("user 'x-user'", error.Message);
    }

    [SkippableFact]
    public void The_real_environment_is_read_with_this_system_rules()
    {
        Skip.If(OperatingSystem.IsWindows(), "sets HOME, which Windows reads only when it is set");
        var home = Home("real-home", withConfig: true);
        using var _ = new EnvironmentVariables(("HOME", home), (KubeConfigSource.EnvironmentVariable, null));

        Assert.Equal(Path.Combine(home, ".kube", "config"), KubeConfigSource.DefaultPath);
        Assert.Equal("real-home", KubeConfigSource.Load(null)!.CurrentContext);
    }

    private static void WriteCertificate(string path)
    {
        using var key = ECDsa.Create();
        var request = new CertificateRequest("CN=mediastack-test-ca", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        File.WriteAllText(path, certificate.ExportCertificatePem());
    }
}
