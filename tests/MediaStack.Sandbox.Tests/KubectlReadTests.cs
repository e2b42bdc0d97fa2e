using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace MediaStack.Sandbox.Tests;

// The real kubectl reading from the sandbox: tables, JSON/YAML, selectors, logs, exec.
public sealed class KubectlReadTests(SandboxFixture sandbox) : IClassFixture<SandboxFixture>
{
    Kubectl Kubectl => sandbox.Kubectl;

    async Task<string[]> WebPods()
    {
        var r = await Kubectl.Run("get", "pods", "-l", "app=web", "-o", "jsonpath={.items[*].metadata.name}");
        Assert.Equal(0, r.Exit);
        return r.Stdout.Split(' ', StringSplitOptions.RemoveEmptyEntries);
    }

    [Fact]
    public async Task Get_pods_prints_the_server_side_table()
    {
        var r = await Kubectl.Run("get", "pods");
        Assert.True(r.Exit == 0, r.ToString());
        var lines = r.Stdout.Split('\n');
        Assert.Matches(@"^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE$", lines[0]);
        var web = lines.Skip(1).Where(l => l.StartsWith("web-")).ToList();
        Assert.Equal(2, web.Count);
        Assert.All(web, l => Assert.Matches(@"^web-[bcdfghjklmnpqrstvwxz2456789]{8,10}-[bcdfghjklmnpqrstvwxz2456789]{5}\s+1/1\s+Running\s+0\s+\d+s$", l));
    }

    [Fact]
    public async Task Get_pods_wide_and_all_namespaces_add_their_columns()
    {
        var wide = await Kubectl.Run("get", "pods", "-o", "wide");
        Assert.Matches(@"^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\s+IP\s+NODE\s+NOMINATED NODE\s+READINESS GATES", wide.Stdout);
        Assert.Matches(@"wow-ocp-node[234]", wide.Stdout);
        var all = await Kubectl.Run("get", "pods", "-A");
        Assert.True(all.Exit == 0, all.ToString());
        Assert.Matches(@"^NAMESPACE\s+NAME\s+READY", all.Stdout);
        Assert.Equal(2, all.Stdout.Split('\n').Count(l => Regex.IsMatch(l, @"^media-stack\s+web-")));
    }

    [Fact]
    public async Task Get_pods_json_and_yaml_carry_the_objects()
    {
        var json = await Kubectl.Run("get", "pods", "-o", "json");
        Assert.True(json.Exit == 0, json.ToString());
        var list = JsonNode.Parse(json.Stdout)!.AsObject();
        Assert.Equal("List", list["kind"]!.GetValue<string>());
        var items = list["items"]!.AsArray().Select(i => i!.AsObject()).ToList();
        Assert.Equal(2, items.Count);
        Assert.All(items, i =>
        {
            Assert.Equal("Pod", i["kind"]!.GetValue<string>());
            Assert.Equal("Running", i["status"]!["phase"]!.GetValue<string>());
            Assert.Equal("ReplicaSet", i["metadata"]!["ownerReferences"]![0]!["kind"]!.GetValue<string>());
            Assert.Equal("restricted-v2", i["metadata"]!["annotations"]!["openshift.io/scc"]!.GetValue<string>());
        });
        var yaml = await Kubectl.Run("get", "pod", items[0]["metadata"]!["name"]!.GetValue<string>(), "-o", "yaml");
        Assert.True(yaml.Exit == 0, yaml.ToString());
        Assert.Contains("kind: Pod", yaml.Stdout);
        Assert.Contains("pod-template-hash:", yaml.Stdout);
        Assert.Contains("nodeName: wow-ocp-node", yaml.Stdout);
    }

    [Fact]
    public async Task Label_and_field_selectors_filter()
    {
        var byLabel = await Kubectl.Run("get", "pods", "-l", "app in (web),app!=other", "-o", "name");
        Assert.Equal(2, byLabel.Stdout.Split('\n').Length);
        var none = await Kubectl.Run("get", "pods", "-l", "!app");
        Assert.Equal(0, none.Exit);
        Assert.Equal("No resources found in media-stack namespace.", none.Stderr);
        var pods = await WebPods();
        var byName = await Kubectl.Run("get", "pods", "--field-selector", $"metadata.name={pods[0]},status.phase=Running", "-o", "name");
        Assert.Equal($"pod/{pods[0]}", byName.Stdout);
        var pending = await Kubectl.Run("get", "pods", "-A", "--field-selector", "status.phase=Pending", "-o", "name");
        Assert.Equal("", pending.Stdout);
        var events = await Kubectl.Run("get", "events", "--field-selector", $"involvedObject.name={pods[0]},reason=Scheduled", "-o", "jsonpath={.items[*].message}");
        Assert.Matches($@"^Successfully assigned media-stack/{pods[0]} to wow-ocp-node[234]$", events.Stdout);
    }

