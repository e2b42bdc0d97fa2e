using System.Text.Json.Nodes;

namespace MediaStack.Sandbox.Tests;

// The real kubectl changing things: patch (strategic, merge, json with test), replace with
// a stale resourceVersion, apply of a rendered app manifest, auth can-i for both identities.
public sealed class KubectlWriteTests(SandboxFixture sandbox) : IClassFixture<SandboxFixture>
{
    Kubectl Kubectl => sandbox.Kubectl;

    async Task<JsonNode> Get(params string[] what) =>
        JsonNode.Parse((await Kubectl.Run([.. new[] { "get" }, .. what, "-o", "json"])).Stdout)!;

    [Fact]
    public async Task Strategic_patch_merges_containers_by_name_and_rolls_out()
    {
        var r = await Kubectl.Run("patch", "deploy", "web", "--type", "strategic", "-p",
            """{"spec":{"template":{"spec":{"containers":[{"name":"web","image":"docker.io/library/nginx:1.28","env":[{"name":"A","value":"1"}]}]}}}}""");
        Assert.True(r.Exit == 0, r.ToString());
        Assert.Equal("deployment.apps/web patched", r.Stdout);
        var d = await Get("deploy", "web");
        var containers = d["spec"]!["template"]!["spec"]!["containers"]!.AsArray();
        Assert.Single(containers);
        Assert.Equal("docker.io/library/nginx:1.28", containers[0]!["image"]!.GetValue<string>());
        Assert.Equal(8080, containers[0]!["ports"]![0]!["containerPort"]!.GetValue<int>());
        Assert.Equal(2, d["metadata"]!["generation"]!.GetValue<long>());

        var rollout = await Kubectl.Run("rollout", "status", "deploy/web", "--timeout=30s");
        Assert.True(rollout.Exit == 0, rollout.ToString());
        Assert.EndsWith("deployment \"web\" successfully rolled out", rollout.Stdout);
        d = await Get("deploy", "web");
        Assert.Equal("2", d["metadata"]!["annotations"]!["deployment.kubernetes.io/revision"]!.GetValue<string>());
        var pods = await Get("pods", "-l", "app=web");
        await SandboxFixture.WaitFor(async () => (await Get("pods", "-l", "app=web"))["items"]!.AsArray().Count == 2, TimeSpan.FromSeconds(20), "old pods never went");
        pods = await Get("pods", "-l", "app=web");
        Assert.All(pods["items"]!.AsArray(), p => Assert.Equal("docker.io/library/nginx:1.28", p!["spec"]!["containers"]![0]!["image"]!.GetValue<string>()));

        var delete = await Kubectl.Run("patch", "deploy", "web", "--type", "strategic", "-p",
            """{"spec":{"template":{"spec":{"containers":[{"name":"web","env":[{"name":"A","$patch":"delete"}]}]}}}}""");
        Assert.True(delete.Exit == 0, delete.ToString());
        Assert.Null((await Get("deploy", "web"))["spec"]!["template"]!["spec"]!["containers"]![0]!["env"]?.AsArray().FirstOrDefault());
    }

    [Fact]
    public async Task Merge_and_json_patches_with_test_semantics()
    {
        var merge = await Kubectl.Run("patch", "svc", "web-svc", "--type", "merge", "-p", """{"metadata":{"labels":{"tier":"front"}}}""");
        Assert.Equal(1, merge.Exit);
        Assert.Equal("Error from server (NotFound): services \"web-svc\" not found", merge.Stderr);

        var generation = (await Get("deploy", "web"))["metadata"]!["generation"]!.GetValue<long>();
        var labels = await Kubectl.Run("patch", "deploy", "web", "--type", "merge", "-p", """{"metadata":{"labels":{"tier":"front"}}}""");
        Assert.True(labels.Exit == 0, labels.ToString());
        Assert.Equal(generation, (await Get("deploy", "web"))["metadata"]!["generation"]!.GetValue<long>());
        var rv = (await Get("deploy", "web"))["metadata"]!["resourceVersion"]!.GetValue<string>();

        var failedTest = await Kubectl.Run("patch", "deploy", "web", "--type", "json", "-p",
            """[{"op":"test","path":"/metadata/labels/tier","value":"back"},{"op":"add","path":"/metadata/labels/x","value":"y"}]""");
        Assert.Equal(1, failedTest.Exit);
        Assert.Equal("The request is invalid: the server rejected our request due to an error in our request", failedTest.Stderr);
        Assert.Equal(rv, (await Get("deploy", "web"))["metadata"]!["resourceVersion"]!.GetValue<string>());

        var passedTest = await Kubectl.Run("patch", "deploy", "web", "--type", "json", "-p",
            $$"""[{"op":"test","path":"/metadata/resourceVersion","value":"{{rv}}"},{"op":"add","path":"/metadata/labels/x","value":"y"}]""");
        Assert.True(passedTest.Exit == 0, passedTest.ToString());
        Assert.Equal("y", (await Get("deploy", "web"))["metadata"]!["labels"]!["x"]!.GetValue<string>());
    }

