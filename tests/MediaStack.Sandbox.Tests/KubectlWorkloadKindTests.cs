using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace MediaStack.Sandbox.Tests;

// StatefulSets and DaemonSets through the real kubectl: apply, the server-side tables,
// rollout status, strategic merge patches, scaling, node labels, deletion, and the API
// server's 422 texts. Each test works on objects of its own name.
public sealed class KubectlWorkloadKindTests(SandboxFixture sandbox) : IClassFixture<SandboxFixture>
{
    static readonly TimeSpan Settle = TimeSpan.FromSeconds(30);

    Kubectl Kubectl => sandbox.Kubectl;

    static string Fixture => File.ReadAllText(SandboxFixture.FixturePath("workload-kinds.yaml"));

    // The fixture's StatefulSet (or DaemonSet) alone, renamed.
    static string Only(string kind, string name) =>
        Fixture.Split("\n---\n").Single(d => d.Contains($"kind: {kind}\n"))
            .Replace(kind == "StatefulSet" ? "cache" : "node-agent", name);

    async Task<Kubectl.Result> Ok(params string[] args)
    {
        var r = await Kubectl.Run(args);
        Assert.True(r.Exit == 0, r.ToString());
        return r;
    }

    async Task Apply(string yaml)
    {
        var r = await Kubectl.RunWithInput(yaml, "apply", "-f", "-");
        Assert.True(r.Exit == 0, r.ToString());
    }

    async Task<JsonObject> Get(params string[] what) =>
        JsonNode.Parse((await Ok([.. new[] { "get" }, .. what, "-o", "json"])).Stdout)!.AsObject();

    async Task<List<JsonObject>> Pods(string selector) =>
        (await Get("pods", "-l", selector))["items"]!.AsArray().Select(p => p!.AsObject()).ToList();

    async Task<List<string>> EventMessages(string involved) =>
        (await Get("events", "--field-selector", $"involvedObject.name={involved}"))["items"]!.AsArray()
            .Select(e => e!["message"]!.GetValue<string>()).ToList();

    static string Label(JsonObject o, string key) => o["metadata"]!["labels"]![key]!.GetValue<string>();

