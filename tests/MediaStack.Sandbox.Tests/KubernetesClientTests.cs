using System.Net.WebSockets;
using System.Text;
using k8s;
using k8s.Models;

namespace MediaStack.Sandbox.Tests;

// The C# KubernetesClient (what the module uses) against the sandbox: exec with exit codes
// through the status channel, watch events, SubjectAccessReview.
public sealed class KubernetesClientTests(SandboxFixture sandbox) : IClassFixture<SandboxFixture>
{
    const string Ns = "media-stack";

    async Task<string> AnyWebPod(Kubernetes client) =>
        (await client.CoreV1.ListNamespacedPodAsync(Ns, labelSelector: "app=web")).Items[0].Metadata.Name;

    [Fact]
    public async Task Exec_returns_stdout_and_the_exit_code_from_the_status_channel()
    {
        using var client = sandbox.Client();
        var pod = await AnyWebPod(client);
        string stdout = "", stderr = "";
        var exit = await client.NamespacedPodExecAsync(pod, Ns, "web", ["sh", "-c", "echo hello; echo oops >&2; exit 4"], false,
            async (stdin, output, error) =>
            {
                stdin.Dispose();
                stdout = await new StreamReader(output).ReadToEndAsync();
                stderr = await new StreamReader(error).ReadToEndAsync();
            }, CancellationToken.None);
        Assert.Equal(4, exit);
        Assert.Equal("hello\n", stdout);
        Assert.Equal("oops\n", stderr);

        var ok = await client.NamespacedPodExecAsync(pod, Ns, "web", ["true"], false,
            (_, _, _) => Task.CompletedTask, CancellationToken.None);
        Assert.Equal(0, ok);
    }

    [Fact]
    public async Task Exec_over_the_v4_protocol_reports_the_status_json()
    {
        using var client = sandbox.Client();
        var pod = await AnyWebPod(client);
        using var ws = await client.WebSocketNamespacedPodExecAsync(pod, Ns, ["sh", "-c", "printf abc; exit 2"], "web");
        Assert.Equal("v4.channel.k8s.io", ws.SubProtocol);
        var frames = new List<byte[]>();
        var buffer = new byte[4096];
        while (true)
        {
            var result = await ws.ReceiveAsync(buffer, CancellationToken.None);
            if (result.MessageType == System.Net.WebSockets.WebSocketMessageType.Close) break;
            frames.Add(buffer[..result.Count]);
        }
        Assert.Equal(System.Net.WebSockets.WebSocketCloseStatus.NormalClosure, ws.CloseStatus);
        Assert.Equal([1], frames[0]);
        Assert.Equal("abc", Encoding.UTF8.GetString(frames.Where(f => f[0] == 1).SelectMany(f => f[1..]).ToArray()));
        var status = Encoding.UTF8.GetString(frames.Single(f => f[0] == 3)[1..]);
        Assert.Equal("""{"metadata":{},"status":"Failure","message":"command terminated with non-zero exit code: error executing command [sh -c printf abc; exit 2], exit code 2","reason":"NonZeroExitCode","details":{"causes":[{"reason":"ExitCode","message":"2"}]}}""", status);
    }