    [Fact]
    public async Task Replace_with_a_stale_resource_version_is_a_conflict()
    {
        var file = Path.Combine(sandbox.Folder, "stale.json");
        await File.WriteAllTextAsync(file, (await Kubectl.Run("get", "sa", "plain", "-o", "json")).Stdout);
        var bump = await Kubectl.Run("label", "sa", "plain", "touched=yes");
        Assert.True(bump.Exit == 0, bump.ToString());
        var replace = await Kubectl.Run("replace", "-f", file);
        Assert.Equal(1, replace.Exit);
        Assert.Equal($"Error from server (Conflict): error when replacing \"{file}\": Operation cannot be fulfilled on serviceaccounts \"plain\": the object has been modified; please apply your changes to the latest version and try again", replace.Stderr);

        await File.WriteAllTextAsync(file, (await Kubectl.Run("get", "sa", "plain", "-o", "json")).Stdout);
        var fresh = await Kubectl.Run("replace", "-f", file);
        Assert.True(fresh.Exit == 0, fresh.ToString());
        Assert.Equal("serviceaccount/plain replaced", fresh.Stdout);
    }

    [Fact]
    public async Task Apply_of_a_rendered_app_creates_deployment_service_route_and_a_privileged_pod()
    {
        var apply = await Kubectl.Run("apply", "-f", SandboxFixture.FixturePath("sonarr-app.yaml"));
        Assert.True(apply.Exit == 0, apply.ToString());
        Assert.Equal("deployment.apps/sonarr created\nservice/sonarr created\nroute.route.openshift.io/sonarr created", apply.Stdout);
        var rollout = await Kubectl.Run("rollout", "status", "deploy/sonarr", "--timeout=30s");
        Assert.True(rollout.Exit == 0, rollout.ToString());
        var pod = (await Get("pods", "-l", "app=sonarr"))["items"]![0]!;
        Assert.Equal("privileged", pod["metadata"]!["annotations"]!["openshift.io/scc"]!.GetValue<string>());
        Assert.StartsWith("wow-ocp-node", pod["spec"]!["nodeName"]!.GetValue<string>());
        Assert.NotEqual("wow-ocp-node4", pod["spec"]!["nodeName"]!.GetValue<string>());
        Assert.Equal(256, pod["spec"]!["volumes"]![1]!["secret"]!["defaultMode"]!.GetValue<int>());
        var route = await Get("route", "sonarr");
        Assert.Equal("sonarr.apps.ossus.sigtomtech.com", route["spec"]!["host"]!.GetValue<string>());
        var svc = await Get("svc", "sonarr");
        Assert.StartsWith("172.30.", svc["spec"]!["clusterIP"]!.GetValue<string>());

        var again = await Kubectl.Run("apply", "-f", SandboxFixture.FixturePath("sonarr-app.yaml"));
        Assert.True(again.Exit == 0, again.ToString());
        Assert.Equal("deployment.apps/sonarr unchanged\nservice/sonarr unchanged\nroute.route.openshift.io/sonarr unchanged", again.Stdout);
    }

