using System.Net.Http.Headers;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using MediaStack.Sandbox.Hosting;
using MediaStack.Sandbox.Node;
using MediaStack.Sandbox.Scenarios;

namespace MediaStack.Sandbox.Tests;

// One in-process sandbox (host runtime, the test scenario) per test class, with its
// kubeconfig in a temp folder, a kubectl runner and an HTTP client that trusts its CA.
public class SandboxFixture : IAsyncLifetime
{
    public SandboxServer Server { get; private set; } = null!;
    public string Folder { get; } = Directory.CreateTempSubdirectory("sandbox-test-").FullName;
    public string Kubeconfig => Path.Combine(Folder, "kubeconfig");
    public Kubectl Kubectl { get; private set; } = null!;

    public static string FixturePath(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", name);

    public virtual async Task InitializeAsync()
    {
        var scenario = Scenario.Parse(await File.ReadAllTextAsync(FixturePath("scenario.yaml")));
        Server = await SandboxServer.StartAsync(new SandboxOptions(scenario, Kubeconfig, new HostProcessRuntime(), "host"));
        Kubectl = new Kubectl(Kubeconfig, Path.Combine(Folder, "kubecache"));
        await WaitFor(async () => (await Kubectl.Run("get", "deploy", "web", "-o", "jsonpath={.status.availableReplicas}")).Stdout == "2",
            TimeSpan.FromSeconds(30), "deployment web never became available");
    }

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        try { Directory.Delete(Folder, recursive: true); } catch (IOException) { }
    }

    public HttpClient Http(string? token = null, bool authenticated = true)
    {
        var ca = Server.CaCertificate;
        var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = 256,
            SslOptions =
            {
                RemoteCertificateValidationCallback = (_, cert, _, _) =>
                {
                    if (cert is null) return false;
                    using var chain = new X509Chain();
                    chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                    chain.ChainPolicy.CustomTrustStore.Add(ca);
                    chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                    return chain.Build(new X509Certificate2(cert));
                },
            },
        };
        var client = new HttpClient(handler) { BaseAddress = new Uri(Server.Url), Timeout = TimeSpan.FromSeconds(60) };
        if (authenticated) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token ?? Server.AdminToken);
        return client;
    }

    public k8s.Kubernetes Client(string context = KubeconfigFile.Context) =>
        new(k8s.KubernetesClientConfiguration.BuildConfigFromConfigFile(Kubeconfig, currentContext: context));

    public static async Task WaitFor(Func<Task<bool>> condition, TimeSpan timeout, string because)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (await condition()) return;
            await Task.Delay(100);
        }
        Assert.Fail($"timed out after {timeout.TotalSeconds:0} s: {because}");
    }

    public static async Task<JsonObject> Json(HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync()) as JsonObject ?? throw new InvalidDataException("not a JSON object");
}
