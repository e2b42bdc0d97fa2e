using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using k8s;
using MediaStack.Core.Errors;
using MediaStack.Core.Reconcile;
using MediaStack.Core.Tests.Cluster;
using MediaStack.Core.Workloads;
using static MediaStack.Core.Tests.Workloads.Manifest;

namespace MediaStack.Core.Tests.Reconcile;

// The cluster writer and the rollout waiter against a scripted API server on 127.0.0.1: what
// goes over the wire (one JSON patch, its content type, the resourceVersion test), the retry
// after a concurrent edit, the checks before writing, and a failed rollout's reasons. The
// sandbox tests cover the same against a full cluster.
[Collection(nameof(LocalHttpServers))]
public sealed class ClusterWriterTests : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly List<(string Method, string Path, string? ContentType, string Body)> _requests = [];
    private readonly Queue<(int Status, string Body)> _answers = new();
    // Fixed answers by path (and query; the longest prefix wins), for reads a test repeats;
    // the queue serves the rest.
    private readonly Dictionary<string, (int Status, string Body)> _routes = new(StringComparer.Ordinal);
    private readonly Task _serving;
    private readonly string _url;
    private readonly Kubernetes _client;

    public ClusterWriterTests()
    {
        var port = FreePort();
        _url = $"http://127.0.0.1:{port}/";
        _listener.Prefixes.Add(_url);
        _listener.Start();
        _serving = Task.Run(ServeAsync);
        _client = new Kubernetes(new KubernetesClientConfiguration { Host = _url });
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
                var route = _routes.Keys.Where(key => context.Request.Url!.PathAndQuery.StartsWith(key, StringComparison.Ordinal)).MaxBy(key => key.Length);
                answer = route is not null ? _routes[route]
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

    private const string NotFound = """{"kind":"Status","apiVersion":"v1","status":"Failure","reason":"NotFound","code":404}""";

    private static string Deployment(string resourceVersion, string propagation = "None", string labels = "{}") => """
        {"apiVersion":"apps/v1","kind":"Deployment",
         "metadata":{"name":"sonarr","namespace":"media-stack","resourceVersion":"RV","generation":3,"labels":LABELS},
         "spec":{"template":{"spec":{"containers":[{"name":"sonarr","image":"x","futureField":{"kept":true},
           "volumeMounts":[{"name":"media-storage","mountPath":"/mnt/media","mountPropagation":"PROPAGATION"}]}],
           "volumes":[{"name":"media-storage","persistentVolumeClaim":{"claimName":"media-library-pvc"}}]}}}}
        """.Replace("\"RV\"", $"\"{resourceVersion}\"").Replace("\"PROPAGATION\"", $"\"{propagation}\"").Replace("LABELS", labels);

    private ClusterWriter Writer => new(_client);

    private static ChangePlan Plan(JsonObject resource, ChangeRequest request) => ChangePlanner.Plan(Workload.From(resource, StackConfig), request);

    private static readonly ChangeRequest AddZurg = new() { Action = ChangeAction.AddSidecars, Mounts = ["zurg"] };

    [Fact]
    public async Task Sends_one_guarded_json_patch_and_retries_after_a_concurrent_edit()
    {
        const string Invalid = """{"kind":"Status","apiVersion":"v1","status":"Failure","message":"the server rejected our request due to an error in our request","reason":"Invalid","code":422}""";
        _answers.Enqueue((200, Deployment("7")));
        _answers.Enqueue((422, Invalid));
        _answers.Enqueue((200, Deployment("8", "HostToContainer")));
        _answers.Enqueue((200, Deployment("9", "HostToContainer")));

        var first = await Writer.ReadAsync("media-stack", "Deployment", "sonarr", CancellationToken.None);
        var plan = Plan(first, AddZurg);
        var (after, applied) = await Writer.ApplyAsync(plan, fresh => Plan(fresh, AddZurg), CancellationToken.None);

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
        Assert.Equal("8", (string?)applied.Before["metadata"]!["resourceVersion"]);
    }

    [Fact]
    public async Task An_invalid_patch_on_an_unchanged_object_is_not_retried()
    {
        const string Forbidden = """{"kind":"Status","apiVersion":"v1","status":"Failure","message":"Deployment.apps \"sonarr\" is invalid: spec.template.spec.containers[0].volumeMounts[0].mountPropagation: Forbidden: Bidirectional mount propagation is available only to privileged containers","reason":"Invalid","code":422}""";
        _answers.Enqueue((422, Forbidden));
        _answers.Enqueue((200, Deployment("7")));
        var plan = Plan(JsonNode.Parse(Deployment("7"))!.AsObject(), AddZurg);

        var error = await Assert.ThrowsAsync<k8s.Autorest.HttpOperationException>(() =>
            Writer.ApplyAsync(plan, fresh => Plan(fresh, AddZurg), CancellationToken.None));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, error.Response.StatusCode);
        Assert.Equal(["PATCH", "GET"], _requests.Select(request => request.Method));
    }

    [Fact]
    public async Task Only_controllers_are_read_and_a_missing_one_says_so()
    {
        var pod = await Assert.ThrowsAsync<MediaStackException>(() => Writer.ReadAsync("media-stack", "Pod", "sonarr-7c-x", CancellationToken.None));
        Assert.Equal((ErrorIds.NotADeployment, "A Pod's pod spec cannot be changed in place; change the Deployment, StatefulSet or DaemonSet that creates 'sonarr-7c-x'."), (pod.ErrorId, pod.Message));
        Assert.Empty(_requests);

        _answers.Enqueue((404, NotFound));
        var missing = await Assert.ThrowsAsync<MediaStackException>(() => Writer.ReadAsync("media-stack", "StatefulSet", "jellyfin", CancellationToken.None));
        Assert.Equal((ErrorIds.DeploymentNotFound, "StatefulSet 'jellyfin' does not exist in namespace 'media-stack'."), (missing.ErrorId, missing.Message));
        Assert.Equal("/apis/apps/v1/namespaces/media-stack/statefulsets/jellyfin", Assert.Single(_requests).Path);
    }

    [Fact]
    public async Task Preflight_names_every_reason_not_to_write_at_once()
    {
        var live = JsonNode.Parse(Deployment("7", labels: """{"app.kubernetes.io/instance":"media-sonarr"}"""))!.AsObject();
        var plan = Plan(live, new ChangeRequest { Action = ChangeAction.AddSidecars });
        _routes["/api/v1/namespaces/media-stack/secrets/rclone-zurg-config"] = (200, """{"kind":"Secret","apiVersion":"v1","metadata":{"name":"rclone-zurg-config","namespace":"media-stack"}}""");
        _routes["/api/v1/namespaces/media-stack/secrets/rclone-config"] = (404, NotFound);
        _routes["/apis/security.openshift.io/v1/securitycontextconstraints/privileged"] = (404, NotFound);
        _routes["/api/v1/namespaces/media-stack"] = (200, """{"kind":"Namespace","apiVersion":"v1","metadata":{"name":"media-stack","labels":{"pod-security.kubernetes.io/enforce":"baseline"}}}""");

        var refused = await Writer.PreflightAsync(plan, force: false, grantPrivilege: false, CancellationToken.None);
        var granting = await Writer.PreflightAsync(plan, force: true, grantPrivilege: true, CancellationToken.None);

        Assert.Equal([ErrorIds.ManagedByArgoCD, ErrorIds.RcloneSecretMissing, ErrorIds.PrivilegeMissing], refused.Problems.Select(problem => problem.ErrorId));
        Assert.Equal("Secret 'rclone-config' (the rclone.conf of the sidecar) does not exist in namespace 'media-stack'; the pod would stay in ContainerCreating.", refused.Problems[1].Message);
        Assert.Equal("Run again with -GrantPrivilege, or: kubectl label namespace media-stack pod-security.kubernetes.io/enforce=privileged --overwrite", refused.Problems[2].RecommendedAction);
        Assert.Equal(("default", false, false, "namespace label pod-security.kubernetes.io/enforce=baseline"),
            (refused.Privilege!.ServiceAccount, refused.Privilege.Allowed, refused.Privilege.OpenShift, refused.Privilege.Evidence));
        Assert.Empty(refused.Warnings);
        Assert.Equal([ErrorIds.RcloneSecretMissing], granting.Problems.Select(problem => problem.ErrorId));
    }

    [Fact]
    public async Task On_OpenShift_the_privilege_comes_from_the_SCC()
    {
        _routes["/apis/security.openshift.io/v1/securitycontextconstraints/privileged"] = (200, """{"kind":"SecurityContextConstraints","apiVersion":"security.openshift.io/v1","metadata":{"name":"privileged"},"users":["system:serviceaccount:media-stack:plex"],"groups":[]}""");
        _routes["/apis/authorization.k8s.io/v1/subjectaccessreviews"] = (201, """{"kind":"SubjectAccessReview","apiVersion":"authorization.k8s.io/v1","spec":{},"status":{"allowed":false}}""");

        var listed = await Writer.CheckPrivilegeAsync("media-stack", "plex", CancellationToken.None);
        var denied = await Writer.CheckPrivilegeAsync("media-stack", "managers", CancellationToken.None);

        Assert.Equal((true, true, "listed in the privileged SCC's users or groups"), (listed.Allowed, listed.OpenShift, listed.Evidence));
        Assert.Equal((false, true, "no RBAC grant of use on SCC privileged and not in its users/groups"), (denied.Allowed, denied.OpenShift, denied.Evidence));
        Assert.Equal("oc adm policy add-scc-to-user privileged -z managers -n media-stack", denied.Fix);
    }

    [Fact]
    public async Task A_failed_rollout_says_why()
    {
        _routes["/apis/apps/v1/namespaces/media-stack/deployments/prowlarr"] = (200, """
            {"kind":"Deployment","apiVersion":"apps/v1","metadata":{"name":"prowlarr","namespace":"media-stack","uid":"d-1","generation":4},
             "spec":{"replicas":1,"selector":{"matchLabels":{"app":"prowlarr"}}},
             "status":{"observedGeneration":4,"replicas":0,"updatedReplicas":0,
               "conditions":[{"type":"ReplicaFailure","status":"True","reason":"FailedCreate","message":"pods \"prowlarr-5f\" is forbidden: unable to validate against any security context constraint"}]}}
            """);
        _routes["/apis/apps/v1/namespaces/media-stack/replicasets"] = (200, """
            {"kind":"ReplicaSetList","apiVersion":"apps/v1","metadata":{},"items":[
              {"metadata":{"name":"prowlarr-5f","namespace":"media-stack","uid":"rs-1","ownerReferences":[{"apiVersion":"apps/v1","kind":"Deployment","name":"prowlarr","uid":"d-1"}],
                "annotations":{"deployment.kubernetes.io/revision":"2"}},"spec":{"selector":{"matchLabels":{"app":"prowlarr","pod-template-hash":"5f"}}}}]}
            """);
        _routes["/api/v1/namespaces/media-stack/pods"] = (200, """{"kind":"PodList","apiVersion":"v1","metadata":{},"items":[]}""");
        _routes["/api/v1/namespaces/media-stack/events"] = (200, """
            {"kind":"EventList","apiVersion":"v1","metadata":{},"items":[
              {"metadata":{"name":"e1","namespace":"media-stack"},"involvedObject":{"name":"prowlarr-5f"},"type":"Warning","reason":"FailedCreate","message":"Error creating: pods is forbidden: unable to validate against any security context constraint"}]}
            """);
        var progress = new List<RolloutProgress>();

        var error = await Assert.ThrowsAsync<MediaStackException>(() =>
            new RolloutWaiter(_client).WaitAsync("media-stack", "Deployment", "prowlarr", 4, TimeSpan.FromSeconds(30), progress.Add, CancellationToken.None));

        Assert.Equal(ErrorIds.RolloutFailed, error.ErrorId);
        Assert.StartsWith("The rollout of Deployment 'prowlarr' failed: FailedCreate: pods \"prowlarr-5f\" is forbidden", error.Message);
        Assert.Contains("prowlarr-5f: FailedCreate: Error creating: pods is forbidden: unable to validate against any security context constraint", error.Message);
        Assert.Equal("0 of 1 updated, 0 available", Assert.Single(progress).Status);
    }

    [Fact]
    public async Task A_replica_failure_from_before_the_wait_is_waited_out_and_explained_on_timeout()
    {
        // Pods refused until a grant that has just happened: the controller retries.
        var before = DateTime.UtcNow.AddMinutes(-10).ToString("yyyy-MM-ddTHH:mm:ssZ");
        _routes["/apis/apps/v1/namespaces/media-stack/deployments/prowlarr"] = (200, $$$$"""
            {"kind":"Deployment","apiVersion":"apps/v1","metadata":{"name":"prowlarr","namespace":"media-stack","uid":"d-1","generation":4},
             "spec":{"replicas":1,"selector":{"matchLabels":{"app":"prowlarr"}}},
             "status":{"observedGeneration":4,"replicas":0,"updatedReplicas":0,
               "conditions":[{"type":"ReplicaFailure","status":"True","lastTransitionTime":"{{{{before}}}}","reason":"FailedCreate","message":"pods \"prowlarr-5f\" is forbidden"}]}}
            """);
        _routes["/apis/apps/v1/namespaces/media-stack/replicasets"] = (200, """{"kind":"ReplicaSetList","apiVersion":"apps/v1","metadata":{},"items":[]}""");
        _routes["/api/v1/namespaces/media-stack/events"] = (200, """{"kind":"EventList","apiVersion":"v1","metadata":{},"items":[]}""");

        var error = await Assert.ThrowsAsync<MediaStackException>(() =>
            new RolloutWaiter(_client).WaitAsync("media-stack", "Deployment", "prowlarr", 4, TimeSpan.FromSeconds(1.5), null, CancellationToken.None));

        Assert.Equal(ErrorIds.RolloutTimedOut, error.ErrorId);
        Assert.True(_requests.Count(request => request.Path.EndsWith("/deployments/prowlarr", StringComparison.Ordinal)) >= 2, "it read the Deployment again instead of failing at once");
    }

    [Fact]
    public async Task A_finished_statefulset_rollout_names_its_pods()
    {
        _routes["/apis/apps/v1/namespaces/media-stack/statefulsets/jellyfin"] = (200, """
            {"kind":"StatefulSet","apiVersion":"apps/v1","metadata":{"name":"jellyfin","namespace":"media-stack","uid":"s-1","generation":2},
             "spec":{"replicas":1,"selector":{"matchLabels":{"app":"jellyfin"}}},
             "status":{"observedGeneration":2,"replicas":1,"updatedReplicas":1,"readyReplicas":1}}
            """);
        _routes["/api/v1/namespaces/media-stack/pods"] = (200, """
            {"kind":"PodList","apiVersion":"v1","metadata":{},"items":[
              {"metadata":{"name":"jellyfin-0","namespace":"media-stack","ownerReferences":[{"apiVersion":"apps/v1","kind":"StatefulSet","name":"jellyfin","uid":"s-1"}]}},
              {"metadata":{"name":"jellyfin-old","namespace":"media-stack","deletionTimestamp":"2026-11-25T20:00:00Z","ownerReferences":[{"apiVersion":"apps/v1","kind":"StatefulSet","name":"jellyfin","uid":"s-1"}]}},
              {"metadata":{"name":"other-0","namespace":"media-stack","ownerReferences":[{"apiVersion":"apps/v1","kind":"StatefulSet","name":"other","uid":"s-2"}]}}]}
            """);
        var progress = new List<RolloutProgress>();

        var pods = await new RolloutWaiter(_client).WaitAsync("media-stack", "StatefulSet", "jellyfin", 2, TimeSpan.FromSeconds(30), progress.Add, CancellationToken.None);

        Assert.Equal(["jellyfin-0"], pods);
        Assert.Equal(new RolloutProgress("1 of 1 updated, 1 available", 1, 1, 1), Assert.Single(progress));
    }

    [Fact]
    public void ArgoCD_ownership_is_read_from_the_tracking_id_or_the_instance_label()
    {
        var tracked = JsonNode.Parse("""{"metadata":{"annotations":{"argocd.argoproj.io/tracking-id":"media-lidarr:apps/Deployment:media-stack/lidarr"}}}""")!.AsObject();
        var labelled = JsonNode.Parse("""{"metadata":{"labels":{"app.kubernetes.io/instance":"lidarr-prod"}}}""")!.AsObject();
        var plain = JsonNode.Parse("""{"metadata":{"labels":{"app":"lidarr"}}}""")!.AsObject();

        Assert.Equal("media-lidarr", ClusterWriter.ArgoApplication(tracked));
        Assert.Equal("lidarr-prod", ClusterWriter.ArgoApplication(labelled));
        Assert.Null(ClusterWriter.ArgoApplication(plain));
    }

    [Fact]
    public void A_live_edit_of_an_ArgoCD_object_is_refused_unless_forced()
    {
        var workload = Workload.From(JsonNode.Parse(Deployment("7", labels: """{"app.kubernetes.io/instance":"media-sonarr"}"""))!.AsObject(), StackConfig);

        var problem = ClusterWriter.ArgoProblem(workload, force: false)!;

        Assert.Equal((ErrorIds.ManagedByArgoCD, "Deployment 'sonarr' is managed by the ArgoCD application 'media-sonarr'; with self-heal ArgoCD reverts a live edit within minutes."), (problem.ErrorId, problem.Message));
        Assert.StartsWith("Change the manifest in git instead (the same cmdlet with -Path <repo>/apps/sonarr/base", problem.RecommendedAction);
        Assert.Null(ClusterWriter.ArgoProblem(workload, force: true));
    }

    public void Dispose()
    {
        _client.Dispose();
        _listener.Stop();
        _listener.Close();
        _serving.Wait(TimeSpan.FromSeconds(5));
    }
}
