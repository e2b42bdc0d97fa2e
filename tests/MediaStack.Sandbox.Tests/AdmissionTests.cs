using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MediaStack.Sandbox.Hosting;
using MediaStack.Sandbox.Node;
using MediaStack.Sandbox.Scenarios;

namespace MediaStack.Sandbox.Tests;

// Admission as a real cluster does it: validation (names, required fields, Bidirectional
// needs privileged), OpenShift SCC with FailedCreate on the ReplicaSet, and PSA in
// Kubernetes mode.
public sealed class AdmissionTests(SandboxFixture sandbox) : IClassFixture<SandboxFixture>
{
    static JsonObject Deployment(string name, string sa, bool privileged, string propagation = "Bidirectional") => JsonNode.Parse($$"""
        {
          "apiVersion": "apps/v1", "kind": "Deployment",
          "metadata": { "name": "{{name}}" },
          "spec": {
            "selector": { "matchLabels": { "app": "{{name}}" } },
            "template": {
              "metadata": { "labels": { "app": "{{name}}" } },
              "spec": {
                "serviceAccountName": "{{sa}}",
                "containers": [
                  { "name": "rclone", "image": "rclone/rclone:latest", "securityContext": { "privileged": {{(privileged ? "true" : "false")}} },
                    "volumeMounts": [ { "name": "media", "mountPath": "/mnt/media", "mountPropagation": "{{propagation}}" } ] },
                  { "name": "app", "image": "alpine:3" }
                ],
                "volumes": [ { "name": "media", "emptyDir": {} } ]
              }
            }
          }
        }
        """)!.AsObject();

    [Fact]
    public async Task Bidirectional_without_privileged_is_invalid_with_the_exact_field_and_text()
    {
        using var http = sandbox.Http();
        var response = await http.PostAsJsonAsync("/apis/apps/v1/namespaces/media-stack/deployments", Deployment("unpriv", "managers", privileged: false));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var status = await SandboxFixture.Json(response);
        Assert.Equal("Invalid", status["reason"]!.GetValue<string>());
        Assert.Equal("Deployment.apps \"unpriv\" is invalid: spec.template.spec.containers[0].volumeMounts[0].mountPropagation: Forbidden: Bidirectional mount propagation is available only to privileged containers",
            status["message"]!.GetValue<string>());
        var cause = status["details"]!["causes"]![0]!;
        Assert.Equal("FieldValueForbidden", cause["reason"]!.GetValue<string>());
        Assert.Equal("spec.template.spec.containers[0].volumeMounts[0].mountPropagation", cause["field"]!.GetValue<string>());
    }

