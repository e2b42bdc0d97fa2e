using System.Text.Json.Nodes;
using MediaStack.Sandbox.Node.Linux;

namespace MediaStack.Sandbox.Tests;

// Container lifecycle on the real node runtime: init containers in order, a native sidecar
// gating the app on its startup probe, liveness restarts, httpGet readiness on the stand-in,
// preStop then SIGTERM on stop.
public sealed class NodeRuntimeLifecycleTests
{
    const string Ns = "lifecycle";

    static void SkipUnlessAvailable() => Skip.If(Availability.Reason is not null, Availability.Reason);

    static JsonObject Pod(string name, string spec) => JsonNode.Parse($$"""
        {"apiVersion":"v1","kind":"Pod","metadata":{"name":"{{name}}","namespace":"{{Ns}}","uid":"{{Guid.NewGuid()}}"},"spec":{{spec}}}
        """)!.AsObject();

    const string Shared = """{"name":"shared","persistentVolumeClaim":{"claimName":"lifecycle-claim"}}""";

    [SkippableFact]
    public async Task Init_sidecar_probes_restarts_and_prestop_follow_the_spec()
    {
        SkipUnlessAvailable();
        await using var host = new NodeRuntimeTestHost();
        var pod = Pod("app", """
            {
              "initContainers": [
                {"name":"prepare","image":"alpine:3.20","command":["sh","-c","echo prepared > /work/ready"],
                 "volumeMounts":[{"name":"work","mountPath":"/work"}]},
                {"name":"sidecar","image":"alpine:3.20","restartPolicy":"Always",
                 "command":["sh","-c","sleep 1; touch /work/sidecar-up; exec sleep 3600"],
                 "startupProbe":{"exec":{"command":["test","-f","/work/sidecar-up"]},"periodSeconds":1,"failureThreshold":30},
                 "volumeMounts":[{"name":"work","mountPath":"/work"}]}
              ],
              "containers": [
                {"name":"main","image":"alpine:3.20",
                 "command":["sh","-c","cat /work/ready; test -f /work/sidecar-up && echo sidecar-was-up; touch /tmp/healthy; trap 'echo got-term >> /shared/trail; exit 0' TERM; while true; do sleep 0.2; done"],
                 "livenessProbe":{"exec":{"command":["test","-f","/tmp/healthy"]},"periodSeconds":1,"failureThreshold":2},
                 "lifecycle":{"preStop":{"exec":{"command":["sh","-c","echo prestop >> /shared/trail"]}}},
                 "volumeMounts":[{"name":"work","mountPath":"/work"},{"name":"shared","mountPath":"/shared"}]},
                {"name":"web","image":"lscr.io/linuxserver/bazarr:latest","ports":[{"containerPort":6767,"name":"http"}],
                 "readinessProbe":{"httpGet":{"path":"/","port":"http"},"periodSeconds":1}}
              ],
              "volumes":[{"name":"work","emptyDir":{}},SHARED]
            }
            """.Replace("SHARED", Shared));
        await host.Runtime.StartPodAsync(pod, CancellationToken.None);
        var up = TimeSpan.FromSeconds(30);
        await NodeRuntimeTestHost.WaitForAsync(() => host.Runtime.ReadLog(Ns, "app", "main", false)?.Contains("sidecar-was-up") == true, up, () => host.Describe(Ns, "app"));
        Assert.StartsWith("prepared", host.Runtime.ReadLog(Ns, "app", "main", false));
        await NodeRuntimeTestHost.WaitForAsync(() => host.ContainerStatus(Ns, "app", "web")?["ready"]?.GetValue<bool>() == true, up, () => host.Describe(Ns, "app"));
        Assert.Equal("True", (string?)(host.Status(Ns, "app")["conditions"] as JsonArray)!.Single(c => (string?)c!["type"] == "Initialized")!["status"]);

        // Failed liveness: Unhealthy, Killing, a restart with a fresh instance and the old log as previous.
        Assert.Equal(0, (await host.ExecAsync(Ns, "app", "main", "rm", "/tmp/healthy")).Code);
        await NodeRuntimeTestHost.WaitForAsync(() => host.ContainerStatus(Ns, "app", "main")?["restartCount"]?.GetValue<int>() == 1
            && host.ContainerStatus(Ns, "app", "main")?["state"]?["running"] is not null, up, () => host.Describe(Ns, "app"));
        Assert.Contains(host.Events, e => e.Reason == "Unhealthy" && e.Message.StartsWith("Liveness probe failed"));
        Assert.Contains(host.Events, e => e.Reason == "Killing" && e.Message == "Container main failed liveness probe, will be restarted");
        Assert.Contains("prepared", host.Runtime.ReadLog(Ns, "app", "main", previous: true));

        // Stop: preStop runs, then SIGTERM reaches the trap; both leave a line on the shared claim.
        await NodeRuntimeTestHost.WaitForAsync(() => host.ContainerStatus(Ns, "app", "main")?["state"]?["running"] is not null
            && host.Runtime.ReadLog(Ns, "app", "main", false)?.Contains("prepared") == true, up, () => host.Describe(Ns, "app"));
        await host.Runtime.StopPodAsync(Ns, "app", (string)pod["metadata"]!["uid"]!, 10, CancellationToken.None);
        Assert.Null(host.Runtime.ReadLog(Ns, "app", "main", false));

        var reader = Pod("reader", $$"""{"containers":[{"name":"cat","image":"alpine:3.20","command":["sleep","3600"],"volumeMounts":[{"name":"shared","mountPath":"/shared"}]}],"volumes":[{{Shared}}]}""");
        await host.Runtime.StartPodAsync(reader, CancellationToken.None);
        await host.WaitRunningAsync(Ns, "reader", "cat", up);
        var trail = await host.ExecAsync(Ns, "reader", "cat", "cat", "/shared/trail");
        // Once for the liveness kill, once for the pod's stop: the kubelet runs preStop on both.
        Assert.Equal("prestop\ngot-term\nprestop\ngot-term\n", trail.Out);
    }

