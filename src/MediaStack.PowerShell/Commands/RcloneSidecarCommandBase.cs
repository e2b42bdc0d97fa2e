using System.Management.Automation;
using System.Text.Json;
using System.Text.Json.Nodes;
using MediaStack.Core.Apps;
using MediaStack.Core.Errors;
using MediaStack.Core.Manifests;
using MediaStack.Core.Sidecars;
using MediaStack.Core.Sidecars.Reconcile;
using MediaStack.Core.Yaml.Editing;
using MediaStack.PowerShell.Completers;
using MediaStack.PowerShell.Infrastructure;

namespace MediaStack.PowerShell.Commands;

// Add-RcloneSidecar and Remove-RcloneSidecar: one planner (SidecarPlanner) decides the
// change for a Deployment; it is then carried out on a manifest file (in-place text edit),
// on the cluster (one guarded JSON patch) or on a MediaApp object (a changed copy).
public abstract class RcloneSidecarCommandBase : ClusterCmdlet
{
    protected const string ClusterSet = "Cluster";
    protected const string InputObjectSet = "InputObject";
    protected const string PathSet = "Path";

    // Not bound from the pipeline by property name: a file piped from Get-ChildItem has a
    // Name too, and must bind to -Path. Live apps come through the pipeline as MediaApp.
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = ClusterSet)]
    [Parameter(ParameterSetName = PathSet)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(DeploymentNameCompleter))]
    public string? Name { get; set; }

    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = InputObjectSet)]
    public MediaApp? InputObject { get; set; }

    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = PathSet)]
    [Alias("FullName")]
    [ValidateNotNullOrEmpty]
    public string[]? Path { get; set; }

    // Names of configured mounts (zurg, torbox ...); default: every configured mount.
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(MountCompleter))]
    public string[]? Mount { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? AppContainer { get; set; }

    // Patch a live Deployment even though ArgoCD manages it.
    [Parameter]
    public SwitchParameter Force { get; set; }

    [Parameter(ParameterSetName = ClusterSet)]
    [Parameter(ParameterSetName = InputObjectSet)]
    public SwitchParameter Wait { get; set; }

    [Parameter(ParameterSetName = ClusterSet)]
    [Parameter(ParameterSetName = InputObjectSet)]
    [ValidateRange(1, 86400)]
    public int TimeoutSec { get; set; } = 300;

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected abstract bool Removing { get; }

    protected virtual SidecarMode? RequestedMode => null;

    protected virtual bool GrantPrivilegeRequested => false;

    private string Action => Removing ? "Remove rclone sidecars" : "Add rclone sidecars";

    private SidecarPlanOptions Options => new()
    {
        Mode = RequestedMode,
        Mounts = Mount,
        AppContainer = AppContainer,
        Remove = Removing,
    };

    protected override void ProcessRecord()
    {
        switch (ParameterSetName)
        {
            case PathSet:
                foreach (var path in Path!)
                {
                    ProcessFiles(SessionState.Path.GetUnresolvedProviderPathFromPSPath(path), Name);
                }
                break;
            case InputObjectSet:
                var app = InputObject!;
                if (app.Source == MediaAppReader.ClusterSource)
                {
                    ProcessCluster(app.Namespace, app.Name);
                }
                else if (app.Source == MediaAppReader.FileSource && app.Path is not null)
                {
                    ProcessFiles(app.Path, app.Name);
                }
                else
                {
                    ProcessMediaApp(app);
                }
                break;
            default:
                ProcessCluster(TargetNamespace, Name!);
                break;
        }
    }

    private bool TryPlan(JsonObject deployment, out SidecarPlan plan)
    {
        SidecarPlan? planned = null;
        var ok = TryRun(() => planned = SidecarPlanner.Plan(deployment, Config, Options));
        plan = planned!;
        return ok;
    }

    // Values read from YAML are typed by the reader (long, bool); the app reader wants them
    // as the JSON text gives them.

    private static string Describe(SidecarPlan plan) =>
        string.Join(Environment.NewLine, plan.Changes.Select(change => "  " + change));

    private void ProcessFiles(string path, string? name)
    {
        IReadOnlyList<DeploymentInFile> targets = [];
        if (!TryRun(() => targets = ManifestFiles.FindDeployments(path, name)))
        {
            return;
        }
        foreach (var target in targets)
        {
            if (!TryPlan(target.Deployment, out var plan))
            {
                continue;
            }
            if (plan.IsEmpty)
            {
                WriteVerbose($"Deployment '{target.Name}' in {target.File} is already up to date.");
                Emit(plan, "File", target.File, target.Namespace, () => MediaAppReader.FromDeployment(target.Deployment, Config, MediaAppReader.FileSource, target.File).App);
                continue;
            }
            FileEdit? edit = null;
            if (!TryRun(() =>
                {
                    edit = ManifestFiles.Edit(target, plan.Operations);
                    ManifestFiles.EnsureWritable(target.File);
                }))
            {
                continue;
            }
            var description = $"{Action} to Deployment '{target.Name}' in {target.File}:{Environment.NewLine}{edit!.Diff(SessionState.Path.CurrentFileSystemLocation.ProviderPath)}";
            var question = $"{Action} to Deployment '{target.Name}' in {target.File}?{Environment.NewLine}{Describe(plan)}";
            if (!ShouldProcess(description, question, Action))
            {
                continue;
            }
            if (TryRun(() => ManifestFiles.Write(edit)))
            {
                Emit(plan, "File", target.File, target.Namespace, () => MediaAppReader.FromDeployment(plan.After(), Config, MediaAppReader.FileSource, target.File).App);
            }
        }
    }

    private void ProcessMediaApp(MediaApp app)
    {
        if (!TryPlan(app.Deployment, out var plan))
        {
            return;
        }
        MediaApp Changed()
        {
            var after = plan.After();
            var pod = after["spec"]?["template"]?["spec"];
            bool Has(string list, string container) => (pod?[list] as JsonArray ?? []).Any(item => (string?)item?["name"] == container);
            var mounts = Config.Mounts.Where(mount => Has("containers", mount.ContainerName) || Has("initContainers", mount.ContainerName)).ToList();
            return app with
            {
                Deployment = after,
                Mounts = mounts,
                SidecarMode = mounts.Count == 0 ? null : mounts.Any(mount => Has("initContainers", mount.ContainerName)) ? SidecarMode.Native : SidecarMode.Classic,
            };
        }
        var target = $"MediaApp {app.Namespace}/{app.Name}";
        if (plan.IsEmpty)
        {
            Emit(plan, "MediaApp", target, app.Namespace, () => app);
            return;
        }
        if (ShouldProcess($"{Action} to {target}:{Environment.NewLine}{Describe(plan)}", $"{Action} to {target}?{Environment.NewLine}{Describe(plan)}", Action))
        {
            Emit(plan, "MediaApp", target, app.Namespace, Changed);
        }
    }

    private void ProcessCluster(string @namespace, string name)
    {
        var applier = new ClusterSidecarApplier(Cluster.Client);
        try
        {
            var deployment = Await(applier.ReadDeploymentAsync(@namespace, name, CancellationToken));
            if (!TryPlan(deployment, out var plan))
            {
                return;
            }
            var target = $"{Cluster.Server} ({@namespace}/{name})";
            if (plan.IsEmpty)
            {
                WriteVerbose($"Deployment '{@namespace}/{name}' is already up to date.");
                Emit(plan, "Cluster", target, @namespace, () => MediaAppReader.FromDeployment(deployment, Config, MediaAppReader.ClusterSource).App);
                return;
            }
            var (problems, warnings, privilege) = Await(applier.PreflightAsync(deployment, plan, Force, GrantPrivilegeRequested, CancellationToken));
            foreach (var warning in warnings)
            {
                WriteWarning(warning);
            }
            if (problems.Count > 0)
            {
                foreach (var problem in problems)
                {
                    WriteMediaStackError(problem);
                }
                WriteVerbose($"Deployment '{@namespace}/{name}' was not changed: {problems.Count} preflight problem(s).");
                return;
            }
            if (Force && ClusterSidecarApplier.ArgoApplication(deployment) is { } argo)
            {
                WriteWarning($"Deployment '{name}' is managed by the ArgoCD application '{argo}': self-heal will revert this live change unless the manifest in git is changed too (-Path).");
            }
            var grant = privilege is { Allowed: false } && GrantPrivilegeRequested
                ? $"{Environment.NewLine}and grant privileged to service account '{privilege.ServiceAccount}' ({privilege.Fix})"
                : "";
            var patch = plan.ToJsonPatch().ToJsonString(new JsonSerializerOptions { WriteIndented = true });
            if (!ShouldProcess(
                    $"{Action}: patch Deployment '{@namespace}/{name}' (application/json-patch+json){grant}:{Environment.NewLine}{patch}",
                    $"{Action}: patch Deployment '{@namespace}/{name}'{grant}?{Environment.NewLine}{Describe(plan)}",
                    Action))
            {
                return;
            }
            string? granted = null;
            if (privilege is { Allowed: false } && GrantPrivilegeRequested)
            {
                granted = Await(applier.GrantPrivilegeAsync(privilege, CancellationToken));
                WriteVerbose(granted);
            }
            var (after, applied) = Await(applier.ApplyAsync(@namespace, name, plan, fresh => SidecarPlanner.Plan(fresh, Config, Options), CancellationToken));
            IReadOnlyList<string> pods = [];
            if (Wait && !applied.IsEmpty)
            {
                pods = WaitForRollout(@namespace, name, (long?)after["metadata"]?["generation"] ?? 0, TimeoutSec);
            }
            Emit(applied, "Cluster", target, @namespace, () => MediaAppReader.FromDeployment(after, Config, MediaAppReader.ClusterSource).App, pods, granted);
        }
        catch (MediaStackException exception)
        {
            WriteMediaStackError(exception);
        }
        catch (Exception exception) when (exception is not PipelineStoppedException)
        {
            ReportClusterError(exception, $"{Action.ToLowerInvariant()} to Deployment '{@namespace}/{name}'", name);
        }
    }

    private void Emit(SidecarPlan plan, string kind, string target, string? @namespace, Func<MediaApp> app, IReadOnlyList<string>? pods = null, string? granted = null)
    {
        if (PassThru)
        {
            WriteObject(app());
            return;
        }
        WriteObject(new SidecarChangeResult
        {
            Name = (string?)plan.Before["metadata"]?["name"] ?? "",
            Namespace = @namespace ?? (string?)plan.Before["metadata"]?["namespace"],
            TargetKind = kind,
            Target = target,
            Status = plan.IsEmpty ? SidecarChangeResult.UpToDate : SidecarChangeResult.Changed,
            Changes = plan.Changes.Select(change => change.ToString()).ToList(),
            AppContainer = plan.AppContainer,
            Mode = plan.Remove ? null : plan.Mode,
            Pods = pods ?? [],
            PrivilegeGranted = granted,
        });
    }
}