    [Fact]
    public async Task Names_and_required_fields_are_validated()
    {
        using var http = sandbox.Http();
        var bad = Deployment("Bad_Name", "managers", privileged: true);
        var response = await http.PostAsJsonAsync("/apis/apps/v1/namespaces/media-stack/deployments", bad);
        Assert.Equal(422, (int)response.StatusCode);
        var message = (await SandboxFixture.Json(response))["message"]!.GetValue<string>();
        Assert.StartsWith("Deployment.apps \"Bad_Name\" is invalid: metadata.name: Invalid value: \"Bad_Name\": a lowercase RFC 1123 subdomain must consist of", message);

        var noImage = JsonNode.Parse("""{"apiVersion":"v1","kind":"Pod","metadata":{"name":"noimage"},"spec":{"containers":[{"name":"c"}]}}""")!;
        var pod = await http.PostAsJsonAsync("/api/v1/namespaces/media-stack/pods", noImage);
        Assert.Equal(422, (int)pod.StatusCode);
        Assert.Equal("Pod \"noimage\" is invalid: spec.containers[0].image: Required value", (await SandboxFixture.Json(pod))["message"]!.GetValue<string>());

        var mismatch = Deployment("mismatch", "managers", privileged: true);
        mismatch["spec"]!["selector"]!["matchLabels"]!["app"] = "other";
        var sel = await http.PostAsJsonAsync("/apis/apps/v1/namespaces/media-stack/deployments", mismatch);
        Assert.Equal("Deployment.apps \"mismatch\" is invalid: spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"mismatch\"}: `selector` does not match template `labels`",
            (await SandboxFixture.Json(sel))["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task Privileged_pods_need_the_scc_for_their_service_account()
    {
        using var http = sandbox.Http();
        Assert.Equal(HttpStatusCode.Created, (await http.PostAsJsonAsync("/apis/apps/v1/namespaces/media-stack/deployments", Deployment("nosc", "plain", privileged: true))).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await http.PostAsJsonAsync("/apis/apps/v1/namespaces/media-stack/deployments", Deployment("withscc", "managers", privileged: true))).StatusCode);

        string? failure = null;
        await SandboxFixture.WaitFor(async () =>
        {
            var events = await SandboxFixture.Json(await http.GetAsync("/api/v1/namespaces/media-stack/events?fieldSelector=reason%3DFailedCreate,involvedObject.kind%3DReplicaSet"));
            failure = events["items"]!.AsArray().Select(e => e!["message"]!.GetValue<string>()).FirstOrDefault(m => m.Contains("nosc-"));
            return failure is not null;
        }, TimeSpan.FromSeconds(20), "no FailedCreate event for nosc");
        Assert.Matches("^Error creating: pods \"nosc-[a-z0-9]+-\" is forbidden: unable to validate against any security context constraint: \\[", failure);
        Assert.Contains("provider restricted-v2: .containers[0].privileged: Invalid value: true: Privileged containers are not allowed", failure);
        Assert.Contains("provider \"privileged\": Forbidden: not usable by user or serviceaccount", failure);
        var pods = await SandboxFixture.Json(await http.GetAsync("/api/v1/namespaces/media-stack/pods?labelSelector=app%3Dnosc"));
        Assert.Empty(pods["items"]!.AsArray());

        await SandboxFixture.WaitFor(async () =>
            (await SandboxFixture.Json(await http.GetAsync("/api/v1/namespaces/media-stack/pods?labelSelector=app%3Dwithscc")))["items"]!.AsArray().Count == 1,
            TimeSpan.FromSeconds(20), "withscc never got a pod");
        var admitted = (await SandboxFixture.Json(await http.GetAsync("/api/v1/namespaces/media-stack/pods?labelSelector=app%3Dwithscc")))["items"]![0]!;
        Assert.Equal("privileged", admitted["metadata"]!["annotations"]!["openshift.io/scc"]!.GetValue<string>());

        var rs = await SandboxFixture.Json(await http.GetAsync("/apis/apps/v1/namespaces/media-stack/replicasets?labelSelector=app%3Dnosc"));
        var condition = rs["items"]![0]!["status"]!["conditions"]![0]!;
        Assert.Equal("ReplicaFailure", condition["type"]!.GetValue<string>());
        Assert.Equal("FailedCreate", condition["reason"]!.GetValue<string>());
        // ... and the Deployment carries it over, as the deployment controller does.
        await SandboxFixture.WaitFor(async () =>
            (await SandboxFixture.Json(await http.GetAsync("/apis/apps/v1/namespaces/media-stack/deployments/nosc")))["status"]?["conditions"]?.AsArray()
                .Any(c => (string?)c!["type"] == "ReplicaFailure" && (string?)c["reason"] == "FailedCreate" && ((string?)c["message"])!.StartsWith("Error creating: pods \"nosc-")) == true,
            TimeSpan.FromSeconds(20), "the Deployment never showed the ReplicaFailure");
    }

    [Fact]
    public async Task The_scc_users_list_admits_a_service_account_without_rbac()
    {
        using var http = sandbox.Http();
        Assert.Equal(HttpStatusCode.Created, (await http.PostAsJsonAsync("/api/v1/namespaces/media-stack/serviceaccounts", JsonNode.Parse("""{"metadata":{"name":"listed"}}"""))).StatusCode);
        var patch = new StringContent("""[{"op":"add","path":"/users/-","value":"system:serviceaccount:media-stack:listed"}]""", System.Text.Encoding.UTF8, "application/json-patch+json");
        Assert.Equal(HttpStatusCode.OK, (await http.PatchAsync("/apis/security.openshift.io/v1/securitycontextconstraints/privileged", patch)).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await http.PostAsJsonAsync("/apis/apps/v1/namespaces/media-stack/deployments", Deployment("listed", "listed", privileged: true))).StatusCode);
        await SandboxFixture.WaitFor(async () =>
            (await SandboxFixture.Json(await http.GetAsync("/api/v1/namespaces/media-stack/pods?labelSelector=app%3Dlisted")))["items"]!.AsArray().Count == 1,
            TimeSpan.FromSeconds(20), "the listed service account's pod was not admitted");
    }

    [Fact]
    public async Task Unschedulable_pods_stay_pending_with_a_failed_scheduling_event()
    {
        using var http = sandbox.Http();
        var pod = JsonNode.Parse("""
            {"apiVersion":"v1","kind":"Pod","metadata":{"name":"nowhere"},
             "spec":{"nodeSelector":{"kubernetes.io/hostname":"wow-ocp-node9"},"containers":[{"name":"c","image":"alpine:3"}]}}
            """)!;
        Assert.Equal(HttpStatusCode.Created, (await http.PostAsJsonAsync("/api/v1/namespaces/media-stack/pods", pod)).StatusCode);
        JsonNode? condition = null;
        await SandboxFixture.WaitFor(async () =>
        {
            var p = await SandboxFixture.Json(await http.GetAsync("/api/v1/namespaces/media-stack/pods/nowhere"));
            condition = p["status"]?["conditions"]?.AsArray().FirstOrDefault(c => c!["type"]!.GetValue<string>() == "PodScheduled");
            return condition is not null;
        }, TimeSpan.FromSeconds(10), "no PodScheduled condition");
        Assert.Equal("False", condition!["status"]!.GetValue<string>());
        Assert.Equal("Unschedulable", condition["reason"]!.GetValue<string>());
        var table = await sandbox.Kubectl.Run("get", "pod", "nowhere");
        Assert.Matches(@"nowhere\s+0/1\s+Pending\s+0", table.Stdout);
        var events = await sandbox.Kubectl.Run("get", "events", "--field-selector", "involvedObject.name=nowhere,reason=FailedScheduling", "-o", "jsonpath={.items[0].message}");
        Assert.StartsWith("0/3 nodes are available: 3 node(s) didn't match Pod's node affinity/selector.", events.Stdout);
    }
}

// Kubernetes mode: Pod Security Admission by namespace label instead of SCCs.
public sealed class PodSecurityAdmissionTests : IAsyncLifetime
{
    readonly string _folder = Directory.CreateTempSubdirectory("sandbox-psa-").FullName;
    SandboxServer _server = null!;

