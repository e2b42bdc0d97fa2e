using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;
using MediaStack.Core.Cluster;
using MediaStack.Core.Config;
using MediaStack.Core.Diagnosis.Model;
using MediaStack.Core.Diagnosis.Runtime;
using MediaStack.Core.Workloads;
using MediaStack.Core.Pods;
using MediaStack.Core.Probes;
using MediaStack.Core.Sidecars;

namespace MediaStack.Core.Diagnosis.Live;

// Collects the runtime evidence of pods (or of every workload of a namespace) from the
// cluster: owning workload, status, events, sidecar logs (current and previous), secrets,
// privilege admission, and three bounded execs per pod: Test-MediaMount's mount probe in
// the app container, /dev/fuse in each running sidecar, a sample of stream/ symlinks.
public sealed class LiveSubjects
{
    private readonly IKubernetes _client;
    private readonly IPodExec _exec;
    private readonly MediaStackConfig _config;
    private readonly LiveDiagnosisOptions _options;
    private readonly ConcurrentDictionary<string, ClusterFacts> _facts = new();
    private readonly ConcurrentDictionary<(string, string, string), Lazy<Task<JsonObject?>>> _owners = new();
    private Lazy<Task<IReadOnlyList<NodeProvider>?>>? _providers;

    public LiveSubjects(IKubernetes client, IPodExec exec, MediaStackConfig config, LiveDiagnosisOptions? options = null)
    {
        _client = client;
        _exec = exec;
        _config = config;
        _options = options ?? new LiveDiagnosisOptions();
    }

