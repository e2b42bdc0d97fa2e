using System.Management.Automation;
using MediaStack.Core.Checks;
using MediaStack.Core.Checks.Access;
using MediaStack.Core.Cluster;
using MediaStack.Core.Errors;
using MediaStack.Core.Files;

namespace MediaStack.PowerShell.Commands;

// The least-privilege account for a scheduled check: ServiceAccount, Role (ClusterRole with
// -AllNamespaces) built from the check's own permission list, the binding, and a kubeconfig
// with a token of the account (owner-only file). -ManifestOnly emits the YAML for a GitOps
// repository and touches nothing.
[Cmdlet(VerbsCommon.New, "MediaStackCheckAccount", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = ClusterSet)]
[OutputType(typeof(CheckAccountResult), ParameterSetName = [ClusterSet])]
[OutputType(typeof(string), ParameterSetName = [ManifestSet])]
public sealed class NewMediaStackCheckAccountCommand : Infrastructure.ClusterCmdlet
{
    private const string ClusterSet = "Cluster";
    private const string ManifestSet = "Manifest";

    [Parameter(Position = 0)]
    [ValidatePattern("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    [ValidateLength(1, 63)]
    public string Name { get; set; } = CheckAccountSpec.DefaultName;

    [Parameter]
    public SwitchParameter AllNamespaces { get; set; }

    [Parameter]
    public SwitchParameter Repair { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = ManifestSet)]
    public SwitchParameter ManifestOnly { get; set; }

    [Parameter(ParameterSetName = ClusterSet)]
    [ValidateNotNullOrEmpty]
    public string? KubeConfigPath { get; set; }

    [Parameter(ParameterSetName = ClusterSet)]
    public TimeSpan TokenDuration { get; set; } = TimeSpan.FromDays(365);

    protected override void EndProcessing()
    {
        if (ManifestOnly)
        {
            WriteObject(CheckAccount.Yaml(new CheckAccountSpec(Name, Namespace ?? StackConfig.Namespace, AllNamespaces, Repair)));
            return;
        }
        if (TokenDuration < TimeSpan.FromMinutes(10))
        {
            ThrowMediaStackError(new MediaStackException(ErrorIds.InvalidInterval, Core.Errors.ErrorCategory.InvalidArgument,
                $"-TokenDuration must be at least 10 minutes (the API server refuses shorter tokens), not {TokenDuration}.", TokenDuration));
        }
        var spec = new CheckAccountSpec(Name, TargetNamespace, AllNamespaces, Repair);
        var manifest = CheckAccount.Yaml(spec);
        var path = KubeConfigPath is null
            ? Path.Combine(CheckState.DataFolder(), $"{Cluster.Context ?? "in-cluster"}-{Name}.kubeconfig".Replace('/', '_').Replace(':', '_'))
            : FileSystemPathOrStop(KubeConfigPath)!;
        var target = $"serviceaccount/{Name} in {spec.Namespace} with {spec.RoleKind} {Name}";
        if (!ShouldProcess(target, $"Create or update:{Environment.NewLine}{manifest}and write a kubeconfig with a token of the account ({TokenDuration.TotalDays:0.#} days) to {path}"))
        {
            return;
        }
        var source = Cluster.Context is null ? null : KubeConfigSource.Load(FileSystemPathOrStop(KubeConfig));
        if (source is null)
        {
            ThrowMediaStackError(new MediaStackException(ErrorIds.KubeConfigNotFound, Core.Errors.ErrorCategory.ObjectNotFound,
                "New-MediaStackCheckAccount copies the cluster entry of a kubeconfig context; inside a pod there is none.", null,
                "Run it from a workstation or jump host with a kubeconfig."));
        }
        try
        {
            var done = Await(CheckAccount.ApplyAsync(Cluster.Client, spec, CancellationToken));
            foreach (var line in done)
            {
                WriteVerbose(line);
            }
            var (token, expires) = Await(CheckAccount.RequestTokenAsync(Cluster.Client, spec, TokenDuration, CancellationToken));
            if (expires < DateTimeOffset.UtcNow + TokenDuration - TimeSpan.FromMinutes(5))
            {
                WriteWarning($"The API server shortened the token to expire at {expires:u}; run New-MediaStackCheckAccount again before then (or the check exits 2: Unauthorized).");
            }
            AtomicFile.Write(path, CheckAccount.KubeConfig(source!, Cluster.Context!, spec, token), AtomicFile.OwnerOnly);
            WriteObject(new CheckAccountResult
            {
                Name = Name,
                Namespace = spec.Namespace,
                Role = $"{spec.RoleKind}/{Name}",
                Repair = Repair,
                Rules = CheckAccount.RuleLines(spec),
                KubeConfigPath = path,
                TokenExpires = expires,
                Changes = done,
                Manifest = manifest,
            });
        }
        catch (MediaStackException exception)
        {
            WriteMediaStackError(exception);
        }
        catch (Exception exception) when (exception is not PipelineStoppedException)
        {
            ReportClusterError(exception, $"create the check account {Name} in {spec.Namespace}", Name);
        }
    }
}