    [Fact]
    public async Task Auth_can_i_answers_from_rbac_for_both_identities()
    {
        async Task<(int, string)> CanI(params string[] args)
        {
            var r = await Kubectl.Run(["auth", "can-i", .. args]);
            return (r.Exit, r.Stdout);
        }
        Assert.Equal((0, "yes"), await CanI("delete", "deployments"));
        Assert.Equal((0, "yes"), await CanI("list", "pods", "--context", "sandbox-viewer"));
        Assert.Equal((0, "yes"), await CanI("get", "pods/log", "--context", "sandbox-viewer"));
        Assert.Equal((1, "no"), await CanI("delete", "pods", "--context", "sandbox-viewer"));
        Assert.Equal((1, "no"), await CanI("create", "pods/exec", "--context", "sandbox-viewer"));
        Assert.Equal((1, "no"), await CanI("list", "pods", "-n", "default", "--context", "sandbox-viewer"));
        Assert.Equal((0, "yes"), await CanI("use", "securitycontextconstraints/privileged", "--as", "system:serviceaccount:media-stack:managers"));
        Assert.Equal((1, "no"), await CanI("use", "securitycontextconstraints/privileged", "--as", "system:serviceaccount:media-stack:plain"));

        var list = await Kubectl.Run("auth", "can-i", "--list", "--context", "sandbox-viewer");
        Assert.True(list.Exit == 0, list.ToString());
        Assert.Matches(@"(?m)^pods\s+\[\]\s+\[\]\s+\[get list watch\]$", list.Stdout);
        Assert.DoesNotContain("secrets", list.Stdout);

        var forbidden = await Kubectl.Run("delete", "pod", "x", "--context", "sandbox-viewer");
        Assert.Equal(1, forbidden.Exit);
        Assert.Equal("Error from server (Forbidden): pods \"x\" is forbidden: User \"viewer\" cannot delete resource \"pods\" in API group \"\" in the namespace \"media-stack\"", forbidden.Stderr);
    }

    [Fact]
    public async Task Server_side_dry_run_validates_and_stores_nothing()
    {
        var create = await Kubectl.Run("create", "configmap", "dry", "--from-literal=a=b", "--dry-run=server", "-o", "jsonpath={.metadata.name} {.data.a}");
        Assert.True(create.Exit == 0, create.ToString());
        Assert.Equal("dry b", create.Stdout);
        Assert.Equal("Error from server (NotFound): configmaps \"dry\" not found", (await Kubectl.Run("get", "cm", "dry")).Stderr);

        var before = (await Get("sa", "managers"))["metadata"]!["resourceVersion"]!.GetValue<string>();
        var patch = await Kubectl.Run("label", "sa", "managers", "dry=run", "--dry-run=server");
        Assert.True(patch.Exit == 0, patch.ToString());
        var after = await Get("sa", "managers");
        Assert.Equal(before, after["metadata"]!["resourceVersion"]!.GetValue<string>());
        Assert.Null(after["metadata"]!["labels"]?["dry"]);

        var invalid = await Kubectl.Run("create", "configmap", "Not_Valid", "--dry-run=server");
        Assert.Equal(1, invalid.Exit);
        Assert.StartsWith("error: failed to create configmap: ConfigMap \"Not_Valid\" is invalid: metadata.name: Invalid value: \"Not_Valid\"", invalid.Stderr);
    }

    [Fact]
    public async Task Typed_kubectl_creates_send_protobuf_and_land_as_json()
    {
        var secret = await Kubectl.Run("create", "secret", "generic", "rclone-typed", "--from-literal=rclone.conf=[zurg]\ntype = webdav\n");
        Assert.True(secret.Exit == 0, secret.ToString());
        Assert.Equal("secret/rclone-typed created", secret.Stdout);
        var stored = await Get("secret", "rclone-typed");
        Assert.Equal("Opaque", stored["type"]!.GetValue<string>());
        Assert.Equal("[zurg]\ntype = webdav\n", System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(stored["data"]!["rclone.conf"]!.GetValue<string>())));

