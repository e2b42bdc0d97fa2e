using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;

namespace MediaStack.Sandbox.Tests;

// Deployment -> ReplicaSet -> Pod controllers, the scheduler and garbage collection, seen
// through the API as a client sees them.
public sealed class ControllerTests(SandboxFixture sandbox) : IClassFixture<SandboxFixture>
{
    const string Apps = "/apis/apps/v1/namespaces/media-stack";
    const string Core = "/api/v1/namespaces/media-stack";

    static JsonObject Deployment(string name, string strategy, int replicas, string image = "alpine:3") => JsonNode.Parse("""
        {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"NAME"},
         "spec":{"replicas":REPLICAS,"strategy":{"type":"STRATEGY"},"selector":{"matchLabels":{"app":"NAME"}},
          "template":{"metadata":{"labels":{"app":"NAME"}},"spec":{"containers":[{"name":"main","image":"IMAGE"}]}}}}
        """.Replace("NAME", name).Replace("REPLICAS", replicas.ToString()).Replace("STRATEGY", strategy).Replace("IMAGE", image))!.AsObject();

    async Task<List<JsonObject>> Items(HttpClient http, string path) =>
        (await SandboxFixture.Json(await http.GetAsync(path)))["items"]!.AsArray().Select(i => i!.AsObject()).ToList();

    async Task SetImage(HttpClient http, string name, string image)
    {
        var patch = new StringContent("""{"spec":{"template":{"spec":{"containers":[{"name":"main","image":"IMAGE"}]}}}}""".Replace("IMAGE", image), Encoding.UTF8, "application/strategic-merge-patch+json");
        Assert.Equal(200, (int)(await http.PatchAsync($"{Apps}/deployments/{name}", patch)).StatusCode);
    }

    async Task Rollout(string name)
    {
        var r = await sandbox.Kubectl.Run("rollout", "status", $"deploy/{name}", "--timeout=30s");
        Assert.True(r.Exit == 0, r.ToString());
    }

    [Fact]
    public async Task Recreate_removes_every_old_pod_before_a_new_one_exists()
    {
        using var http = sandbox.Http();
        await http.PostAsJsonAsync($"{Apps}/deployments", Deployment("recreate", "Recreate", 2));
        await Rollout("recreate");
        var overlap = false;
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var watchClient = sandbox.Http();
        var stream = await watchClient.GetStreamAsync($"{Core}/pods?watch=1&labelSelector=app%3Drecreate", cts.Token);
        var reader = new StreamReader(stream);
        await SetImage(http, "recreate", "alpine:3.20");
        var images = new Dictionary<string, string>();
        while (await reader.ReadLineAsync(cts.Token) is { } line)
        {
            var e = JsonNode.Parse(line)!;
            var pod = e["object"]!;
            var name = pod["metadata"]!["name"]!.GetValue<string>();
            if (e["type"]!.GetValue<string>() == "DELETED") images.Remove(name);
            else images[name] = pod["spec"]!["containers"]![0]!["image"]!.GetValue<string>();
            if (images.Values.Distinct().Count() > 1) overlap = true;
            if (images.Count == 2 && images.Values.All(i => i == "alpine:3.20")) break;
        }
        Assert.False(overlap, "old and new pods existed at the same time");
        await Rollout("recreate");
        var rs = await Items(http, $"{Apps}/replicasets?labelSelector=app%3Drecreate");
        Assert.Equal(2, rs.Count);
        Assert.Equal([0L, 2L], rs.Select(r => r["spec"]!["replicas"]!.GetValue<long>()).Order());
        Assert.Equal(["1", "2"], rs.Select(r => r["metadata"]!["annotations"]!["deployment.kubernetes.io/revision"]!.GetValue<string>()).Order());
        var events = await Items(http, $"{Core}/events?fieldSelector=involvedObject.name%3Drecreate,reason%3DScalingReplicaSet");
        Assert.Contains(events, e => e["message"]!.GetValue<string>().StartsWith("Scaled down replica set recreate-") && e["message"]!.GetValue<string>().EndsWith(" from 2 to 0"));
    }