    [Fact]
    public async Task Apply_creates_both_kinds_and_get_prints_their_server_side_tables()
    {
        var apply = await Kubectl.RunWithInput(Fixture, "apply", "-f", "-");
        Assert.True(apply.Exit == 0, apply.ToString());
        Assert.Equal("statefulset.apps/cache created\ndaemonset.apps/node-agent created", apply.Stdout);
        Assert.EndsWith("partitioned roll out complete: 2 new pods have been updated...", (await Ok("rollout", "status", "statefulset/cache", "--timeout=30s")).Stdout);
        Assert.EndsWith("daemon set \"node-agent\" successfully rolled out", (await Ok("rollout", "status", "daemonset/node-agent", "--timeout=30s")).Stdout);

        var sts = (await Ok("get", "sts")).Stdout.Split('\n');
        Assert.Matches(@"^NAME\s+READY\s+AGE$", sts[0]);
        Assert.Matches(@"^cache\s+2/2\s+\d+s$", sts.Single(l => l.StartsWith("cache ")));
        var ds = (await Ok("get", "ds")).Stdout.Split('\n');
        Assert.Matches(@"^NAME\s+DESIRED\s+CURRENT\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+NODE SELECTOR\s+AGE$", ds[0]);
        Assert.Matches(@"^node-agent\s+3\s+3\s+3\s+3\s+3\s+kubernetes\.io/os=linux\s+\d+s$", ds.Single(l => l.StartsWith("node-agent ")));
        var wide = (await Ok("get", "sts,ds", "-o", "wide")).Stdout;
        Assert.Matches(@"(?m)^statefulset\.apps/cache\s+2/2\s+\S+\s+redis,exporter\s+docker\.io/library/redis:7\.4,docker\.io/oliver006/redis_exporter:v1\.66\.0$", wide);
        Assert.Matches(@"(?m)^daemonset\.apps/node-agent\s+3\s+3\s+3\s+3\s+3\s+kubernetes\.io/os=linux\s+\S+\s+agent\s+docker\.io/library/alpine:3\.20\s+app=node-agent$", wide);
        var resources = (await Ok("api-resources", "--api-group=apps")).Stdout;
        Assert.Matches(@"(?m)^statefulsets\s+sts\s+apps/v1\s+true\s+StatefulSet$", resources);
        Assert.Matches(@"(?m)^daemonsets\s+ds\s+apps/v1\s+true\s+DaemonSet$", resources);
        Assert.Matches(@"(?m)^statefulset\.apps/cache\s", (await Ok("get", "all")).Stdout);

        var set = await Get("sts", "cache");
        Assert.Equal("OrderedReady", set["spec"]!["podManagementPolicy"]!.GetValue<string>());
        Assert.Equal("""{"rollingUpdate":{"partition":0},"type":"RollingUpdate"}""", set["spec"]!["updateStrategy"]!.ToJsonString());
        Assert.Equal(10, set["spec"]!["revisionHistoryLimit"]!.GetValue<int>());
        var revision = set["status"]!["updateRevision"]!.GetValue<string>();
        Assert.Matches("^cache-[bcdfghjklmnpqrstvwxz2456789]+$", revision);
        Assert.Equal(revision, set["status"]!["currentRevision"]!.GetValue<string>());
        foreach (var field in new[] { "replicas", "readyReplicas", "currentReplicas", "updatedReplicas", "availableReplicas" })
            Assert.Equal(2, set["status"]![field]!.GetValue<int>());
        var pods = (await Pods("app=cache")).OrderBy(p => p["metadata"]!["name"]!.GetValue<string>()).ToList();
        Assert.Equal(["cache-0", "cache-1"], pods.Select(p => p["metadata"]!["name"]!.GetValue<string>()));
        for (var i = 0; i < 2; i++)
        {
            Assert.Equal($"cache-{i}", Label(pods[i], "statefulset.kubernetes.io/pod-name"));
            Assert.Equal(i.ToString(), Label(pods[i], "apps.kubernetes.io/pod-index"));
            Assert.Equal(revision, Label(pods[i], "controller-revision-hash"));
            Assert.Equal("StatefulSet", pods[i]["metadata"]!["ownerReferences"]![0]!["kind"]!.GetValue<string>());
            Assert.Equal($"cache-{i}", pods[i]["spec"]!["hostname"]!.GetValue<string>());
            Assert.Equal($"data-cache-{i}", pods[i]["spec"]!["volumes"]![0]!["persistentVolumeClaim"]!["claimName"]!.GetValue<string>());
        }
        Assert.Matches(@"(?m)^data-cache-1\s+Bound\s", (await Ok("get", "pvc")).Stdout);

        var daemons = await Pods("app=node-agent");
        Assert.Equal(["wow-ocp-node2", "wow-ocp-node3", "wow-ocp-node4"], daemons.Select(p => p["spec"]!["nodeName"]!.GetValue<string>()).Order());
        Assert.All(daemons, p => Assert.Equal("1", Label(p, "pod-template-generation")));
        Assert.Equal("1", (await Get("ds", "node-agent"))["metadata"]!["annotations"]!["deprecated.daemonset.template.generation"]!.GetValue<string>());

        // Claim templates come back defaulted (kind, volumeMode, status) and are replaced as a
        // whole by a strategic merge, so kubectl always finds the StatefulSet changed, as on a
        // real cluster (kubernetes/kubernetes#66450); the stored object stays the same.
        var generation = set["metadata"]!["generation"]!.GetValue<int>();
        var again = await Kubectl.RunWithInput(Fixture, "apply", "-f", "-");
        Assert.Equal("statefulset.apps/cache configured\ndaemonset.apps/node-agent unchanged", again.Stdout);
        Assert.Equal(generation, (await Get("sts", "cache"))["metadata"]!["generation"]!.GetValue<int>());
    }

