using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using MediaStack.Core.Apps;
using MediaStack.Core.Config;
using MediaStack.Core.Errors;
using MediaStack.Core.Manifests;
using MediaStack.Core.Repair;
using MediaStack.Core.Workloads;
using MediaStack.Core.Yaml.Editing;

namespace MediaStack.Core.Reconcile;

// Where a workload to change lives.
public abstract record ReconcileTarget
{
    public abstract string Kind { get; }
}

public sealed record ClusterTarget(string Namespace, string ResourceKind, string Name) : ReconcileTarget
{
    public override string Kind => "Cluster";
}

// A workload document of a manifest file (ManifestScan's index). Span, when known, lets the
// edit read only that document's text instead of parsing the whole file again.
public sealed record FileTarget(string File, int DocumentIndex, JsonObject Document) : ReconcileTarget
{
    public override string Kind => "File";

    public DocumentSpan? Span { get; init; }

    public static FileTarget Of(ManifestDocument document) =>
        new(document.Source, document.Index, document.Document!) { Span = document.Span };
}

public sealed record ObjectTarget(MediaApp App) : ReconcileTarget
{
    public override string Kind => "MediaApp";
}

public sealed record ReconcileOptions
{
    // Patch a live workload that ArgoCD manages.
    public bool Force { get; init; }

    // Grant the service account the privilege its sidecars need when it lacks it.
    public bool GrantPrivilege { get; init; }
}

// A change ready to be shown and applied: the plan, what blocks it, what could not be
// checked, and its preview (JSON patch or unified diff), built only when asked for.
public sealed class PreparedChange
{
    internal PreparedChange(ReconcileTarget target, ChangePlan plan, string targetDisplay)
    {
        Target = target;
        Plan = plan;
        TargetDisplay = targetDisplay;
    }

    public ReconcileTarget Target { get; }

    public ChangePlan Plan { get; }

    public string TargetDisplay { get; }

    public List<MediaStackException> Problems { get; } = [];

    public List<string> Warnings { get; } = [];

    public PrivilegeCheck? Privilege { get; internal set; }

    internal FileEdit? Edit { get; set; }

    public bool NeedsGrant(ReconcileOptions options) => options.GrantPrivilege && Privilege is { Allowed: false };

    // "Add rclone sidecars to deployment/plex in <target>".
    public string Caption => $"{Verb(Plan.Request.Action)} {Plan.Workload.ResourceKind.ToLowerInvariant()}/{Plan.Workload.Name}";

    // The changes, one per line, for -Confirm.
    public string ChangeList => string.Join(Environment.NewLine, Plan.Changes.Select(change => "  " + change));

    // What -WhatIf prints: the JSON patch for the cluster, the unified diff for a file.
    public string Preview(string currentDirectory, ReconcileOptions options)
    {
        var grant = NeedsGrant(options) ? $"{Environment.NewLine}and grant privileged to service account '{Privilege!.ServiceAccount}' ({Privilege.Fix})" : "";
        return Target switch
        {
            ClusterTarget => $"{Caption} in {TargetDisplay}: patch (application/json-patch+json){grant}:{Environment.NewLine}"
                + Plan.ToJsonPatch().ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }),
            FileTarget => $"{Caption} in {TargetDisplay}:{Environment.NewLine}{Edit!.Diff(currentDirectory)}",
            _ => $"{Caption} in {TargetDisplay}:{Environment.NewLine}{ChangeList}",
        };
    }

    private static string Verb(ChangeAction action) => action switch
    {
        ChangeAction.AddSidecars => "Add rclone sidecars to",
        ChangeAction.RemoveSidecars => "Remove rclone sidecars from",
        _ => "Repair",
    };
}

