using System.Text.Json.Nodes;
using MediaStack.Sandbox.Api.Tables;

namespace MediaStack.Sandbox.Tests;

// The STATUS/READY/RESTARTS cells computed as kubectl's printer does.
public sealed class PodStatusTextTests
{
    static readonly DateTimeOffset Now = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    static JsonObject Pod(string containers, string statuses, string phase = "Running", string inits = "[]", string initStatuses = "[]", string extraMeta = "") =>
        JsonNode.Parse(
            "{\"metadata\":{\"name\":\"p\"" + extraMeta + "}," +
            "\"spec\":{\"initContainers\":" + inits + ",\"containers\":" + containers + "}," +
            "\"status\":{\"phase\":\"" + phase + "\",\"initContainerStatuses\":" + initStatuses + ",\"containerStatuses\":" + statuses + "," +
            "\"conditions\":[{\"type\":\"Ready\",\"status\":\"False\"}]}}")!.AsObject();

    [Fact]
    public void Crash_loops_show_back_off_and_the_last_restart()
    {
        var pod = Pod("""[{"name":"rclone"},{"name":"app"}]""", """
            [{"name":"rclone","ready":false,"restartCount":4,"state":{"waiting":{"reason":"CrashLoopBackOff"}},
              "lastState":{"terminated":{"exitCode":1,"reason":"Error","finishedAt":"2026-01-01T11:59:30Z"}}},
             {"name":"app","ready":true,"restartCount":0,"state":{"running":{}}}]
            """);
        Assert.Equal(new PodStatusText.Row("1/2", "CrashLoopBackOff", "4 (30s ago)"), PodStatusText.Compute(pod, Now));
    }

    [Fact]
    public void Waiting_containers_and_init_containers_show_their_stage()
    {
        var creating = Pod("""[{"name":"app"}]""", """[{"name":"app","ready":false,"restartCount":0,"state":{"waiting":{"reason":"ContainerCreating"}}}]""", "Pending");
        Assert.Equal(new PodStatusText.Row("0/1", "ContainerCreating", "0"), PodStatusText.Compute(creating, Now));

        var init = Pod("""[{"name":"app"}]""", """[{"name":"app","ready":false,"restartCount":0,"state":{"waiting":{"reason":"PodInitializing"}}}]""", "Pending",
            """[{"name":"init-dirs"},{"name":"other"}]""", """[{"name":"init-dirs","ready":false,"restartCount":0,"state":{"running":{}}},{"name":"other","ready":false,"restartCount":0,"state":{"waiting":{"reason":"PodInitializing"}}}]""");
        Assert.Equal("Init:0/2", PodStatusText.Compute(init, Now).Status);

        var initFailed = Pod("""[{"name":"app"}]""", "[]", "Pending", """[{"name":"init-dirs"}]""",
            """[{"name":"init-dirs","ready":false,"restartCount":2,"state":{"waiting":{"reason":"CrashLoopBackOff"}}}]""");
        Assert.Equal("Init:CrashLoopBackOff", PodStatusText.Compute(initFailed, Now).Status);
    }

    [Fact]
    public void Completed_terminating_and_native_sidecars()
    {
        var done = Pod("""[{"name":"job"}]""", """[{"name":"job","ready":false,"restartCount":0,"state":{"terminated":{"exitCode":0,"reason":"Completed"}}}]""", "Succeeded");
        Assert.Equal(new PodStatusText.Row("0/1", "Completed", "0"), PodStatusText.Compute(done, Now));

        var terminating = Pod("""[{"name":"app"}]""", """[{"name":"app","ready":true,"restartCount":0,"state":{"running":{}}}]""",
            extraMeta: ""","deletionTimestamp":"2026-01-01T12:00:30Z" """);
        Assert.Equal("Terminating", PodStatusText.Compute(terminating, Now).Status);

        var sidecar = Pod("""[{"name":"app"}]""", """[{"name":"app","ready":true,"restartCount":0,"state":{"running":{}}}]""", "Running",
            """[{"name":"rclone","restartPolicy":"Always"}]""", """[{"name":"rclone","ready":true,"started":true,"restartCount":1,"state":{"running":{}}}]""");
        Assert.Equal(new PodStatusText.Row("2/2", "Running", "1"), PodStatusText.Compute(sidecar, Now));
    }

    [Theory]
    [InlineData(5, "5s")]
    [InlineData(119, "119s")]
    [InlineData(150, "2m30s")]
    [InlineData(600, "10m")]
    [InlineData(3 * 3600 + 120, "3h2m")]
    [InlineData(30 * 3600, "30h")]
    [InlineData(3 * 86400 + 3600, "3d1h")]
    [InlineData(40 * 86400, "40d")]
    public void Ages_read_like_kubectl(int seconds, string expected) =>
        Assert.Equal(expected, HumanDuration.Format(TimeSpan.FromSeconds(seconds)));
}
