using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using k8s;
using MediaStack.Core.Config;
using MediaStack.Core.Sidecars.Reconcile;
using MediaStack.Core.Tests.Cluster;

namespace MediaStack.Core.Tests.Reconcile;

// The cluster applier against a scripted API server on 127.0.0.1: what goes over the wire
// (one JSON patch, its content type, the resourceVersion test) and the retry after a
// concurrent edit. The sandbox tests cover the same against a full cluster.
[Collection(nameof(LocalHttpServers))]
public sealed class ClusterSidecarApplierTests : IDisposable
{
    private static readonly MediaStackConfig Config = MediaStackConfig.Default with { TimeZone = "Etc/UTC" };
    private readonly HttpListener _listener = new();
    private readonly List<(string Method, string Path, string? ContentType, string Body)> _requests = [];
    private readonly Queue<(int Status, string Body)> _answers = new();
    // Fixed answers by path (and query), for reads a test repeats; the queue serves the rest.
    private readonly Dictionary<string, string> _routes = new(StringComparer.Ordinal);
    private readonly Task _serving;
    private readonly string _url;

    public ClusterSidecarApplierTests()
    {
        var port = FreePort();
        _url = $"http://127.0.0.1:{port}/";
        _listener.Prefixes.Add(_url);
        _listener.Start();
        _serving = Task.Run(ServeAsync);
    }