// The one workflow of Add-RcloneSidecar, Remove-RcloneSidecar and Repair-MediaMount: read
// the workload (cluster, file or object) into the model, plan the least change, check what
// must hold before writing (ArgoCD, secrets, privilege, a writable file), show it, apply it
// (one guarded JSON patch, or one atomic in-place edit that keeps comments, encoding and
// line endings, or a changed copy of the object), and say what was done in one result type.
// The cmdlets call Prepare, ask ShouldProcess with its preview, then Apply and Wait.
public sealed class Reconciler(MediaStackConfig config, Func<IKubernetes> client)
{
    public async Task<PreparedChange> PrepareAsync(ReconcileTarget target, ChangeRequest request, ReconcileOptions options, CancellationToken ct)
    {
        switch (target)
        {
            case ClusterTarget cluster:
            {
                var resource = await Writer.ReadAsync(cluster.Namespace, cluster.ResourceKind, cluster.Name, ct).ConfigureAwait(false);
                var prepared = new PreparedChange(target, ChangePlanner.Plan(Workload.From(resource, config), request), $"{Server} ({cluster.Namespace}/{cluster.Name})");
                if (prepared.Plan.Status == PlanStatus.Changed && request.Action != ChangeAction.RemoveSidecars)
                {
                    var preflight = await Writer.PreflightAsync(prepared.Plan, options.Force, options.GrantPrivilege, ct).ConfigureAwait(false);
                    prepared.Problems.AddRange(preflight.Problems);
                    prepared.Warnings.AddRange(preflight.Warnings);
                    prepared.Privilege = preflight.Privilege;
                }
                else if (prepared.Plan.Status == PlanStatus.Changed && ClusterWriter.ArgoProblem(prepared.Plan.Workload, options.Force) is { } argo)
                {
                    prepared.Problems.Add(argo);
                }
                if (options.Force && ClusterWriter.ArgoApplication(resource) is { } application && prepared.Plan.Status == PlanStatus.Changed)
                {
                    prepared.Warnings.Add($"{prepared.Plan.Workload.ResourceKind} '{cluster.Name}' is managed by the ArgoCD application '{application}': self-heal will revert this live change unless the manifest in git is changed too (-Path).");
                }
                return prepared;
            }
            case FileTarget file:
            {
                var prepared = new PreparedChange(target, ChangePlanner.Plan(Workload.From(file.Document, config), request), file.File);
                if (prepared.Plan.Status == PlanStatus.Changed)
                {
                    var name = prepared.Plan.Workload.Name;
                    prepared.Edit = ManifestFiles.Edit(file.File, file.DocumentIndex, name, prepared.Plan.Operations, file.Span);
                    ManifestFiles.EnsureWritable(file.File);
                }
                return prepared;
            }
            case ObjectTarget app:
                return new PreparedChange(target, ChangePlanner.Plan(Workload.From(app.App.Deployment, config), request),
                    $"MediaApp {app.App.Namespace}/{app.App.Name}");
            default:
                throw new ArgumentOutOfRangeException(nameof(target));
        }
    }

    // The result of a change that is not applied: up to date, or skipped with its reason.
    public ReconcileResult Unchanged(PreparedChange prepared) =>
        Result(prepared, prepared.Plan.Status == PlanStatus.Skipped ? ReconcileStatus.Skipped : ReconcileStatus.UpToDate,
            prepared.Plan.Before, prepared.Plan, null);

    public async Task<ReconcileResult> ApplyAsync(PreparedChange prepared, ReconcileOptions options, CancellationToken ct)
    {
        switch (prepared.Target)
        {
            case ClusterTarget:
            {
                string? granted = null;
                if (prepared.NeedsGrant(options))
                {
                    granted = await Writer.GrantPrivilegeAsync(prepared.Privilege!, ct).ConfigureAwait(false);
                }
                var request = prepared.Plan.Request;
                var (after, applied) = await Writer.ApplyAsync(prepared.Plan,
                    fresh => ChangePlanner.Plan(Workload.From(fresh, config), request), ct).ConfigureAwait(false);
                return Result(prepared, applied.IsEmpty ? ReconcileStatus.UpToDate : ReconcileStatus.Changed, after, applied, granted);
            }
            case FileTarget:
                ManifestFiles.Write(prepared.Edit!);
                return Result(prepared, ReconcileStatus.Changed, prepared.Plan.After(), prepared.Plan, null);
            default:
                return Result(prepared, ReconcileStatus.Changed, prepared.Plan.After(), prepared.Plan, null);
        }
    }

    public Task<IReadOnlyList<string>> WaitAsync(ReconcileResult result, TimeSpan timeout, Action<RolloutProgress>? progress, CancellationToken ct) =>
        new RolloutWaiter(client()).WaitAsync(result.Namespace!, result.ResourceKind, result.Name, result.Generation, timeout, progress, ct);