    [Fact]
    public async Task Limit_pages_with_a_continue_token()
    {
        using var http = sandbox.Http();
        var first = await SandboxFixture.Json(await http.GetAsync("/api/v1/namespaces/media-stack/pods?limit=1"));
        Assert.Single(first["items"]!.AsArray());
        var token = first["metadata"]!["continue"]!.GetValue<string>();
        Assert.Equal(1, first["metadata"]!["remainingItemCount"]!.GetValue<long>());
        var second = await SandboxFixture.Json(await http.GetAsync($"/api/v1/namespaces/media-stack/pods?limit=1&continue={Uri.EscapeDataString(token)}"));
        Assert.Single(second["items"]!.AsArray());
        Assert.Null(second["metadata"]!["continue"]);
        Assert.NotEqual(first["items"]![0]!["metadata"]!["name"]!.GetValue<string>(), second["items"]![0]!["metadata"]!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task Get_deploy_table_and_json_status()
    {
        var table = await Kubectl.Run("get", "deploy");
        Assert.Matches(@"^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE\nweb\s+2/2\s+2\s+2\s+\d+s$", table.Stdout);
        var json = JsonNode.Parse((await Kubectl.Run("get", "deploy", "web", "-o", "json")).Stdout)!;
        Assert.Equal(1, json["status"]!["observedGeneration"]!.GetValue<long>());
        Assert.Equal(2, json["status"]!["updatedReplicas"]!.GetValue<long>());
        Assert.Equal("1", json["metadata"]!["annotations"]!["deployment.kubernetes.io/revision"]!.GetValue<string>());
        var conditions = json["status"]!["conditions"]!.AsArray();
        Assert.Contains(conditions, c => c!["type"]!.GetValue<string>() == "Available" && c["status"]!.GetValue<string>() == "True");
        Assert.Contains(conditions, c => c!["type"]!.GetValue<string>() == "Progressing" && c["reason"]!.GetValue<string>() == "NewReplicaSetAvailable");
        using var http = sandbox.Http();
        var status = await SandboxFixture.Json(await http.GetAsync("/apis/apps/v1/namespaces/media-stack/deployments/web/status"));
        Assert.Equal(2, status["status"]!["availableReplicas"]!.GetValue<long>());
        var pod = (await WebPods())[0];
        var podStatus = await SandboxFixture.Json(await http.GetAsync($"/api/v1/namespaces/media-stack/pods/{pod}/status"));
        Assert.Equal("Running", podStatus["status"]!["phase"]!.GetValue<string>());
        var scale = await SandboxFixture.Json(await http.GetAsync("/apis/apps/v1/namespaces/media-stack/deployments/web/scale"));
        Assert.Equal("Scale", scale["kind"]!.GetValue<string>());
        Assert.Equal("app=web", scale["status"]!["selector"]!.GetValue<string>());
        var rollout = await Kubectl.Run("rollout", "status", "deploy/web", "--timeout=10s");
        Assert.Equal("deployment \"web\" successfully rolled out", rollout.Stdout);
    }

    [Fact]
    public async Task Get_scc_nodes_and_unknown_things()
    {
        var scc = await Kubectl.Run("get", "scc");
        Assert.True(scc.Exit == 0, scc.ToString());
        Assert.Matches(@"(?m)^privileged\s+\d+s$", scc.Stdout);
        Assert.Matches(@"(?m)^restricted-v2\s+\d+s$", scc.Stdout);
        var users = await Kubectl.Run("get", "scc", "privileged", "-o", "jsonpath={.allowPrivilegedContainer} {.users}");
        Assert.StartsWith("true [\"system:admin\"", users.Stdout);
        var nodes = await Kubectl.Run("get", "nodes", "-o", "name");
        Assert.Equal("node/wow-ocp-node2\nnode/wow-ocp-node3\nnode/wow-ocp-node4", nodes.Stdout);
        var missing = await Kubectl.Run("get", "pod", "nope");
        Assert.Equal(1, missing.Exit);
        Assert.Equal("Error from server (NotFound): pods \"nope\" not found", missing.Stderr);
        var missingDeploy = await Kubectl.Run("get", "deploy", "nope");
        Assert.Equal("Error from server (NotFound): deployments.apps \"nope\" not found", missingDeploy.Stderr);
        var unknownKind = await Kubectl.Run("get", "widgets");
        Assert.Equal(1, unknownKind.Exit);
        Assert.Contains("the server doesn't have a resource type \"widgets\"", unknownKind.Stderr);
    }

    [Fact]
    public async Task Logs_need_a_container_only_from_the_server_when_ambiguous()
    {
        var pod = (await WebPods())[0];
        var logs = await Kubectl.Run("logs", pod);
        Assert.True(logs.Exit == 0, logs.ToString());
        Assert.Matches(@"host runtime: started web \(docker.io/library/nginx:1.27\)$", logs.Stdout);
        Assert.Equal(logs.Stdout, (await Kubectl.Run("logs", pod, "--tail=1")).Stdout);
        Assert.Equal("", (await Kubectl.Run("logs", pod, "--tail=0")).Stdout);
        var previous = await Kubectl.Run("logs", pod, "--previous");
        Assert.Equal(1, previous.Exit);
        Assert.Equal($"Error from server (BadRequest): previous terminated container \"web\" in pod \"{pod}\" not found", previous.Stderr);
        using var http = sandbox.Http();
        var response = await http.GetAsync($"/api/v1/namespaces/media-stack/pods/{pod}/log?container=nope");
        Assert.Equal(400, (int)response.StatusCode);
        Assert.Equal($"container nope is not valid for pod {pod}", (await SandboxFixture.Json(response))["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task Exec_streams_stdout_stderr_and_the_exit_code()
    {
        var pod = (await WebPods())[0];
        var ok = await Kubectl.Run("exec", pod, "--", "sh", "-c", "echo to-stdout; echo to-stderr >&2");
        Assert.Equal(0, ok.Exit);
        Assert.Equal("to-stdout", ok.Stdout);
        Assert.Equal("to-stderr", ok.Stderr);
        var failed = await Kubectl.Run("exec", pod, "--", "sh", "-c", "echo partial; exit 3");
        Assert.Equal(3, failed.Exit);
        Assert.Equal("partial", failed.Stdout);
        Assert.Equal("command terminated with exit code 3", failed.Stderr);
        var stdin = await Kubectl.RunWithInput("line one\nline two\n", "exec", "-i", pod, "--", "wc", "-l");
        Assert.Equal(0, stdin.Exit);
        Assert.Equal("2", stdin.Stdout.Trim());
    }

    [Fact]
    public async Task Events_services_and_replica_sets_print_their_own_columns()
    {
        var events = await Kubectl.Run("get", "events", "--field-selector", "reason=Scheduled");
        Assert.True(events.Exit == 0, events.ToString());
        Assert.Matches(@"^LAST SEEN\s+TYPE\s+REASON\s+OBJECT\s+MESSAGE\n", events.Stdout);
        Assert.Matches(@"(?m)^\d+s\s+Normal\s+Scheduled\s+pod/web-\S+\s+Successfully assigned media-stack/web-\S+ to wow-ocp-node[234]$", events.Stdout);
        var rs = await Kubectl.Run("get", "rs");
        Assert.Matches(@"^NAME\s+DESIRED\s+CURRENT\s+READY\s+AGE\nweb-\S+\s+2\s+2\s+2\s+\d+s$", rs.Stdout);
        var nodes = await Kubectl.Run("get", "nodes");
        Assert.Matches(@"(?m)^wow-ocp-node2\s+Ready\s+worker\s+\d+s\s+v1\.32\.2$", nodes.Stdout);
        var sa = await Kubectl.Run("get", "sa", "managers");
        Assert.Matches(@"^NAME\s+SECRETS\s+AGE\nmanagers\s+0\s+\d+s$", sa.Stdout);
    }

    [Fact]
    public async Task Exec_and_logs_refuse_like_the_api_server()
    {
        using var http = sandbox.Http();
        var pod = (await WebPods())[0];
        var plain = await http.GetAsync($"/api/v1/namespaces/media-stack/pods/{pod}/exec?command=ls&stdout=1");
        Assert.Equal(400, (int)plain.StatusCode);
        Assert.Equal("Upgrade request required", (await SandboxFixture.Json(plain))["message"]!.GetValue<string>());
        var noCommand = await http.GetAsync($"/api/v1/namespaces/media-stack/pods/{pod}/exec?stdout=1");
        Assert.Equal("you must specify at least 1 command", (await SandboxFixture.Json(noCommand))["message"]!.GetValue<string>());

        var two = System.Text.Json.Nodes.JsonNode.Parse("""
            {"apiVersion":"v1","kind":"Pod","metadata":{"name":"two"},
             "spec":{"initContainers":[{"name":"init","image":"alpine:3"}],"containers":[{"name":"a","image":"alpine:3"},{"name":"b","image":"alpine:3"}]}}
            """)!;
        Assert.Equal(201, (int)(await http.PostAsync("/api/v1/namespaces/default/pods",
            new StringContent(two.ToJsonString(), System.Text.Encoding.UTF8, "application/json"))).StatusCode);
        var ambiguous = await http.GetAsync("/api/v1/namespaces/default/pods/two/log");
        Assert.Equal(400, (int)ambiguous.StatusCode);
        Assert.Equal("a container name must be specified for pod two, choose one of: [a b] or one of the init containers: [init]",
            (await SandboxFixture.Json(ambiguous))["message"]!.GetValue<string>());
    }
}