    public async Task InitializeAsync()
    {
        var scenario = Scenario.Parse("""
            apiVersion: sandbox.mediastack.dev/v1
            kind: SandboxScenario
            spec:
              mode: kubernetes
              nodes: [kind-worker]
            ---
            apiVersion: v1
            kind: Namespace
            metadata:
              name: media-stack
              labels:
                pod-security.kubernetes.io/enforce: baseline
            """);
        _server = await SandboxServer.StartAsync(new SandboxOptions(scenario, Path.Combine(_folder, "kubeconfig"), new HostProcessRuntime(), "host"));
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task Baseline_namespaces_refuse_privileged_pods_and_openshift_apis_are_absent()
    {
        var kubectl = new Kubectl(Path.Combine(_folder, "kubeconfig"), Path.Combine(_folder, "cache"));
        var manifest = Path.Combine(_folder, "pod.yaml");
        await File.WriteAllTextAsync(manifest, """
            apiVersion: v1
            kind: Pod
            metadata:
              name: fuse
            spec:
              containers:
              - name: rclone-zurg
                image: rclone/rclone:latest
                securityContext:
                  privileged: true
            """);
        var create = await kubectl.Run("create", "-f", manifest);
        Assert.Equal(1, create.Exit);
        Assert.Equal($"Error from server (Forbidden): error when creating \"{manifest}\": pods \"fuse\" is forbidden: violates PodSecurity \"baseline:latest\": privileged (container \"rclone-zurg\" must not set securityContext.privileged=true)", create.Stderr);
        var deployment = Path.Combine(_folder, "deploy.yaml");
        await File.WriteAllTextAsync(deployment, """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: fuse
            spec:
              selector:
                matchLabels: {app: fuse}
              template:
                metadata:
                  labels: {app: fuse}
                spec:
                  containers:
                  - name: rclone-zurg
                    image: rclone/rclone:latest
                    securityContext:
                      privileged: true
            """);
        var warned = await kubectl.Run("create", "-f", deployment);
        Assert.True(warned.Exit == 0, warned.ToString());
        Assert.Equal("deployment.apps/fuse created", warned.Stdout);
        Assert.Equal("Warning: would violate PodSecurity \"baseline:latest\": privileged (container \"rclone-zurg\" must not set securityContext.privileged=true)", warned.Stderr);
        string events = "";
        await SandboxFixture.WaitFor(async () =>
        {
            events = (await kubectl.Run("get", "events", "--field-selector", "reason=FailedCreate", "-o", "jsonpath={.items[*].message}")).Stdout;
            return events.Length > 0;
        }, TimeSpan.FromSeconds(15), "no FailedCreate event");
        Assert.Matches("^Error creating: pods \"fuse-[a-z0-9]+-\" is forbidden: violates PodSecurity \"baseline:latest\": privileged", events);

        var scc = await kubectl.Run("get", "scc");
        Assert.Equal(1, scc.Exit);
        Assert.Contains("the server doesn't have a resource type \"scc\"", scc.Stderr);
        var label = await kubectl.Run("label", "ns", "media-stack", "pod-security.kubernetes.io/enforce=privileged", "--overwrite");
        Assert.True(label.Exit == 0, label.ToString());
        var again = await kubectl.Run("create", "-f", manifest);
        Assert.True(again.Exit == 0, again.ToString());
        Assert.Equal("pod/fuse created", again.Stdout);
    }
}
