using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json.Nodes;
using MediaStack.Sandbox.Json;

namespace MediaStack.Sandbox.Node;

// A trivial node: pods "run" at once (init containers completed, containers running and
// ready), exec runs the command as a plain host process so stdout, stderr and exit codes
// are real, and each container's log holds a line saying it started. No isolation, no
// mounts: for API tests and machines where the Linux runtime is unavailable.
public sealed class HostProcessRuntime : INodeRuntime
{
    sealed record PodRecord(string Namespace, string Name, string Uid, HashSet<string> Containers, ConcurrentDictionary<string, string> Logs);

    readonly ConcurrentDictionary<string, PodRecord> _pods = new();
    INodeHost? _host;

    public string? Unavailable => null;

    public void Attach(INodeHost host) => _host = host;

    static string Key(string ns, string name) => $"{ns}/{name}";

    public Task StartPodAsync(JsonObject pod, CancellationToken ct)
    {
        var host = _host ?? throw new InvalidOperationException("the runtime is not attached to a host");
        var (ns, name, uid) = (pod.Namespace(), pod.Name(), pod.Uid());
        var now = JsonPath.Timestamp(DateTimeOffset.UtcNow);
        var containers = pod.Objects("spec", "containers").ToList();
        var inits = pod.Objects("spec", "initContainers").ToList();
        var logs = new ConcurrentDictionary<string, string>();
        foreach (var c in inits.Concat(containers))
            logs[c.Str("name") ?? ""] = $"{now} host runtime: started {c.Str("name")} ({c.Str("image")})\n";
        _pods[Key(ns, name)] = new PodRecord(ns, name, uid, logs.Keys.ToHashSet(), logs);

        host.UpdatePodStatus(ns, name, uid, status =>
        {
            status["phase"] = "Running";
            status["initContainerStatuses"] = new JsonArray(inits.Select(c => (JsonNode)Status(c,
                c.Str("restartPolicy") == "Always"
                    ? new JsonObject { ["running"] = new JsonObject { ["startedAt"] = now } }
                    : new JsonObject { ["terminated"] = new JsonObject { ["exitCode"] = 0, ["reason"] = "Completed", ["startedAt"] = now, ["finishedAt"] = now } },
                ready: c.Str("restartPolicy") == "Always")).ToArray());
            if (inits.Count == 0) status.Remove("initContainerStatuses");
            status["containerStatuses"] = new JsonArray(containers.Select(c => (JsonNode)Status(c,
                new JsonObject { ["running"] = new JsonObject { ["startedAt"] = now } }, ready: true)).ToArray());
            var conditions = new JsonArray();
            foreach (var type in new[] { "PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady", "PodScheduled" })
                conditions.Add(new JsonObject { ["type"] = type, ["status"] = "True", ["lastProbeTime"] = null, ["lastTransitionTime"] = now });
            status["conditions"] = conditions;
        });
        foreach (var c in containers)
        {
            host.RecordEvent(ns, "Pod", name, uid, "Normal", "Pulled", $"Container image \"{c.Str("image")}\" already present on machine");
            host.RecordEvent(ns, "Pod", name, uid, "Normal", "Created", $"Created container: {c.Str("name")}");
            host.RecordEvent(ns, "Pod", name, uid, "Normal", "Started", $"Started container {c.Str("name")}");
        }
        return Task.CompletedTask;
    }

    static JsonObject Status(JsonObject container, JsonObject state, bool ready) => new()
    {
        ["name"] = container.Str("name"),
        ["image"] = container.Str("image"),
        ["imageID"] = $"host://{container.Str("image")}",
        ["containerID"] = $"host://{Guid.NewGuid():N}",
        ["ready"] = ready,
        ["started"] = state["running"] is not null,
        ["restartCount"] = 0,
        ["state"] = state,
        ["lastState"] = new JsonObject(),
    };

    public Task StopPodAsync(string ns, string name, string uid, int gracePeriodSeconds, CancellationToken ct)
    {
        if (!_pods.TryGetValue(Key(ns, name), out var record) || record.Uid != uid) return Task.CompletedTask;
        foreach (var container in record.Containers)
            _host?.RecordEvent(ns, "Pod", name, uid, "Normal", "Killing", $"Stopping container {container}");
        _pods.TryRemove(Key(ns, name), out _);
        return Task.CompletedTask;
    }

    public async Task<int> ExecAsync(ExecRequest request, CancellationToken ct)
    {
        if (!_pods.TryGetValue(Key(request.Namespace, request.Pod), out var pod))
            throw new ContainerNotFoundException($"pod {request.Namespace}/{request.Pod} is not running on this node");
        if (!pod.Containers.Contains(request.Container))
            throw new ContainerNotFoundException($"container not found (\"{request.Container}\")");

        var start = new ProcessStartInfo(request.Command[0])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in request.Command.Skip(1)) start.ArgumentList.Add(arg);
        using var process = new Process { StartInfo = start };
        try { process.Start(); }
        catch (System.ComponentModel.Win32Exception)
        {
            var message = System.Text.Encoding.UTF8.GetBytes(
                $"OCI runtime exec failed: exec failed: unable to start container process: exec: \"{request.Command[0]}\": executable file not found in $PATH: unknown\n");
            await request.Stderr(message, ct);
            return 126;
        }
        using var kill = ct.Register(() => { try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { } });

        var stdin = Task.Run(async () =>
        {
            try
            {
                if (request.Stdin is not null) await request.Stdin.CopyToAsync(process.StandardInput.BaseStream, ct);
            }
            catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException) { }
            finally
            {
                try { process.StandardInput.Close(); } catch (Exception e) when (e is IOException or InvalidOperationException) { }
            }
        }, CancellationToken.None);
        var stdout = Pump(process.StandardOutput.BaseStream, request.Stdout, ct);
        var stderr = Pump(process.StandardError.BaseStream, request.Stderr, ct);
        await Task.WhenAll(stdout, stderr);
        await process.WaitForExitAsync(ct);
        ct.ThrowIfCancellationRequested();
        return process.ExitCode;
    }

    static async Task Pump(Stream from, Func<ReadOnlyMemory<byte>, CancellationToken, Task> to, CancellationToken ct)
    {
        var buffer = new byte[16384];
        int n;
        while ((n = await from.ReadAsync(buffer, ct)) > 0) await to(buffer.AsMemory(0, n), ct);
    }

    public string? ReadLog(string ns, string pod, string container, bool previous)
    {
        if (previous) return null;
        return _pods.TryGetValue(Key(ns, pod), out var record) && record.Logs.TryGetValue(container, out var log) ? log : null;
    }

    public ValueTask DisposeAsync()
    {
        _pods.Clear();
        return ValueTask.CompletedTask;
    }
}
