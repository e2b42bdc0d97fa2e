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
        _config = LoadStackConfig(warn: ArgoApplication);
    }

    protected override void ProcessRecord()
    {
        var app = InputObject!;
        var repository = SessionState.Path.GetUnresolvedProviderPathFromPSPath(Path);
        ExportPlan? plan = null;
        var planned = TryRun(() =>
        {
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
        ExportResult? result = null;
        if (TryRun(() => result = MediaAppExporter.Write(plan, Force)))
        {
            foreach (var leftover in result!.Leftovers)
            {
                WriteWarning($"Could not remove {leftover} (another program holds it open). It is hidden and never read as a manifest; delete it when it is free.");
            }
            foreach (var file in result.Files)
            {
                WriteObject(new FileInfo(file));
            }
        }
    }
}