    [Fact]
    public async Task Strategic_patches_roll_a_statefulset_out_from_the_highest_ordinal_and_rollout_status_waits_for_it()
    {
        await Apply(Only("StatefulSet", "ordered").Replace("replicas: 2", "replicas: 3"));
        await Ok("rollout", "status", "sts/ordered", "--timeout=30s");
        var before = (await Get("sts", "ordered"))["status"]!["updateRevision"]!.GetValue<string>();

        // By merge key: the exporter's env changes, redis stays as it was.
        await Ok("patch", "sts", "ordered", "--type=strategic", "-p",
            """{"spec":{"template":{"spec":{"containers":[{"name":"exporter","env":[{"name":"REDIS_EXPORTER_LOG_FORMAT","value":"json"}]}]}}}}""");
        var rollout = await Ok("rollout", "status", "statefulset/ordered", "--timeout=60s");
        Assert.EndsWith("partitioned roll out complete: 3 new pods have been updated...", rollout.Stdout);
        var set = await Get("sts", "ordered");
        Assert.Equal(2, set["metadata"]!["generation"]!.GetValue<int>());
        Assert.Equal(2, set["status"]!["observedGeneration"]!.GetValue<int>());
        var after = set["status"]!["updateRevision"]!.GetValue<string>();
        Assert.NotEqual(before, after);
        Assert.Equal(after, set["status"]!["currentRevision"]!.GetValue<string>());
        var containers = set["spec"]!["template"]!["spec"]!["containers"]!.AsArray();
        Assert.Equal(["redis", "exporter"], containers.Select(c => c!["name"]!.GetValue<string>()));
        Assert.Equal(6379, containers[0]!["ports"]![0]!["containerPort"]!.GetValue<int>());
        Assert.Equal(["REDIS_ADDR", "REDIS_EXPORTER_LOG_FORMAT"], containers[1]!["env"]!.AsArray().Select(e => e!["name"]!.GetValue<string>()));
        Assert.All(await Pods("app=ordered"), p => Assert.Equal(after, Label(p, "controller-revision-hash")));
        var deletes = (await EventMessages("ordered")).Where(m => m.StartsWith("delete Pod ")).ToList();
        Assert.Equal(["delete Pod ordered-2 in StatefulSet ordered successful", "delete Pod ordered-1 in StatefulSet ordered successful",
            "delete Pod ordered-0 in StatefulSet ordered successful"], deletes);

        await Ok("patch", "sts", "ordered", "--type=strategic", "-p", """{"spec":{"template":{"spec":{"containers":[{"name":"exporter","$patch":"delete"}]}}}}""");
        await Ok("rollout", "status", "sts/ordered", "--timeout=60s");
        Assert.Equal(["redis"], (await Get("sts", "ordered"))["spec"]!["template"]!["spec"]!["containers"]!.AsArray().Select(c => c!["name"]!.GetValue<string>()));
        await SandboxFixture.WaitFor(async () => (await Pods("app=ordered")).All(p => p["spec"]!["containers"]!.AsArray().Count == 1), Settle, "old pods left");

        var scaled = await Ok("scale", "sts", "ordered", "--replicas=1");
        Assert.Equal("statefulset.apps/ordered scaled", scaled.Stdout);
        await SandboxFixture.WaitFor(async () => (await Pods("app=ordered")).Select(p => p["metadata"]!["name"]!.GetValue<string>()).SequenceEqual(["ordered-0"]),
            Settle, "scaled down pods left");
        // Two rollouts deleted every pod; scaling down, the two highest ones once more.
        var counts = (await Get("events", "--field-selector", "involvedObject.name=ordered"))["items"]!.AsArray()
            .Where(e => e!["reason"]!.GetValue<string>() == "SuccessfulDelete")
            .ToDictionary(e => e!["message"]!.GetValue<string>().Split(' ')[2], e => e!["count"]!.GetValue<int>());
        Assert.Equal(new Dictionary<string, int> { ["ordered-0"] = 2, ["ordered-1"] = 3, ["ordered-2"] = 3 }, counts);
    }

    [Fact]
    public async Task OrderedReady_waits_for_each_pod_to_be_ready_and_Parallel_does_not()
    {
        // No node has disk=ssd: every pod stays Pending.
        static string Stuck(string name, string policy) => Only("StatefulSet", name).Replace("replicas: 2", "replicas: 3")
            .Replace("    spec:\n      containers:", "    spec:\n      nodeSelector:\n        disk: ssd\n      containers:")
            .Replace("  serviceName:", $"  podManagementPolicy: {policy}\n  serviceName:");
        await Apply(Stuck("waits", "OrderedReady"));
        await Apply(Stuck("burst", "Parallel"));
        await SandboxFixture.WaitFor(async () => (await Pods("app=burst")).Count == 3, Settle, "Parallel did not create all pods at once");
        await SandboxFixture.WaitFor(async () => (await Get("sts", "waits"))["status"]?["replicas"]?.GetValue<int>() == 1, Settle, "no status for waits");
        Assert.Equal(["waits-0"], (await Pods("app=waits")).Select(p => p["metadata"]!["name"]!.GetValue<string>()));
        Assert.Equal("Pending", (await Pods("app=waits"))[0]["status"]!["phase"]!.GetValue<string>());

        // A fixed template does not replace a pod that never became ready (as on a real
        // cluster, the broken pod has to be deleted); once it is, the rest follow in order.
        await Ok("patch", "sts", "waits", "--type=json", "-p", """[{"op":"remove","path":"/spec/template/spec/nodeSelector"}]""");
        var notYet = await Kubectl.Run("rollout", "status", "sts/waits", "--timeout=3s");
        Assert.Equal(1, notYet.Exit);
        Assert.Contains("Waiting for 3 pods to be ready...", notYet.Stdout);
        Assert.Equal(["waits-0"], (await Pods("app=waits")).Select(p => p["metadata"]!["name"]!.GetValue<string>()));
        await Ok("delete", "pod", "waits-0");
        Assert.EndsWith("partitioned roll out complete: 3 new pods have been updated...", (await Ok("rollout", "status", "sts/waits", "--timeout=60s")).Stdout);
        var creates = (await Get("events", "--field-selector", "involvedObject.name=waits"))["items"]!.AsArray()
            .Where(e => e!["reason"]!.GetValue<string>() == "SuccessfulCreate" && e["message"]!.GetValue<string>().StartsWith("create Pod "))
            .ToDictionary(e => e!["message"]!.GetValue<string>(), e => e!["count"]!.GetValue<int>());
        Assert.Equal(2, creates["create Pod waits-0 in StatefulSet waits successful"]);
        Assert.Equal(1, creates["create Pod waits-1 in StatefulSet waits successful"]);
        Assert.Equal(1, creates["create Pod waits-2 in StatefulSet waits successful"]);
    }