    [Fact]
    public async Task Replica_sets_replace_pods_that_disappear()
    {
        using var http = sandbox.Http();
        await http.PostAsJsonAsync($"{Apps}/deployments", Deployment("heal", "RollingUpdate", 1));
        await Rollout("heal");
        var first = (await Items(http, $"{Core}/pods?labelSelector=app%3Dheal")).Single()["metadata"]!["name"]!.GetValue<string>();
        var delete = await sandbox.Kubectl.Run("delete", "pod", first);
        Assert.True(delete.Exit == 0, delete.ToString());
        await SandboxFixture.WaitFor(async () =>
        {
            var pods = await Items(http, $"{Core}/pods?labelSelector=app%3Dheal");
            return pods.Count == 1 && pods[0]["metadata"]!["name"]!.GetValue<string>() != first && pods[0]["status"]?["phase"]?.GetValue<string>() == "Running";
        }, TimeSpan.FromSeconds(20), "no replacement pod");
        var created = await Items(http, $"{Core}/events?fieldSelector=reason%3DSuccessfulCreate");
        Assert.True(created.Count(e => e["message"]!.GetValue<string>().StartsWith("Created pod: heal-")) >= 2);
    }

    [Fact]
    public async Task Deleting_a_deployment_cascades_unless_orphaned()
    {
        using var http = sandbox.Http();
        await http.PostAsJsonAsync($"{Apps}/deployments", Deployment("cascade", "RollingUpdate", 2));
        await http.PostAsJsonAsync($"{Apps}/deployments", Deployment("orphan", "RollingUpdate", 1));
        await Rollout("cascade");
        await Rollout("orphan");

        var foreground = await sandbox.Kubectl.Run("delete", "deploy", "cascade", "--cascade=foreground", "--timeout=30s");
        Assert.True(foreground.Exit == 0, foreground.ToString());
        Assert.Equal("deployment.apps \"cascade\" deleted", foreground.Stdout);
        Assert.Empty(await Items(http, $"{Apps}/replicasets?labelSelector=app%3Dcascade"));
        Assert.Empty(await Items(http, $"{Core}/pods?labelSelector=app%3Dcascade"));

        var orphan = await sandbox.Kubectl.Run("delete", "deploy", "orphan", "--cascade=orphan");
        Assert.True(orphan.Exit == 0, orphan.ToString());
        await Task.Delay(300);
        var rs = Assert.Single(await Items(http, $"{Apps}/replicasets?labelSelector=app%3Dorphan"));
        Assert.Null(rs["metadata"]!["ownerReferences"]);
        Assert.Single(await Items(http, $"{Core}/pods?labelSelector=app%3Dorphan"));
    }

    [Fact]
    public async Task Rollout_status_reports_an_exceeded_progress_deadline()
    {
        using var http = sandbox.Http();
        var stuck = Deployment("stuck", "RollingUpdate", 1);
        stuck["spec"]!["progressDeadlineSeconds"] = 1;
        stuck["spec"]!["template"]!["spec"]!["nodeSelector"] = new JsonObject { ["disk"] = "ssd" };
        await http.PostAsJsonAsync($"{Apps}/deployments", stuck);
        var r = await sandbox.Kubectl.Run("rollout", "status", "deploy/stuck", "--timeout=20s");
        Assert.Equal(1, r.Exit);
        Assert.Equal("error: deployment \"stuck\" exceeded its progress deadline", r.Stderr);
        var pod = Assert.Single(await Items(http, $"{Core}/pods?labelSelector=app%3Dstuck"));
        Assert.Equal("Pending", pod["status"]!["phase"]!.GetValue<string>());
    }

