using System.Management.Automation;
using System.Text.Json.Nodes;
using MediaStack.Core.Config;
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

    // Default: RepoUrl of the saved config.
    [Parameter]
    public string? RepoUrl { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string TargetRevision { get; set; } = ArgoApplications.DefaultRevision;

    private MediaStackConfig? _config;

    protected override void BeginProcessing()
    {
        _config = MediaStackConfigStore.LoadOrDefault(null, out var problem);
        if (problem is not null && ArgoApplication)
        {
            WriteWarning(problem.Message);
        }
    }

    protected override void ProcessRecord()
    {
        var app = InputObject!;
        ExportPlan? plan = null;
        var planned = TryRun(() =>
        {
            var repository = FileSystemPath(Path);
            JsonObject? application = ArgoApplication
                ? app.BuildArgoApplication(RepoUrl ?? _config!.RepoUrl ?? "", TargetRevision, _config!.ArgoNamespace)
                : null;
            plan = MediaAppExporter.Plan(app, repository, application);
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
