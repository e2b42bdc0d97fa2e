using System.Text;
using MediaStack.Sandbox.Api;
using MediaStack.Sandbox.Hosting;
using MediaStack.Sandbox.Json;
using MediaStack.Sandbox.Store;

namespace MediaStack.Sandbox.Exec;

// GET pods/{name}/log: container, previous, tailLines, follow (polling the node's log).
public sealed class LogHandler(SandboxCluster cluster)
{
    public async Task Serve(HttpContext ctx, string ns, string podName)
    {
        var pod = cluster.Store.Get(ResourceCatalog.Pods, ns, podName) ?? throw ApiException.NotFound("", "pods", podName);
        var query = ctx.Request.Query;
        var container = ContainerResolver.Resolve(pod, query["container"]);
        var previous = HttpJson.Flag(ctx, "previous");
        var follow = HttpJson.Flag(ctx, "follow");
        int? tail = int.TryParse(query["tailLines"], out var t) && t >= 0 ? t : null;

        if (pod.Str("spec", "nodeName") is not { Length: > 0 })
            throw ApiException.BadRequest($"pod {podName} does not have a host assigned");
        var log = cluster.Runtime.ReadLog(ns, podName, container, previous);
        if (log is null)
        {
            if (previous)
                throw ApiException.BadRequest($"previous terminated container \"{container}\" in pod \"{podName}\" not found");
            if (ContainerResolver.StatusOf(pod, container)?.Str("state", "waiting", "reason") is { } waiting)
                throw ApiException.BadRequest($"container \"{container}\" in pod \"{podName}\" is waiting to start: {waiting}");
            log = "";
        }

        ctx.Response.StatusCode = 200;
        ctx.Response.ContentType = "text/plain";
        var text = tail is { } n ? Tail(log, n) : log;
        await ctx.Response.WriteAsync(text, ctx.RequestAborted);
        if (!follow || previous) return;

        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ctx.RequestAborted, cluster.Stopping);
        var sent = log.Length;
        try
        {
            await ctx.Response.Body.FlushAsync(cts.Token);
            while (!cts.IsCancellationRequested)
            {
                await Task.Delay(250, cts.Token);
                var current = cluster.Store.Get(ResourceCatalog.Pods, ns, podName);
                var now = cluster.Runtime.ReadLog(ns, podName, container, false) ?? "";
                if (now.Length > sent)
                {
                    await ctx.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(now[sent..]), cts.Token);
                    await ctx.Response.Body.FlushAsync(cts.Token);
                    sent = now.Length;
                }
                else if (now.Length < sent) sent = now.Length;
                var state = current is null ? null : ContainerResolver.StatusOf(current, container);
                if (current is null || state?.Obj("state", "terminated") is not null) return;
            }
        }
        catch (OperationCanceledException) { }
    }

    static string Tail(string log, int lines)
    {
        if (lines == 0) return "";
        var all = log.EndsWith('\n') ? log[..^1].Split('\n') : log.Split('\n');
        if (log.Length == 0) return "";
        var kept = all.Skip(Math.Max(0, all.Length - lines));
        return string.Join('\n', kept) + (log.EndsWith('\n') ? "\n" : "");
    }
}