    // Repair-MediaMount's other two kinds of work: a privilege grant, a pod restart.
    public async Task<ReconcileResult> GrantAsync(PrivilegeGrant grant, bool apply, CancellationToken ct)
    {
        var check = await Writer.CheckPrivilegeAsync(grant.Namespace, grant.ServiceAccount, ct).ConfigureAwait(false);
        var ids = grant.Findings.Select(f => f.RuleId).Distinct().ToList();
        ReconcileResult Make(ReconcileStatus status, string change) => new()
        {
            Name = grant.ServiceAccount,
            Namespace = grant.Namespace,
            ResourceKind = "ServiceAccount",
            Action = ReconcileAction.GrantPrivilege,
            TargetKind = "Cluster",
            Target = $"{Server} ({grant.Namespace}/serviceaccount/{grant.ServiceAccount})",
            Status = status,
            Changes = status == ReconcileStatus.Changed ? [change] : [],
            Reason = status == ReconcileStatus.Changed ? null : change,
            RuleIds = ids,
            PrivilegeGranted = status == ReconcileStatus.Changed ? change : null,
        };
        if (check.Allowed)
        {
            return Make(ReconcileStatus.UpToDate, check.Evidence);
        }
        return apply ? Make(ReconcileStatus.Changed, await Writer.GrantPrivilegeAsync(check, ct).ConfigureAwait(false)) : Make(ReconcileStatus.Skipped, check.Fix);
    }

    public async Task<ReconcileResult> RestartAsync(PodRestart restart, CancellationToken ct)
    {
        await client().CoreV1.DeleteNamespacedPodAsync(restart.Pod, restart.Namespace, cancellationToken: ct).ConfigureAwait(false);
        return new ReconcileResult
        {
            Name = restart.Pod,
            Namespace = restart.Namespace,
            ResourceKind = "Pod",
            Action = ReconcileAction.RestartPod,
            TargetKind = "Cluster",
            Target = $"{Server} ({restart.Namespace}/pod/{restart.Pod})",
            Status = ReconcileStatus.Changed,
            Changes = ["deleted the pod; its controller starts a fresh one (a stale FUSE mount goes with the old mount namespace)"],
            RuleIds = restart.Findings.Select(f => f.RuleId).Distinct().ToList(),
        };
    }

    private ClusterWriter Writer => new(client());

    private string Server => client() is Kubernetes kubernetes ? kubernetes.BaseUri.ToString().TrimEnd('/') : "cluster";

    private ReconcileResult Result(PreparedChange prepared, ReconcileStatus status, JsonObject after, ChangePlan plan, string? granted)
    {
        var workload = plan.Workload;
        var app = MediaAppReader.FromResource(after, config, prepared.Target switch
        {
            ClusterTarget => MediaAppReader.ClusterSource,
            FileTarget => MediaAppReader.FileSource,
            ObjectTarget objectTarget => objectTarget.App.Source,
            _ => MediaAppReader.ClusterSource,
        }, (prepared.Target as FileTarget)?.File).App;
        if (prepared.Target is ObjectTarget original)
        {
            app = app with { Service = original.App.Service, Route = original.App.Route, Kustomization = original.App.Kustomization, Readme = original.App.Readme, Path = original.App.Path };
        }
        return new ReconcileResult
        {
            Name = workload.Name,
            Namespace = workload.Namespace ?? (prepared.Target as ObjectTarget)?.App.Namespace,
            ResourceKind = workload.ResourceKind,
            Action = plan.Request.Action switch
            {
                ChangeAction.AddSidecars => ReconcileAction.AddSidecars,
                ChangeAction.RemoveSidecars => ReconcileAction.RemoveSidecars,
                _ => ReconcileAction.Repair,
            },
            TargetKind = prepared.Target.Kind,
            Target = prepared.TargetDisplay,
            Status = status,
            Reason = status == ReconcileStatus.Changed ? null : plan.Reason,
            Changes = status == ReconcileStatus.Changed ? plan.Changes.Select(change => change.ToString()).ToList() : [],
            RuleIds = status == ReconcileStatus.Changed ? plan.RuleIds : [],
            AppContainer = app.AppContainer,
            Mode = plan.Request.Action == ChangeAction.RemoveSidecars ? null : app.SidecarMode,
            PrivilegeGranted = granted,
            Generation = after["metadata"]?["generation"] is JsonValue generation && generation.TryGetValue<long>(out var value) ? value : 0,
            App = app,
        };
    }
}