    // Every Deployment, StatefulSet and DaemonSet of the namespace: one subject per pod, or
    // one without a pod when none exists (pods refused at admission); bare pods alone.
    public async Task<IReadOnlyList<DiagnosisSubject>> ForNamespaceAsync(string @namespace, CancellationToken ct)
    {
        var owners = new List<JsonObject>();
        await foreach (var item in PagedList.AllAppsAsync(_client, @namespace, ct: ct).ConfigureAwait(false))
        {
            owners.Add(item);
        }
        var pods = new List<MediaPod>();
        await foreach (var pod in PagedList.PodsAsync(_client, @namespace, ct: ct).ConfigureAwait(false))
        {
            pods.Add(MediaPodFactory.FromPod(pod, _config));
        }
        var work = new List<(JsonObject? Owner, MediaPod? Pod)>();
        foreach (var owner in owners.OrderBy(o => Kind(o), StringComparer.Ordinal).ThenBy(o => Name(o), StringComparer.Ordinal))
        {
            var owned = pods.Where(pod => pod.App == Name(owner) && pod.OwnerKind == Kind(owner)).ToList();
            if (owned.Count == 0)
            {
                work.Add((owner, null));
            }
            work.AddRange(owned.Select(pod => ((JsonObject?)owner, (MediaPod?)pod)));
        }
        work.AddRange(pods.Where(pod => pod.OwnerKind is null).Select(pod => ((JsonObject?)null, (MediaPod?)pod)));
        return await CollectAsync(work, ct).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<DiagnosisSubject>> ForPodsAsync(IReadOnlyList<MediaPod> pods, CancellationToken ct)
    {
        var work = new List<(JsonObject? Owner, MediaPod? Pod)>();
        foreach (var pod in pods)
        {
            work.Add((await OwnerAsync(pod, ct).ConfigureAwait(false), pod));
        }
        return await CollectAsync(work, ct).ConfigureAwait(false);
    }

    // One workload (an app piped in): a subject per pod, or one without a pod when it has
    // none (its pods refused at admission, say).
    public async Task<IReadOnlyList<DiagnosisSubject>> ForWorkloadAsync(JsonObject owner, IReadOnlyList<MediaPod> pods, CancellationToken ct) =>
        await CollectAsync(pods.Count == 0 ? [(owner, null)] : pods.Select(pod => ((JsonObject?)owner, (MediaPod?)pod)).ToList(), ct).ConfigureAwait(false);

    private static string Name(JsonObject resource) => resource["metadata"]?["name"]?.ToString() ?? "";

    private static string Kind(JsonObject resource) => resource["kind"]?.ToString() ?? "";

    private async Task<IReadOnlyList<DiagnosisSubject>> CollectAsync(IReadOnlyList<(JsonObject? Owner, MediaPod? Pod)> work, CancellationToken ct)
    {
        var probes = await ProbeAsync(work.Select(item => item.Pod).OfType<MediaPod>().ToList(), ct).ConfigureAwait(false);
        using var slots = new SemaphoreSlim(_options.ThrottleLimit);
        var tasks = work.Select(async item =>
        {
            await slots.WaitAsync(ct).ConfigureAwait(false);
            try
            {
                return await SubjectAsync(item.Owner, item.Pod, item.Pod is null ? null : probes.GetValueOrDefault(item.Pod), ct).ConfigureAwait(false);
            }
            finally
            {
                slots.Release();
            }
        });
        return await Task.WhenAll(tasks).ConfigureAwait(false);
    }

    // One exec per pod, in parallel: the same probe as Test-MediaMount (no second mount check).
    private async Task<Dictionary<MediaPod, PodMountReport>> ProbeAsync(IReadOnlyList<MediaPod> pods, CancellationToken ct)
    {
        var runner = new MountCheckRunner(_exec, new MountCheckOptions(TimeoutSec: _options.TimeoutSec, Deep: _options.Deep) { StartupGraceSec = _config.StartupGraceSec }, ct);
        foreach (var pod in pods)
        {
            runner.Add(pod);
        }
        runner.Complete();
        var reports = new Dictionary<MediaPod, PodMountReport>();
        await foreach (var result in runner.Results.ReadAllAsync(ct).ConfigureAwait(false))
        {
            if (result.Report.MediaPod is { } pod)
            {
                reports[pod] = result.Report;
            }
        }
        return reports;
    }

    private async Task<DiagnosisSubject> SubjectAsync(JsonObject? owner, MediaPod? pod, PodMountReport? probe, CancellationToken ct)
    {
        var ownerModel = owner is null ? null : Workload.From(owner, _config);
        // What runs is the pod's own spec (an older ReplicaSet's pod can differ from the
        // template); without a pod, the template says what would run.
        var workload = pod?.Workload ?? ownerModel!;
        var ns = pod?.Namespace ?? ownerModel!.Namespace ?? _config.Namespace;
        var facts = _facts.GetOrAdd(ns, name => new ClusterFacts(_client, name));
        var gaps = new List<string>();
        var podJson = pod?.Pod is null ? null : Json.From(pod.Pod);
        // The template's service account is the one future pods run as: the one to grant.
        var account = (ownerModel ?? workload).ServiceAccount;
        var target = new DiagnosisTarget(ns, ownerModel?.Name, pod?.Name, null)
        {
            ServiceAccount = account,
            ResourceKind = ownerModel?.ResourceKind ?? "Pod",
        };

        var events = await Try(() => facts.EventsAsync(ct), "events", gaps).ConfigureAwait(false) ?? [];
        var evidence = new RuntimeEvidence
        {
            Pod = podJson,
            DesiredReplicas = owner is null ? 1 : ownerModel!.ResourceKind == "DaemonSet" ? (int?)owner["status"]?["desiredNumberScheduled"] ?? 1 : (int?)owner["spec"]?["replicas"] ?? 1,
            Events = events.Where(e => IsAbout(e, ownerModel?.Name, pod)).ToList(),
            Secrets = await SecretsAsync(workload, facts, gaps, ct).ConfigureAwait(false),
            Privilege = await Try(() => facts.PrivilegeAsync(account, ct), "privilege check", gaps).ConfigureAwait(false),
            Logs = pod is null ? [] : await LogsAsync(workload, pod, gaps, ct).ConfigureAwait(false),
            FuseDevices = pod is null ? new Dictionary<string, bool?>() : await FuseDevicesAsync(workload, pod, podJson!, gaps, ct).ConfigureAwait(false),
            MountProbes = probe is null ? [] : probe.Mounts
                .Where(m => m.Status != MountHealth.SKIP)
                .Select(m => new ProbeObservation(m.Mount, m.Path, m.Status.ToString(), m.Entries, m.FsType, m.Reason)).ToList(),
            Symlinks = pod is null || probe is null ? null : await SymlinksAsync(pod, probe, gaps, ct).ConfigureAwait(false),
            NodeProviders = workload.ExpectedMounts.Any(mount => mount.ServedByNode) ? await NodeProvidersAsync(gaps, ct).ConfigureAwait(false) : null,
            Gaps = gaps,
        };
        return new DiagnosisSubject(target, workload, owner, evidence);
    }

    // DaemonSets whose rclone mounts into a host path, and the nodes their pods run on; read
    // once per run, cluster-wide when allowed (providers often live in their own namespace).
    private Task<IReadOnlyList<NodeProvider>?> NodeProvidersAsync(List<string> gaps, CancellationToken ct) =>
        LazyInitializer.EnsureInitialized(ref _providers, () => new Lazy<Task<IReadOnlyList<NodeProvider>?>>(async () =>
        {
            var providers = new List<NodeProvider>();
            try
            {
                await foreach (var set in PagedList.AppsAsync(_client, null, "daemonsets", "DaemonSet", ct: ct).ConfigureAwait(false))
                {
                    var model = Workload.From(set, _config);
                    if (model.Kind != WorkloadKind.NodeMountProvider || model.MediaVolume is not { IsHostPath: true } media)
                    {
                        continue;
                    }
                    var selector = string.Join(",", (set["spec"]?["selector"]?["matchLabels"] as JsonObject ?? []).Select(label => $"{label.Key}={label.Value}"));
                    var nodes = new List<string>();
                    await foreach (var pod in PagedList.PodsAsync(_client, model.Namespace, labelSelector: selector, ct: ct).ConfigureAwait(false))
                    {
                        if (pod.Status?.Phase == "Running" && pod.Spec?.NodeName is { } node)
                        {
                            nodes.Add(node);
                        }
                    }
                    providers.Add(new NodeProvider($"{model.Namespace}/{model.Name}", media.HostPath!, nodes));
                }
            }
            catch (HttpOperationException error)
            {
                gaps.Add($"node-level providers (daemonsets in all namespaces): {(int)error.Response.StatusCode}");
                return null;
            }
            return providers;
        })).Value;

    // Events of the pod itself, of the Deployment, and of its ReplicaSets (<deployment>-<hash>):
    // their FailedCreate events are the only trace of pods refused at admission. For a pod,
    // controller events not newer than the pod describe an earlier state and are left out.
    private static bool IsAbout(JsonObject e, string? deployment, MediaPod? pod)
    {
        var kind = e["involvedObject"]?["kind"]?.ToString();
        var name = e["involvedObject"]?["name"]?.ToString() ?? "";
        if (pod is not null && kind == "Pod")
        {
            return name == pod.Name;
        }
        var controller = deployment is not null
            && ((kind is "Deployment" or "StatefulSet" or "DaemonSet" && name == deployment) || (kind == "ReplicaSet" && name.StartsWith(deployment + "-", StringComparison.Ordinal)));
        if (!controller)
        {
            return false;
        }
        // Event times have whole seconds: one from the pod's own creation second is old too.
        if (pod?.CreationTimestamp is { } created && LastSeen(e) is { } seen && seen <= created.ToUniversalTime())
        {
            return false;
        }
        return true;
    }

    private static DateTime? LastSeen(JsonObject e)
    {
        foreach (var key in new[] { "lastTimestamp", "eventTime", "firstTimestamp" })
        {
            if (e[key]?.ToString() is { Length: > 0 } text && DateTime.TryParse(text, System.Globalization.CultureInfo.InvariantCulture,
                    System.Globalization.DateTimeStyles.AdjustToUniversal | System.Globalization.DateTimeStyles.AssumeUniversal, out var time))
            {
                return time;
            }
        }
        return null;
    }

    // The workload that owns a pod, as the API serves it: a Deployment through its
    // ReplicaSet, a StatefulSet or DaemonSet directly; null for a bare pod or when unreadable.
    private async Task<JsonObject?> OwnerAsync(MediaPod pod, CancellationToken ct)
    {
        var reference = pod.Pod?.Metadata?.OwnerReferences?.FirstOrDefault(o => o.Controller == true) ?? pod.Pod?.Metadata?.OwnerReferences?.FirstOrDefault();
        if (reference is null || reference.Kind is not ("ReplicaSet" or "StatefulSet" or "DaemonSet"))
        {
            return null;
        }
        return await _owners.GetOrAdd((pod.Namespace, reference.Kind, reference.Name), key => new Lazy<Task<JsonObject?>>(async () =>
        {
            try
            {
                var (ns, kind, name) = key;
                if (kind == "ReplicaSet")
                {
                    var set = await _client.AppsV1.ReadNamespacedReplicaSetAsync(name, ns, cancellationToken: ct).ConfigureAwait(false);
                    if (set.Metadata?.OwnerReferences?.FirstOrDefault(o => o.Kind == "Deployment")?.Name is not { } deployment)
                    {
                        return null;
                    }
                    (kind, name) = ("Deployment", deployment);
                }
                var raw = await _client.CustomObjects.GetNamespacedCustomObjectAsync("apps", "v1", ns, kind.ToLowerInvariant() + "s", name, ct).ConfigureAwait(false);
                var owner = Json.From(raw);
                owner["apiVersion"] ??= "apps/v1";
                owner["kind"] ??= kind;
                return owner;
            }
            catch (HttpOperationException)
            {
                return null;
            }
        })).Value.ConfigureAwait(false);
    }

    private static async Task<IReadOnlyDictionary<string, bool>> SecretsAsync(Workload view, ClusterFacts facts, List<string> gaps, CancellationToken ct)
    {
        var result = new Dictionary<string, bool>(StringComparer.Ordinal);
        foreach (var name in view.Volumes.Select(v => WorkloadContainer.Text(v["secret"]?["secretName"])).OfType<string>().Distinct())
        {
            var exists = await facts.SecretExistsAsync(name, ct).ConfigureAwait(false);
            if (exists is null)
            {
                gaps.Add($"secret {name}: cannot be read");
                continue;
            }
            result[name] = exists.Value;
        }
        return result;
    }

    private async Task<IReadOnlyList<ContainerLog>> LogsAsync(Workload view, MediaPod pod, List<string> gaps, CancellationToken ct)
    {
        var logs = new List<ContainerLog>();
        foreach (var sidecar in view.RcloneMounts)
        {
            foreach (var previous in new[] { false, true })
            {
                try
                {
                    using var stream = await _client.CoreV1.ReadNamespacedPodLogAsync(pod.Name, pod.Namespace, container: sidecar.Name,
                        previous: previous, tailLines: _options.LogTailLines, cancellationToken: ct).ConfigureAwait(false);
                    using var reader = new StreamReader(stream);
                    logs.Add(new ContainerLog(sidecar.Name, previous, await reader.ReadToEndAsync(ct).ConfigureAwait(false)));
                }
                catch (HttpOperationException error)
                {
                    // No previous instance (400) is normal; anything else is a gap.
                    if (!previous)
                    {
                        gaps.Add($"log of {sidecar.Name}: {(int)error.Response.StatusCode}");
                    }
                }
            }
        }
        return logs;
    }

    private async Task<IReadOnlyDictionary<string, bool?>> FuseDevicesAsync(Workload view, MediaPod pod, JsonObject podJson, List<string> gaps, CancellationToken ct)
    {
        var result = new Dictionary<string, bool?>(StringComparer.Ordinal);
        foreach (var sidecar in view.RcloneMounts)
        {
            if (!IsRunning(podJson, sidecar.Name))
            {
                continue;
            }
            var exec = await Exec(pod, sidecar.Name, ["sh", "-c", "if [ -c /dev/fuse ]; then echo present; else echo absent; fi"], gaps, ct).ConfigureAwait(false);
            result[sidecar.Name] = exec?.ExitCode == 0 ? exec.Stdout.Contains("present", StringComparison.Ordinal) : null;
        }
        return result;
    }

    // Resolves at most $2 links under $1, each bounded by a SIGKILL timeout.
    internal static readonly string SymlinkScript = ShellText.Script("""
        [ -d "$1" ] || exit 0
        find "$1" -maxdepth 5 -type l 2>/dev/null | head -n "$2" | while IFS= read -r link; do
          if timeout -s KILL 3 stat -L "$link" >/dev/null 2>&1; then echo "ok"; else printf 'broken\t%s\t%s\n' "$link" "$(readlink "$link")"; fi
        done
        """);

    // A bounded sample: at most N links, each resolved with a SIGKILL timeout so a hung mount
    // cannot hold the exec; skipped when a mount is already known to be stale or hung.
    private async Task<SymlinkSample?> SymlinksAsync(MediaPod pod, PodMountReport probe, List<string> gaps, CancellationToken ct)
    {
        if (pod.AppContainer is null || !pod.IsRunning || probe.Mounts.Any(m => m.Status is MountHealth.STALE or MountHealth.TIMEOUT))
        {
            return null;
        }
        var folder = _config.MountRoot.TrimEnd('/') + "/stream";
        var exec = await Exec(pod, pod.AppContainer, ["sh", "-c", SymlinkScript, "sh", folder, _options.SymlinkSample.ToString(System.Globalization.CultureInfo.InvariantCulture)], gaps, ct).ConfigureAwait(false);
        if (exec?.ExitCode != 0)
        {
            return null;
        }
        var lines = exec.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var broken = lines.Where(l => l.StartsWith("broken\t", StringComparison.Ordinal))
            .Select(l => l.Split('\t'))
            .Select(parts => new BrokenLink(parts[1], parts.Length > 2 ? parts[2] : ""))
            .ToList();
        return new SymlinkSample(folder, lines.Length, broken);
    }

    private async Task<ExecResult?> Exec(MediaPod pod, string container, IReadOnlyList<string> command, List<string> gaps, CancellationToken ct)
    {
        try
        {
            var result = await _exec.ExecAsync(new ExecTarget(pod.Namespace, pod.Name, container), command, TimeSpan.FromSeconds(_options.TimeoutSec), ct).ConfigureAwait(false);
            if (result.TimedOut || result.ExitCode is null)
            {
                gaps.Add($"exec in {container}: {(result.TimedOut ? "timed out" : result.Failure)}");
            }
            return result;
        }
        catch (Errors.MediaStackException error)
        {
            gaps.Add($"exec in {container}: {error.Message}");
            return null;
        }
    }

    private static bool IsRunning(JsonObject pod, string container) =>
        new[] { "containerStatuses", "initContainerStatuses" }
            .SelectMany(key => pod["status"]?[key] as JsonArray ?? [])
            .OfType<JsonObject>()
            .Any(status => status["name"]?.ToString() == container && status["state"]?["running"] is not null);

    private static async Task<T?> Try<T>(Func<Task<T>> action, string what, List<string> gaps)
    {
        try
        {
            return await action().ConfigureAwait(false);
        }
        catch (HttpOperationException error)
        {
            gaps.Add($"{what}: {(int)error.Response.StatusCode} {error.Response.ReasonPhrase}");
            return default;
        }
    }
}