    [Fact]
    public async Task Scheduler_honours_required_affinity_and_spreads_otherwise()
    {
        using var http = sandbox.Http();
        var pinned = Deployment("pinned", "RollingUpdate", 3);
        pinned["spec"]!["template"]!["spec"]!["affinity"] = JsonNode.Parse("""
            {"nodeAffinity":{"requiredDuringSchedulingIgnoredDuringExecution":{"nodeSelectorTerms":[
              {"matchExpressions":[{"key":"kubernetes.io/hostname","operator":"NotIn","values":["wow-ocp-node2"]}]}]}}}
            """);
        await http.PostAsJsonAsync($"{Apps}/deployments", pinned);
        await Rollout("pinned");
        var nodes = (await Items(http, $"{Core}/pods?labelSelector=app%3Dpinned")).Select(p => p["spec"]!["nodeName"]!.GetValue<string>()).ToList();
        Assert.Equal(3, nodes.Count);
        Assert.DoesNotContain("wow-ocp-node2", nodes);
        Assert.Equal(2, nodes.Distinct().Count());
    }

    [Fact]
    public async Task Rollout_undo_reuses_the_old_replica_set_under_a_new_revision()
    {
        using var http = sandbox.Http();
        await http.PostAsJsonAsync($"{Apps}/deployments", Deployment("undo", "RollingUpdate", 1));
        await Rollout("undo");
        var first = Assert.Single(await Items(http, $"{Apps}/replicasets?labelSelector=app%3Dundo"))["metadata"]!["name"]!.GetValue<string>();
        await SetImage(http, "undo", "alpine:3.20");
        await Rollout("undo");
        var undo = await sandbox.Kubectl.Run("rollout", "undo", "deploy/undo");
        Assert.True(undo.Exit == 0, undo.ToString());
        Assert.Equal("deployment.apps/undo rolled back", undo.Stdout);
        await Rollout("undo");
        var sets = await Items(http, $"{Apps}/replicasets?labelSelector=app%3Dundo");
        Assert.Equal(2, sets.Count);
        var reused = sets.Single(r => r["metadata"]!["name"]!.GetValue<string>() == first);
        Assert.Equal("3", reused["metadata"]!["annotations"]!["deployment.kubernetes.io/revision"]!.GetValue<string>());
        Assert.Equal(1, reused["spec"]!["replicas"]!.GetValue<long>());
    }

    [Fact]
    public async Task Deleting_a_namespace_empties_it_first()
    {
        using var http = sandbox.Http();
        Assert.Equal(201, (int)(await http.PostAsJsonAsync("/api/v1/namespaces", JsonNode.Parse("""{"metadata":{"name":"scratch"}}"""))).StatusCode);
        Assert.Equal(201, (int)(await http.PostAsJsonAsync("/apis/apps/v1/namespaces/scratch/deployments", Deployment("temp", "RollingUpdate", 1))).StatusCode);
        Assert.Equal(201, (int)(await http.PostAsJsonAsync("/api/v1/namespaces/scratch/configmaps", JsonNode.Parse("""{"metadata":{"name":"c"}}"""))).StatusCode);
        await SandboxFixture.WaitFor(async () => (await Items(http, "/api/v1/namespaces/scratch/pods")).Count == 1, TimeSpan.FromSeconds(10), "no pod in scratch");
        var delete = await sandbox.Kubectl.Run("delete", "ns", "scratch", "--timeout=30s");
        Assert.True(delete.Exit == 0, delete.ToString());
        Assert.Equal(404, (int)(await http.GetAsync("/api/v1/namespaces/scratch")).StatusCode);
        Assert.Empty(await Items(http, "/api/v1/namespaces/scratch/pods"));
        Assert.Empty(await Items(http, "/api/v1/namespaces/scratch/configmaps"));
        Assert.Empty(await Items(http, "/apis/apps/v1/namespaces/scratch/replicasets"));
    }
}