    private static int FreePort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception) when (!_listener.IsListening)
            {
                return;
            }
            using var reader = new StreamReader(context.Request.InputStream);
            var body = await reader.ReadToEndAsync();
            (int Status, string Body) answer;
            lock (_requests)
            {
                _requests.Add((context.Request.HttpMethod, context.Request.Url!.AbsolutePath, context.Request.ContentType, body));
                var route = _routes.Keys.FirstOrDefault(key => context.Request.Url!.PathAndQuery.StartsWith(key, StringComparison.Ordinal));
                answer = route is not null ? (200, _routes[route])
                    : _answers.Count > 0 ? _answers.Dequeue()
                    : (500, """{"kind":"Status","code":500,"message":"unexpected request"}""");
            }
            var bytes = Encoding.UTF8.GetBytes(answer.Body);
            context.Response.StatusCode = answer.Status;
            context.Response.ContentType = "application/json";
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
    }

    private static string Deployment(string resourceVersion, string propagation = "None") => """
        {"apiVersion":"apps/v1","kind":"Deployment",
         "metadata":{"name":"sonarr","namespace":"media-stack","resourceVersion":"RV","generation":3},
         "spec":{"template":{"spec":{"containers":[{"name":"sonarr","image":"x","futureField":{"kept":true},
           "volumeMounts":[{"name":"media-storage","mountPath":"/mnt/media","mountPropagation":"PROPAGATION"}]}],
           "volumes":[{"name":"media-storage","persistentVolumeClaim":{"claimName":"media-library-pvc"}}]}}}}
        """.Replace("\"RV\"", $"\"{resourceVersion}\"").Replace("\"PROPAGATION\"", $"\"{propagation}\"");

    private ClusterSidecarApplier Applier(out IKubernetes client)
    {
        client = new Kubernetes(new KubernetesClientConfiguration { Host = _url });
        return new ClusterSidecarApplier(client);
    }

    [Fact]
    public async Task SendsOneGuardedJsonPatchAndRetriesAfterAConcurrentEdit()
    {
        const string Invalid = """{"kind":"Status","apiVersion":"v1","status":"Failure","message":"the server rejected our request due to an error in our request","reason":"Invalid","code":422}""";
        _answers.Enqueue((200, Deployment("7")));
        _answers.Enqueue((422, Invalid));
        _answers.Enqueue((200, Deployment("8", "HostToContainer")));
        _answers.Enqueue((200, Deployment("9", "HostToContainer")));
        var applier = Applier(out var client);
        using var _ = client as IDisposable;

        var first = await applier.ReadDeploymentAsync("media-stack", "sonarr", CancellationToken.None);
        var options = new SidecarPlanOptions { Mounts = ["zurg"] };
        var plan = SidecarPlanner.Plan(first, Config, options);
        var (after, applied) = await applier.ApplyAsync("media-stack", "sonarr", plan, fresh => SidecarPlanner.Plan(fresh, Config, options), CancellationToken.None);

        Assert.Equal("9", (string?)after["metadata"]!["resourceVersion"]);
        Assert.Equal(["GET", "PATCH", "GET", "PATCH"], _requests.Select(request => request.Method));
        Assert.All(_requests, request => Assert.Equal("/apis/apps/v1/namespaces/media-stack/deployments/sonarr", request.Path));
        var patches = _requests.Where(request => request.Method == "PATCH").ToList();
        Assert.All(patches, patch => Assert.StartsWith("application/json-patch+json", patch.ContentType));
        var firstPatch = JsonNode.Parse(patches[0].Body)!.AsArray();
        var secondPatch = JsonNode.Parse(patches[1].Body)!.AsArray();
        Assert.Equal("""{"op":"test","path":"/metadata/resourceVersion","value":"7"}""", firstPatch[0]!.ToJsonString());
        Assert.Equal("""{"op":"test","path":"/metadata/resourceVersion","value":"8"}""", secondPatch[0]!.ToJsonString());
        // The re-read showed the propagation already fixed by someone else: the new plan leaves it.
        Assert.Contains(firstPatch, operation => ((string)operation!["path"]!).EndsWith("/mountPropagation", StringComparison.Ordinal));
        Assert.DoesNotContain(secondPatch, operation => ((string)operation!["path"]!).EndsWith("/mountPropagation", StringComparison.Ordinal));
        // Only the change travels: the unknown field is never sent back.
        Assert.DoesNotContain("futureField", patches[1].Body);
        Assert.Equal(applied.Operations.Count + 1, secondPatch.Count);
    }

    [Fact]
    public async Task AnInvalidPatchOnAnUnchangedObjectIsNotRetried()
    {
        const string Forbidden = """{"kind":"Status","apiVersion":"v1","status":"Failure","message":"Deployment.apps \"sonarr\" is invalid: spec.template.spec.containers[0].volumeMounts[0].mountPropagation: Forbidden: Bidirectional mount propagation is available only to privileged containers","reason":"Invalid","code":422}""";
        _answers.Enqueue((422, Forbidden));
        _answers.Enqueue((200, Deployment("7")));
        var applier = Applier(out var client);
        using var _ = client as IDisposable;
        var plan = SidecarPlanner.Plan(JsonNode.Parse(Deployment("7"))!.AsObject(), Config);

        var error = await Assert.ThrowsAsync<k8s.Autorest.HttpOperationException>(() =>
            applier.ApplyAsync("media-stack", "sonarr", plan, fresh => SidecarPlanner.Plan(fresh, Config), CancellationToken.None));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, error.Response.StatusCode);
        Assert.Equal(["PATCH", "GET"], _requests.Select(request => request.Method));
    }

    [Fact]
    public async Task AFailedRolloutSaysWhy()
    {
        _routes["/apis/apps/v1/namespaces/media-stack/deployments/prowlarr"] = """
            {"kind":"Deployment","apiVersion":"apps/v1","metadata":{"name":"prowlarr","namespace":"media-stack","uid":"d-1","generation":4},
             "spec":{"replicas":1,"selector":{"matchLabels":{"app":"prowlarr"}}},
             "status":{"observedGeneration":4,"replicas":0,"updatedReplicas":0,
               "conditions":[{"type":"ReplicaFailure","status":"True","reason":"FailedCreate","message":"pods \"prowlarr-5f\" is forbidden: unable to validate against any security context constraint"}]}}
            """;
        _routes["/apis/apps/v1/namespaces/media-stack/replicasets"] = """
            {"kind":"ReplicaSetList","apiVersion":"apps/v1","metadata":{},"items":[
              {"metadata":{"name":"prowlarr-5f","namespace":"media-stack","uid":"rs-1","ownerReferences":[{"apiVersion":"apps/v1","kind":"Deployment","name":"prowlarr","uid":"d-1"}],
                "annotations":{"deployment.kubernetes.io/revision":"2"}},"spec":{"selector":{"matchLabels":{"app":"prowlarr","pod-template-hash":"5f"}}}}]}
            """;
        _routes["/api/v1/namespaces/media-stack/pods"] = """{"kind":"PodList","apiVersion":"v1","metadata":{},"items":[]}""";
        _routes["/api/v1/namespaces/media-stack/events"] = """
            {"kind":"EventList","apiVersion":"v1","metadata":{},"items":[
              {"metadata":{"name":"e1","namespace":"media-stack"},"involvedObject":{"name":"prowlarr-5f"},"type":"Warning","reason":"FailedCreate","message":"Error creating: pods is forbidden: unable to validate against any security context constraint"}]}
            """;
        var client = new Kubernetes(new KubernetesClientConfiguration { Host = _url });
        using var _ = client;
        var progress = new List<RolloutProgress>();

        var error = await Assert.ThrowsAsync<MediaStack.Core.Errors.MediaStackException>(() =>
            new RolloutWaiter(client).WaitAsync("media-stack", "prowlarr", 4, TimeSpan.FromSeconds(30), progress.Add, CancellationToken.None));

        Assert.Equal("RolloutFailed", error.ErrorId);
        Assert.StartsWith("The rollout of Deployment 'prowlarr' failed: FailedCreate: pods \"prowlarr-5f\" is forbidden", error.Message);
        Assert.Contains("prowlarr-5f: FailedCreate: Error creating: pods is forbidden: unable to validate against any security context constraint", error.Message);
        Assert.Equal("0 of 1 updated, 0 available", Assert.Single(progress).Status);
    }

    [Fact]
    public void ArgoCdOwnershipIsReadFromTheTrackingIdOrTheInstanceLabel()
    {
        var tracked = JsonNode.Parse("""{"metadata":{"annotations":{"argocd.argoproj.io/tracking-id":"media-lidarr:apps/Deployment:media-stack/lidarr"}}}""")!.AsObject();
        var labelled = JsonNode.Parse("""{"metadata":{"labels":{"app.kubernetes.io/instance":"lidarr-prod"}}}""")!.AsObject();
        var plain = JsonNode.Parse("""{"metadata":{"labels":{"app":"lidarr"}}}""")!.AsObject();
        Assert.Equal("media-lidarr", ClusterSidecarApplier.ArgoApplication(tracked));
        Assert.Equal("lidarr-prod", ClusterSidecarApplier.ArgoApplication(labelled));
        Assert.Null(ClusterSidecarApplier.ArgoApplication(plain));
    }

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        _serving.Wait(TimeSpan.FromSeconds(5));
    }
}