        Assert.Equal("serviceaccount/typed created", (await Kubectl.Run("create", "sa", "typed")).Stdout);
        Assert.Equal("role.rbac.authorization.k8s.io/typed created", (await Kubectl.Run("create", "role", "typed", "--verb=get,list", "--resource=pods")).Stdout);
        Assert.Equal("rolebinding.rbac.authorization.k8s.io/typed created",
            (await Kubectl.Run("create", "rolebinding", "typed", "--role=typed", "--serviceaccount=media-stack:typed")).Stdout);
        var canI = await Kubectl.Run("auth", "can-i", "list", "pods", "--as", "system:serviceaccount:media-stack:typed");
        Assert.Equal("yes", canI.Stdout);
        var role = await Get("role", "typed");
        Assert.Equal("""[{"apiGroups":[""],"resources":["pods"],"verbs":["get","list"]}]""", role["rules"]!.ToJsonString());
    }

    [Fact]
    public async Task Kubectl_create_deployment_and_service_match_their_client_side_rendering()
    {
        var created = await Kubectl.Run("create", "deployment", "quick", "--image=nginx:1.27", "--port=8080", "--replicas=2", "--", "sleep", "100");
        Assert.True(created.Exit == 0, created.ToString());
        var rendered = JsonNode.Parse((await Kubectl.Run("create", "deployment", "quick", "--image=nginx:1.27", "--port=8080", "--replicas=2",
            "--dry-run=client", "-o", "json", "--", "sleep", "100")).Stdout)!;
        var stored = await Get("deploy", "quick");
        Assert.Equal(rendered["spec"]!["replicas"]!.GetValue<long>(), stored["spec"]!["replicas"]!.GetValue<long>());
        Assert.Equal(rendered["spec"]!["selector"]!.ToJsonString(), stored["spec"]!["selector"]!.ToJsonString());
        var want = rendered["spec"]!["template"]!["spec"]!["containers"]![0]!;
        var got = stored["spec"]!["template"]!["spec"]!["containers"]![0]!;
        foreach (var field in new[] { "name", "image", "command" })
            Assert.Equal(want[field]!.ToJsonString(), got[field]!.ToJsonString());
        Assert.Equal("""[{"containerPort":8080,"protocol":"TCP"}]""", got["ports"]!.ToJsonString());
        var rollout = await Kubectl.Run("rollout", "status", "deploy/quick", "--timeout=20s");
        Assert.True(rollout.Exit == 0, rollout.ToString());

        var svc = await Kubectl.Run("create", "service", "nodeport", "quick", "--tcp=80:8080");
        Assert.True(svc.Exit == 0, svc.ToString());
        Assert.Equal("""[{"name":"80-8080","port":80,"protocol":"TCP","targetPort":8080}]""", (await Get("svc", "quick"))["spec"]!["ports"]!.ToJsonString());
    }

    [Fact]
    public async Task Kubectl_create_token_gives_a_token_that_acts_as_the_service_account_while_it_exists()
    {
        Assert.Equal("serviceaccount/token-check created", (await Kubectl.Run("create", "sa", "token-check")).Stdout);
        Assert.True((await Kubectl.Run("create", "role", "token-check", "--verb=list", "--resource=pods")).Exit == 0);
        Assert.True((await Kubectl.Run("create", "rolebinding", "token-check", "--role=token-check", "--serviceaccount=media-stack:token-check")).Exit == 0);
        var tooShort = await Kubectl.Run("create", "token", "token-check", "--duration=5m");
        Assert.NotEqual(0, tooShort.Exit);
        Assert.Contains("may not specify a duration less than 10 minutes", tooShort.Stderr);

        var created = await Kubectl.Run("create", "token", "token-check", "--duration=2h");
        Assert.True(created.Exit == 0, created.ToString());
        var token = created.Stdout.Trim();
        Assert.Matches("^[0-9a-f]{48}$", token);
        Assert.Equal("yes", (await Kubectl.Run("auth", "can-i", "list", "pods", "--token", token)).Stdout);
        var denied = await Kubectl.Run("get", "deployments", "--token", token);
        Assert.Contains("User \"system:serviceaccount:media-stack:token-check\" cannot list resource \"deployments\" in API group \"apps\"", denied.Stderr);

        Assert.True((await Kubectl.Run("delete", "sa", "token-check")).Exit == 0);
        var gone = await Kubectl.Run("get", "pods", "--token", token);
        Assert.Contains("Unauthorized", gone.Stderr);
    }
}