    [Fact]
    public async Task A_daemonset_follows_node_labels_and_rolls_out_node_by_node()
    {
        await Apply(Only("DaemonSet", "edge-agent").Replace("kubernetes.io/os: linux", "role: edge"));
        try
        {
            async Task<string[]> Nodes() =>
                (await Pods("app=edge-agent")).Where(p => p["metadata"]!["deletionTimestamp"] is null)
                    .Select(p => p["spec"]!["nodeName"]?.GetValue<string>() ?? "").Order().ToArray();
            await SandboxFixture.WaitFor(async () => (await Get("ds", "edge-agent"))["status"]?["observedGeneration"] is not null, Settle, "no status");
            Assert.Empty(await Nodes());
            Assert.Matches(@"(?m)^edge-agent\s+0\s+0\s+0\s+0\s+0\s+role=edge\s", (await Ok("get", "ds", "edge-agent")).Stdout);

            await Ok("label", "node", "wow-ocp-node3", "wow-ocp-node4", "role=edge");
            await SandboxFixture.WaitFor(async () => (await Nodes()).SequenceEqual(["wow-ocp-node3", "wow-ocp-node4"]), Settle, "no pods on the labelled nodes");
            var pod = (await Pods("app=edge-agent"))[0];
            Assert.Equal("""[{"matchFields":[{"key":"metadata.name","operator":"In","values":["NODE"]}]}]""".Replace("NODE", pod["spec"]!["nodeName"]!.GetValue<string>()),
                pod["spec"]!["affinity"]!["nodeAffinity"]!["requiredDuringSchedulingIgnoredDuringExecution"]!["nodeSelectorTerms"]!.ToJsonString());
            Assert.Contains(pod["spec"]!["tolerations"]!.AsArray(), t => t!["key"]!.GetValue<string>() == "node.kubernetes.io/unschedulable" && t["effect"]!.GetValue<string>() == "NoSchedule");

            await Ok("patch", "ds", "edge-agent", "--type=strategic", "-p", """{"spec":{"template":{"spec":{"containers":[{"name":"agent","image":"docker.io/library/alpine:3.21"}]}}}}""");
            Assert.EndsWith("daemon set \"edge-agent\" successfully rolled out", (await Ok("rollout", "status", "ds/edge-agent", "--timeout=60s")).Stdout);
            var ds = await Get("ds", "edge-agent");
            Assert.Equal("2", ds["metadata"]!["annotations"]!["deprecated.daemonset.template.generation"]!.GetValue<string>());
            Assert.Equal("""{"currentNumberScheduled":2,"desiredNumberScheduled":2,"numberAvailable":2,"numberMisscheduled":0,"numberReady":2,"observedGeneration":2,"updatedNumberScheduled":2}""",
                new JsonObject(ds["status"]!.AsObject().OrderBy(p => p.Key).Select(p => KeyValuePair.Create(p.Key, p.Value?.DeepClone()))).ToJsonString());
            await SandboxFixture.WaitFor(async () => (await Pods("app=edge-agent")).All(p => Label(p, "pod-template-generation") == "2"), Settle, "old pods left");
            var messages = await EventMessages("edge-agent");
            Assert.Equal(2, messages.Count(m => Regex.IsMatch(m, "^Deleted pod: edge-agent-[a-z0-9]{5}$")));

            await Ok("label", "node", "wow-ocp-node3", "role-");
            await SandboxFixture.WaitFor(async () => (await Nodes()).SequenceEqual(["wow-ocp-node4"]), Settle, "the pod stayed on the unlabelled node");
        }
        finally
        {
            await Kubectl.Run("label", "node", "wow-ocp-node3", "wow-ocp-node4", "role-");
        }
    }