    [SkippableFact]
    public async Task Restart_policy_Never_ends_in_Succeeded_or_Failed_with_the_exit_code()
    {
        SkipUnlessAvailable();
        await using var host = new NodeRuntimeTestHost();
        foreach (var (name, code) in new[] { ("ok", 0), ("bad", 3) })
            await host.Runtime.StartPodAsync(Pod(name, $$"""
                {"restartPolicy":"Never","containers":[{"name":"job","image":"busybox:1.36","command":["sh","-c","echo ran; exit {{code}}"]}]}
                """), CancellationToken.None);
        await NodeRuntimeTestHost.WaitForAsync(() => (string?)host.Status(Ns, "ok")["phase"] == "Succeeded" && (string?)host.Status(Ns, "bad")["phase"] == "Failed",
            TimeSpan.FromSeconds(30), () => host.Describe(Ns, "ok") + host.Describe(Ns, "bad"));
        var bad = host.ContainerStatus(Ns, "bad", "job")!;
        Assert.Equal(3, bad["state"]!["terminated"]!["exitCode"]!.GetValue<int>());
        Assert.Equal("Error", (string?)bad["state"]!["terminated"]!["reason"]);
        Assert.Equal(0, bad["restartCount"]!.GetValue<int>());
        Assert.Equal("Completed", (string?)host.ContainerStatus(Ns, "ok", "job")!["state"]!["terminated"]!["reason"]);
        Assert.Equal("ran\n", host.Runtime.ReadLog(Ns, "bad", "job", previous: false));
    }

    [SkippableFact]
    public async Task ConfigMap_items_modes_subPath_and_readOnly_mounts_follow_the_spec()
    {
        SkipUnlessAvailable();
        await using var host = new NodeRuntimeTestHost();
        host.Put(JsonNode.Parse("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"settings","namespace":"lifecycle"},"data":{"a.conf":"x=1\n","b.conf":"y=2\n"}}""")!.AsObject());
        await host.Runtime.StartPodAsync(Pod("files", """
            {"containers":[{"name":"app","image":"lscr.io/linuxserver/sonarr:latest",
              "volumeMounts":[
                {"name":"settings","mountPath":"/etc/app"},
                {"name":"settings","mountPath":"/srv/a.conf","subPath":"conf/a.conf"},
                {"name":"scratch","mountPath":"/data","readOnly":true}]}],
             "volumes":[
              {"name":"settings","configMap":{"name":"settings","defaultMode":288,"items":[{"key":"a.conf","path":"conf/a.conf"},{"key":"b.conf","path":"b.conf","mode":420}]}},
              {"name":"scratch","emptyDir":{}}]}
            """), CancellationToken.None);
        await host.WaitRunningAsync(Ns, "files", "app", TimeSpan.FromSeconds(30));
        var r = await host.ExecAsync(Ns, "files", "app", "sh", "-c",
            "stat -c %a /etc/app/conf/a.conf /etc/app/b.conf; cat /srv/a.conf; touch /data/x 2>&1; touch /etc/app/new 2>&1; true");
        var lines = r.Out.Split('\n');
        Assert.Equal(["440", "644", "x=1"], lines[..3]);
        Assert.Contains("Read-only file system", lines[3]);
        Assert.Contains("Read-only file system", lines[4]);
    }
}
