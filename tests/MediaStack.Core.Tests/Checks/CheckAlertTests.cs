using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using MediaStack.Core.Checks;
using MediaStack.Core.Checks.Notify;
using MediaStack.Core.Errors;
using MediaStack.Core.Tests.Cluster;
using static MediaStack.Core.Tests.Checks.Summaries;

namespace MediaStack.Core.Tests.Checks;

// Alert bodies per preset, and the POST itself against a listener on 127.0.0.1.
[Collection(nameof(LocalHttpServers))]
public sealed class CheckAlertTests
{
    private static CheckAlert Problem()
    {
        var summary = Round(Healthy("plex", "plex-1"), Broken("sonarr", "sonarr-1", reason: "see https://zurg.example/dl?token=abc123"));
        return new CheckAlert(summary, CheckState.Compare(null, summary).Changes);
    }

    [Theory]
    [InlineData("https://discord.com/api/webhooks/123/secret-part", NotifyFormat.Discord)]
    [InlineData("https://hooks.slack.com/services/T0/B0/secret-part", NotifyFormat.Slack)]
    [InlineData("https://ntfy.sh/mediastack-alerts", NotifyFormat.Ntfy)]
    [InlineData("https://ntfy.home.example/media", NotifyFormat.Ntfy)]
    [InlineData("https://n8n.home.example/webhook/x", NotifyFormat.Json)]
    public void Auto_picks_the_preset_from_the_host(string uri, NotifyFormat expected)
    {
        Assert.Equal(expected, CheckAlert.Resolve(NotifyFormat.Auto, new Uri(uri)));
        Assert.Equal(NotifyFormat.Slack, CheckAlert.Resolve(NotifyFormat.Slack, new Uri(uri)));
    }

    [Fact]
    public async Task Each_preset_carries_the_changes_and_no_secret()
    {
        var alert = Problem();
        var generic = JsonNode.Parse(await alert.Body(NotifyFormat.Json).ReadAsStringAsync())!;
        var discord = JsonNode.Parse(await alert.Body(NotifyFormat.Discord).ReadAsStringAsync())!;
        var slack = JsonNode.Parse(await alert.Body(NotifyFormat.Slack).ReadAsStringAsync())!;
        var ntfy = alert.Body(NotifyFormat.Ntfy);

        Assert.Equal("problem", (string?)generic["event"]);
        Assert.Equal(1, (int?)generic["exitCode"]);
        Assert.Equal("Unhealthy", (string?)generic["changes"]![0]!["kind"]);
        Assert.Equal("sonarr", (string?)generic["changes"]![0]!["app"]);
        Assert.Contains("media-stack/sonarr is unhealthy (NOTMOUNTED)", (string?)discord["content"]);
        Assert.Equal("MediaStack", (string?)discord["username"]);
        Assert.StartsWith("🔴 Unhealthy: 1 of 2", (string?)slack["text"]);
        Assert.Equal("text/plain", ntfy.Headers.ContentType!.MediaType);
        Assert.Equal("high", ntfy.Headers.GetValues("Priority").Single());
        Assert.Equal("MediaStack: Unhealthy (media-stack)", ntfy.Headers.GetValues("Title").Single());
        foreach (var body in new[] { generic.ToJsonString(), discord.ToJsonString(), slack.ToJsonString(), await ntfy.ReadAsStringAsync() })
        {
            Assert.DoesNotContain("abc123", body);
        }
    }

    [Fact]
    public void A_recovery_says_so_and_a_long_discord_message_is_cut_at_2000()
    {
        var summary = Round(Enumerable.Range(0, 80).Select(i => Healthy($"app-with-a-long-name-{i}", $"pod-{i}")).ToArray());
        var changes = Enumerable.Range(0, 80).Select(i => new CheckChange(CheckChangeKind.Recovered, "media-stack", $"app-with-a-long-name-{i}", "STALE", "OK", "healthy")).ToList();
        var alert = new CheckAlert(summary, changes);

        Assert.Equal("recovery", alert.Event);
        var content = (string?)JsonNode.Parse(alert.Body(NotifyFormat.Discord).ReadAsStringAsync().Result)!["content"];
        Assert.Equal(2000, content!.Length);
        Assert.StartsWith("🟢 Healthy", content);
    }

    [Fact]
    public void Only_http_urls_are_accepted_and_the_display_hides_the_path()
    {
        var error = Assert.Throws<MediaStackException>(() => new CheckNotifier(new Uri("file:///etc/passwd")));
        Assert.Equal(ErrorIds.InvalidNotifyUri, error.ErrorId);
        Assert.Equal("https://discord.com/*** (Discord)", new CheckNotifier(new Uri("https://discord.com/api/webhooks/1/tok")).Display);
    }

    [Fact]
    public async Task Posts_to_a_listener_and_a_refused_post_is_a_message_not_an_exception()
    {
        var port = FreePort();
        using var listener = new HttpListener();
        listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        listener.Start();
        var received = Task.Run(async () =>
        {
            var context = await listener.GetContextAsync();
            using var reader = new StreamReader(context.Request.InputStream);
            var body = await reader.ReadToEndAsync();
            var type = context.Request.ContentType;
            context.Response.StatusCode = 204;
            context.Response.Close();
            return (Body: body, Type: type, Method: context.Request.HttpMethod, Path: context.Request.Url!.AbsolutePath);
        });
        var notifier = new CheckNotifier(new Uri($"http://127.0.0.1:{port}/hook/s3cret-path"), NotifyFormat.Json);
        Assert.Null(await notifier.SendAsync(Problem(), CancellationToken.None));
        var request = await received.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("POST", request.Method);
        Assert.Equal("/hook/s3cret-path", request.Path);
        Assert.StartsWith("application/json", request.Type);
        Assert.Equal("problem", (string?)JsonNode.Parse(request.Body)!["event"]);
        listener.Stop();

        var failure = await new CheckNotifier(new Uri($"http://127.0.0.1:{FreePort()}/hook/s3cret-path"), NotifyFormat.Json, TimeSpan.FromSeconds(5)).SendAsync(Problem(), CancellationToken.None);
        Assert.NotNull(failure);
        Assert.Contains("could not be sent", failure);
        Assert.DoesNotContain("s3cret", failure);
    }

    private static int FreePort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }
}
