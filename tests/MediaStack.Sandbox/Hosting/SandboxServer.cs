using System.Net;
using System.Security.Cryptography.X509Certificates;
using MediaStack.Sandbox.Api;
using MediaStack.Sandbox.Faults;
using MediaStack.Sandbox.Node;
using MediaStack.Sandbox.Rbac;
using MediaStack.Sandbox.Scenarios;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace MediaStack.Sandbox.Hosting;

public sealed record SandboxOptions(Scenario Scenario, string KubeconfigPath, INodeRuntime Runtime, string RuntimeName, int Port = 0);

// One running sandbox: HTTPS on 127.0.0.1, the cluster behind it, the kubeconfig and
// state file written. Used by `up` and, in-process, by the test suite.
public sealed class SandboxServer : IAsyncDisposable
{
    readonly WebApplication _app;
    readonly ServerCertificates _certs;
    readonly TaskCompletionSource _shutdownRequested = new(TaskCreationOptions.RunContinuationsAsynchronously);
    readonly string _kubeconfig;
    int _stopped;

    SandboxServer(WebApplication app, ServerCertificates certs, SandboxCluster cluster, string kubeconfig)
    {
        _app = app;
        _certs = certs;
        Cluster = cluster;
        _kubeconfig = kubeconfig;
    }

    public SandboxCluster Cluster { get; }
    public string Url { get; private set; } = "";
    public string KubeconfigPath => _kubeconfig;
    public X509Certificate2 CaCertificate => _certs.Authority;
    public string AdminToken => Cluster.Auth.AdminToken;
    public Dictionary<string, string> IdentityTokens { get; } = new();
    public Task ShutdownRequested => _shutdownRequested.Task;

    public static async Task<SandboxServer> StartAsync(SandboxOptions options, CancellationToken ct = default)
    {
        var scenario = options.Scenario;
        var cluster = new SandboxCluster(scenario.Mode, options.Runtime, options.RuntimeName);
        var certs = new ServerCertificates();
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ApplicationName = typeof(SandboxServer).Assembly.GetName().Name });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Limits.MaxRequestBodySize = 16 * 1024 * 1024;
            k.Limits.Http2.MaxStreamsPerConnection = 1000;
            k.Listen(IPAddress.Loopback, options.Port, listen =>
            {
                listen.Protocols = HttpProtocols.Http1AndHttp2;
                listen.UseHttps(certs.Server);
            });
        });
        var app = builder.Build();
        var server = new SandboxServer(app, certs, cluster, options.KubeconfigPath);

        var control = new ControlEndpoint(cluster, () => server._shutdownRequested.TrySetResult(), () => server.Url);
        var endpoint = new ApiEndpoint(cluster, control, () => new Uri(server.Url).Authority);
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.FromSeconds(30) });
        app.Run(endpoint.Handle);

        try
        {
            await cluster.Runtime.ConfigureAsync(scenario.Document, ct);
            Bootstrap.Seed(cluster, scenario.Nodes);
            var users = new List<KubeconfigFile.User>();
            foreach (var identity in scenario.Identities)
            {
                var token = identity.Token ?? Authentication.NewToken();
                var groups = identity.Groups.Contains("system:authenticated") ? identity.Groups : [.. identity.Groups, "system:authenticated"];
                cluster.Auth.Add(token, new Identity(identity.User, groups));
                users.Add(new KubeconfigFile.User(identity.Name, token));
                server.IdentityTokens[identity.Name] = token;
            }
            ScenarioLoader.Load(cluster, scenario);

            await app.StartAsync(ct);
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            var port = new Uri(address).Port;
            server.Url = $"https://127.0.0.1:{port}";
            cluster.StartControllers();

            KubeconfigFile.WritePrivate(options.KubeconfigPath,
                KubeconfigFile.Render(server.Url, certs.AuthorityPem, new KubeconfigFile.User("sandbox-admin", cluster.Auth.AdminToken), users));
            new StateFile(Environment.ProcessId, server.Url, certs.AuthorityPem, cluster.Auth.AdminToken).Write(options.KubeconfigPath);
        }
        catch
        {
            // Whatever the runtime already set up (node namespace, backends) must not outlive us.
            await server.DisposeAsync();
            throw;
        }
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 1) return;
        await Cluster.DisposeAsync();
        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5)))
        {
            try { await _app.StopAsync(timeout.Token); }
            catch (OperationCanceledException) { }
        }
        await _app.DisposeAsync();
        StateFile.Delete(_kubeconfig);
        _certs.Dispose();
    }
}