    [Fact]
    public async Task Watch_sends_added_then_modified_events()
    {
        using var client = sandbox.Client();
        await client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap
        {
            Metadata = new V1ObjectMeta { Name = "watched", NamespaceProperty = Ns },
            Data = new Dictionary<string, string> { ["a"] = "1" },
        }, Ns);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var seen = new List<(WatchEventType, string)>();
        var changed = false;
        await foreach (var (type, cm) in client.CoreV1.WatchListNamespacedConfigMapAsync(Ns, fieldSelector: "metadata.name=watched", cancellationToken: cts.Token))
        {
            seen.Add((type, cm.Data["a"]));
            if (!changed)
            {
                changed = true;
                cm.Data["a"] = "2";
                await client.CoreV1.ReplaceNamespacedConfigMapAsync(cm, "watched", Ns);
            }
            else break;
        }
        Assert.Equal([(WatchEventType.Added, "1"), (WatchEventType.Modified, "2")], seen);
    }

    [Fact]
    public async Task Watch_resumes_from_a_resource_version_and_honours_timeout()
    {
        using var http = sandbox.Http();
        var list = await SandboxFixture.Json(await http.GetAsync("/api/v1/namespaces/media-stack/secrets"));
        var rv = list["metadata"]!["resourceVersion"]!.GetValue<string>();
        using var client = sandbox.Client();
        await client.CoreV1.CreateNamespacedSecretAsync(new V1Secret { Metadata = new V1ObjectMeta { Name = "after-rv" }, StringData = new Dictionary<string, string> { ["k"] = "v" } }, Ns);
        var started = DateTime.UtcNow;
        var body = await http.GetStringAsync($"/api/v1/watch/namespaces/media-stack/secrets?resourceVersion={rv}&timeoutSeconds=1");
        Assert.InRange(DateTime.UtcNow - started, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(10));
        var lines = body.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var only = Assert.Single(lines);
        Assert.StartsWith("""{"type":"ADDED","object":{""", only);
        Assert.Contains("\"name\":\"after-rv\"", only);
        Assert.Contains("\"data\":{\"k\":\"dg==\"}", only);
    }

    [Fact]
    public async Task Subject_access_reviews_follow_rbac_and_scc_bindings()
    {
        using var client = sandbox.Client();
        async Task<bool> Allowed(string user, string[] groups, string verb, string group, string resource, string? name = null) =>
            (await client.AuthorizationV1.CreateSubjectAccessReviewAsync(new V1SubjectAccessReview
            {
                Spec = new V1SubjectAccessReviewSpec
                {
                    User = user,
                    Groups = groups,
                    ResourceAttributes = new V1ResourceAttributes { NamespaceProperty = Ns, Verb = verb, Group = group, Resource = resource, Name = name },
                },
            })).Status.Allowed;
        string[] saGroups = ["system:serviceaccounts", "system:serviceaccounts:media-stack", "system:authenticated"];
        Assert.True(await Allowed("system:serviceaccount:media-stack:managers", saGroups, "use", "security.openshift.io", "securitycontextconstraints", "privileged"));
        Assert.False(await Allowed("system:serviceaccount:media-stack:managers", saGroups, "use", "security.openshift.io", "securitycontextconstraints", "anyuid"));
        Assert.False(await Allowed("system:serviceaccount:media-stack:plain", saGroups, "use", "security.openshift.io", "securitycontextconstraints", "privileged"));
        Assert.True(await Allowed("someone", ["media-viewers"], "watch", "", "pods"));
        Assert.False(await Allowed("someone", ["media-viewers"], "get", "", "secrets"));
        Assert.True(await Allowed("root", ["system:masters"], "delete", "apps", "deployments"));

        var review = await client.AuthorizationV1.CreateSubjectAccessReviewAsync(new V1SubjectAccessReview
        {
            Spec = new V1SubjectAccessReviewSpec { User = "x", Groups = ["media-viewers"], ResourceAttributes = new V1ResourceAttributes { NamespaceProperty = Ns, Verb = "list", Resource = "pods" } },
        });
        Assert.Equal("RBAC: allowed by RoleBinding \"viewers-read-pods/media-stack\" of Role \"pod-reader\" to Group \"media-viewers\"", review.Status.Reason);
    }

    [Fact]
    public async Task Exec_without_a_subprotocol_and_with_a_refused_one()
    {
        using var client = sandbox.Client();
        var pod = await AnyWebPod(client);
        var ca = sandbox.Server.CaCertificate;
        ClientWebSocket Socket(params string[] protocols)
        {
            var ws = new ClientWebSocket();
            ws.Options.SetRequestHeader("Authorization", $"Bearer {sandbox.Server.AdminToken}");
            ws.Options.RemoteCertificateValidationCallback = (_, cert, _, _) =>
            {
                using var chain = new System.Security.Cryptography.X509Certificates.X509Chain();
                chain.ChainPolicy.TrustMode = System.Security.Cryptography.X509Certificates.X509ChainTrustMode.CustomRootTrust;
                chain.ChainPolicy.CustomTrustStore.Add(ca);
                chain.ChainPolicy.RevocationMode = System.Security.Cryptography.X509Certificates.X509RevocationMode.NoCheck;
                return cert is not null && chain.Build(new System.Security.Cryptography.X509Certificates.X509Certificate2(cert));
            };
            foreach (var p in protocols) ws.Options.AddSubProtocol(p);
            return ws;
        }
        var uri = new Uri($"{sandbox.Server.Url.Replace("https", "wss")}/api/v1/namespaces/media-stack/pods/{pod}/exec?command=echo&command=plain&stdout=1&stderr=1");

        using var plain = Socket();
        await plain.ConnectAsync(uri, CancellationToken.None);
        Assert.Null(plain.SubProtocol);
        var frames = new List<byte[]>();
        var buffer = new byte[4096];
        while (true)
        {
            var r = await plain.ReceiveAsync(buffer, CancellationToken.None);
            if (r.MessageType == WebSocketMessageType.Close) break;
            frames.Add(buffer[..r.Count]);
        }
        Assert.Equal("plain\n", Encoding.UTF8.GetString(frames.Where(f => f[0] == 1).SelectMany(f => f[1..]).ToArray()));
        Assert.Equal("""{"metadata":{},"status":"Success"}""", Encoding.UTF8.GetString(frames.Single(f => f[0] == 3)[1..]));

        using var refused = Socket("v1.channel.k8s.io");
        var error = await Assert.ThrowsAsync<WebSocketException>(() => refused.ConnectAsync(uri, CancellationToken.None));
        Assert.Contains("400", error.Message);
    }
}
