using System.Management.Automation;
using System.Text.Json.Nodes;
using MediaStack.Core.Config;
using MediaStack.Core.Errors;
using MediaStack.Core.Manifests;
using MediaStack.PowerShell.Infrastructure;

namespace MediaStack.PowerShell.Commands;

// Writes apps/<name>/base/ (and argocd-apps/<name>.yaml) into a GitOps repository, all
// files or none.
[Cmdlet(VerbsData.Export, "MediaApp", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(FileInfo))]
public sealed class ExportMediaAppCommand : MediaStackCmdlet
{
    [Parameter(Mandatory = true, ValueFromPipeline = true)]
    public MediaApp? InputObject { get; set; }

    // The root of the GitOps repository.
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = "";

    [Parameter]
    public SwitchParameter Force { get; set; }

    [Parameter]
    public SwitchParameter ArgoApplication { get; set; }

    // Default: RepoUrl of the saved config, else the one the repository's Applications use.
    [Parameter]
    public string? RepoUrl { get; set; }

    // Default: the repository's Applications' own, else main.
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? TargetRevision { get; set; }

    // Default: the repository's Applications' own, else default.
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Project { get; set; }


    protected override void ProcessRecord()
    {
        var app = InputObject!;
        var repository = "";
        ExportPlan? plan = null;
        var planned = TryRun(() =>
        {
            repository = FileSystemPath(Path);
            var existing = GitOpsRepository.Read(repository);
            // The app's own base folder is not a conflict: it is replaced with -Force, and
            // refused as AppFolderExists without.
            var own = System.IO.Path.Combine(repository, MediaAppFiles.AppsFolder, app.Name, MediaAppFiles.BaseFolder);
            if (existing.Conflict(app.Name, app.Namespace, own) is { } conflict)
            {
                throw new MediaStackException(ErrorIds.DeploymentExists, Core.Errors.ErrorCategory.ResourceExists,
                    $"The repository already holds a Deployment '{app.Name}' for namespace {conflict.Namespace ?? app.Namespace}: {conflict.File}. A second one would fight it for the same pods.",
                    conflict.File, "Pick another name, or change the existing app (Add-RcloneSidecar -Path) instead of exporting a new one.");
            }
            JsonObject? application = ArgoApplication
                ? app.BuildArgoApplication(
                    RepoUrl ?? StackConfig.RepoUrl ?? existing.Common("spec", "source", "repoURL") ?? "",
                    TargetRevision ?? existing.Common("spec", "source", "targetRevision") ?? ArgoApplications.DefaultRevision,
                    existing.Common("metadata", "namespace") ?? StackConfig.ArgoNamespace,
                    Project ?? existing.Common("spec", "project") ?? ArgoApplications.DefaultProject,
                    existing.CommonSyncPolicy())
                : null;
            plan = MediaAppExporter.Plan(app, repository, application);
            MediaAppExporter.EnsureFree(plan, Force);
        });
        if (!planned)
        {
            return;
        }
        var files = string.Join(", ", plan!.Files.Select(file => file.RelativePath));
        if (!ShouldProcess(
                $"Writing {files} under {plan.RepositoryPath}{(Force ? " (replacing what is there)" : "")}.",
                $"Write {files} under {plan.RepositoryPath}?",
                "Export-MediaApp"))
        {
            return;
        }
        IReadOnlyList<string> written = [];
        if (TryRun(() => written = MediaAppExporter.Write(plan, Force)))
        {
            foreach (var file in written)
            {
                WriteObject(new FileInfo(file));
            }
        }
    }
}