    [Fact]
    public async Task Invalid_objects_are_refused_with_the_api_servers_own_texts()
    {
        var mismatch = await Kubectl.RunWithInput(Only("StatefulSet", "bad").Replace("      labels:\n        app: bad", "      labels:\n        app: other"), "apply", "-f", "-");
        Assert.Equal(1, mismatch.Exit);
        Assert.Equal("The StatefulSet \"bad\" is invalid: spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"other\"}: `selector` does not match template `labels`", mismatch.Stderr);
        var dsMismatch = await Kubectl.RunWithInput(Only("DaemonSet", "bad").Replace("      labels:\n        app: bad", "      labels:\n        app: other"), "apply", "-f", "-");
        Assert.Equal(1, dsMismatch.Exit);
        Assert.Equal("The DaemonSet \"bad\" is invalid: spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"other\"}: `selector` does not match template `labels`", dsMismatch.Stderr);
        var surge = await Kubectl.RunWithInput(Only("DaemonSet", "surge").Replace("spec:\n  selector:", "spec:\n  updateStrategy:\n    rollingUpdate:\n      maxSurge: 1\n  selector:"), "apply", "-f", "-");
        Assert.Equal("The DaemonSet \"surge\" is invalid: spec.updateStrategy.rollingUpdate.maxSurge: Invalid value: 1: may not be set when maxUnavailable is non-zero", surge.Stderr);

        await Apply(Only("StatefulSet", "fixed"));
        var rename = await Kubectl.Run("patch", "sts", "fixed", "--type=merge", "-p", """{"spec":{"serviceName":"other"}}""");
        Assert.Equal(1, rename.Exit);
        Assert.Equal("The StatefulSet \"fixed\" is invalid: spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden", rename.Stderr);

        using var http = sandbox.Http();
        var body = new StringContent("""
            {"apiVersion":"apps/v1","kind":"StatefulSet","metadata":{"name":"raw"},
             "spec":{"selector":{"matchLabels":{"app":"raw"}},"template":{"metadata":{"labels":{"app":"x"}},"spec":{"containers":[{"name":"c","image":"alpine:3"}]}}}}
            """, System.Text.Encoding.UTF8, "application/json");
        var response = await http.PostAsync("/apis/apps/v1/namespaces/media-stack/statefulsets", body);
        Assert.Equal(422, (int)response.StatusCode);
        var status = await SandboxFixture.Json(response);
        Assert.Equal("Invalid", status["reason"]!.GetValue<string>());
        Assert.Equal("StatefulSet", status["details"]!["kind"]!.GetValue<string>());
        Assert.Equal("apps", status["details"]!["group"]!.GetValue<string>());
        Assert.Equal("spec.template.metadata.labels", status["details"]!["causes"]![0]!["field"]!.GetValue<string>());
    }

    [Fact]
    public async Task Deleting_the_owners_takes_their_pods_unless_orphaned_and_keeps_the_claims()
    {
        await Apply(Only("StatefulSet", "gone"));
        await Apply(Only("DaemonSet", "kept"));
        await Ok("rollout", "status", "sts/gone", "--timeout=30s");
        await Ok("rollout", "status", "ds/kept", "--timeout=30s");

        Assert.Equal("statefulset.apps \"gone\" deleted", (await Ok("delete", "sts", "gone")).Stdout);
        await SandboxFixture.WaitFor(async () => (await Pods("app=gone")).Count == 0, Settle, "the StatefulSet's pods stayed");
        Assert.Matches(@"(?m)^data-gone-0\s+Bound\s", (await Ok("get", "pvc")).Stdout);

        await Ok("delete", "ds", "kept", "--cascade=orphan");
        await Task.Delay(500);
        var orphans = await Pods("app=kept");
        Assert.Equal(3, orphans.Count);
        Assert.All(orphans, p => Assert.Null(p["metadata"]!["ownerReferences"]));
    }
}
