using k8s;
using System.Net;

namespace MediaStack.Sandbox.Tests;

// Runs alone, so its bursts neither disturb nor are disturbed by timing-sensitive tests.
[CollectionDefinition("load", DisableParallelization = true)]
public sealed class LoadCollection;

// Many clients at once: 200 concurrent GET/LIST requests and 50 concurrent execs.
[Collection("load")]
public sealed class LoadTests(SandboxFixture sandbox) : IClassFixture<SandboxFixture>
{
    [Fact]
    public async Task Two_hundred_concurrent_reads_all_succeed()
    {
        using var http = sandbox.Http();
        string[] paths =
        [
            "/api/v1/namespaces/media-stack/pods", "/apis/apps/v1/namespaces/media-stack/deployments/web",
            "/api/v1/pods", "/api/v1/namespaces/media-stack/events", "/apis", "/api/v1/nodes",
        ];
        var results = await Task.WhenAll(Enumerable.Range(0, 200).Select(async i =>
        {
            using var response = await http.GetAsync(paths[i % paths.Length]);
            return (response.StatusCode, (await response.Content.ReadAsStringAsync()).Length);
        }));
        Assert.All(results, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.All(results, r => Assert.True(r.Length > 10));
    }

    [Fact]
    public async Task Fifty_concurrent_execs_all_return_their_own_output()
    {
        using var client = sandbox.Client();
        var pods = (await client.CoreV1.ListNamespacedPodAsync("media-stack", labelSelector: "app=web")).Items.Select(p => p.Metadata.Name).ToList();
        var results = await Task.WhenAll(Enumerable.Range(0, 50).Select(async i =>
        {
            string output = "";
            var exit = await client.NamespacedPodExecAsync(pods[i % pods.Count], "media-stack", "web", ["sh", "-c", $"echo exec-{i}; exit {i % 3}"], false,
                async (stdin, stdout, _) =>
                {
                    stdin.Dispose();
                    output = await new StreamReader(stdout).ReadToEndAsync();
                }, CancellationToken.None);
            return (i, exit, output);
        }));
        Assert.All(results, r =>
        {
            Assert.Equal(r.i % 3, r.exit);
            Assert.Equal($"exec-{r.i}\n", r.output);
        });
    }
}
