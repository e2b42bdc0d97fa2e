using System.Management.Automation;
using MediaStack.Core.Cluster;
using MediaStack.Core.Diagnosis;
using MediaStack.Core.Diagnosis.Live;
using MediaStack.Core.Diagnosis.Model;
using MediaStack.Core.Diagnosis.Static;
using MediaStack.Core.Errors;
using MediaStack.Core.Pods;
using MediaStack.PowerShell.Completers;
using MediaStack.PowerShell.Infrastructure;

namespace MediaStack.PowerShell.Commands;

// Finds why rclone mounts fail: every rule of the catalogue (about_MediaStack_Troubleshooting)
// on pods from the pipeline, pods by name, every Deployment of a namespace, or manifest
// files (-Path: the spec rules only, no cluster). Emits MountFinding objects, worst first.
[Cmdlet(VerbsLifecycle.Invoke, "MountDiagnosis", DefaultParameterSetName = NamespaceSet)]
[OutputType(typeof(MountFinding))]
public sealed class InvokeMountDiagnosisCommand : ClusterCmdlet
{
    private const string NamespaceSet = "Namespace";
    private const string PodSet = "Pod";
    private const string PathSet = "Path";

    private readonly List<MediaPod> _pods = [];
    private readonly List<string> _names = [];

    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = PodSet)]
    public MediaPod[]? InputObject { get; set; }

    // Pod names (wildcards allowed); Test-MediaMount's reports bind here by property name.
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = NamespaceSet)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(PodNameCompleter))]
    public string[]? Name { get; set; }

    // Manifest files or folders: a static check of the spec without a cluster.
    [Parameter(Mandatory = true, ParameterSetName = PathSet)]
    [ValidateNotNullOrEmpty]
    public string[]? Path { get; set; }

    // Also emit the checks that passed (severity Pass).
    [Parameter]
    public SwitchParameter IncludePass { get; set; }

    // Bound of each exec into a pod (mount probe, /dev/fuse, symlink sample).
    [Parameter(ParameterSetName = NamespaceSet)]
    [Parameter(ParameterSetName = PodSet)]
    [ValidateRange(2, 600)]
    public int TimeoutSec { get; set; } = 10;

    protected override void ProcessRecord()
    {
        switch (ParameterSetName)
        {
            case PathSet:
                DiagnoseFiles();
                break;
            case PodSet:
                _pods.AddRange(InputObject ?? []);
                break;
            default:
                _names.AddRange(Name ?? []);
                break;
        }
    }

    protected override void EndProcessing()
    {
        if (ParameterSetName == PathSet)
        {
            return;
        }
        IReadOnlyList<DiagnosisSubject> subjects;
        try
        {
            WriteProgress(new ProgressRecord(1, "Invoke-MountDiagnosis", "Collecting pod status, events, logs and mount checks"));
            var live = new LiveSubjects(Cluster.Client, new PodExec(Cluster.Client), Config, new LiveDiagnosisOptions { TimeoutSec = TimeoutSec });
            if (ParameterSetName == PodSet)
            {
                subjects = Await(live.ForPodsAsync(_pods, CancellationToken));
            }
            else if (_names.Count == 0)
            {
                subjects = Await(live.ForNamespaceAsync(TargetNamespace, CancellationToken));
            }
            else
            {
                var pods = Await(FindPodsAsync(Cluster.Client, TargetNamespace, _names));
                foreach (var missing in _names.Where(name => !WildcardPattern.ContainsWildcardCharacters(name)
                    && pods.All(pod => !string.Equals(pod.Name, name, StringComparison.OrdinalIgnoreCase))))
                {
                    WriteMediaStackError(new MediaStackException(ErrorIds.ClusterObjectNotFound, Core.Errors.ErrorCategory.ObjectNotFound,
                        $"No pod named '{missing}' in namespace {TargetNamespace}.", missing, "List the pods with Get-MediaPod."));
                }
                if (pods.Count == 0)
                {
                    return;
                }
                subjects = Await(live.ForPodsAsync(pods, CancellationToken));
            }
        }
        catch (Exception exception) when (exception is not PipelineStoppedException)
        {
            ReportClusterError(exception, "collect the diagnosis evidence", TargetNamespace);
            return;
        }
        finally
        {
            WriteProgress(new ProgressRecord(1, "Invoke-MountDiagnosis", "Done") { RecordType = ProgressRecordType.Completed });
        }
        var diagnoser = new MountDiagnoser(Config);
        foreach (var subject in subjects)
        {
            foreach (var gap in subject.Evidence?.Gaps ?? [])
            {
                WriteVerbose($"{subject.Target.Display}: not collected: {gap}");
            }
            WriteObject(diagnoser.Diagnose(subject, IncludePass), enumerateCollection: true);
        }
    }

    private void DiagnoseFiles()
    {
        var diagnoser = new MountDiagnoser(Config);
        foreach (var path in Path ?? [])
        {
            var resolved = path;
            IReadOnlyList<DiagnosisSubject> subjects;
            try
            {
                resolved = FileSystemPath(path);
                subjects = ManifestSubjects.FromPaths([resolved], Config.ReadLimits, WriteMediaStackError);
            }
            catch (MediaStackException exception)
            {
                WriteMediaStackError(exception);
                continue;
            }
            if (subjects.Count == 0)
            {
                WriteVerbose($"{resolved}: no Deployment or pod in it.");
            }
            foreach (var subject in subjects)
            {
                WriteObject(diagnoser.Diagnose(subject, IncludePass), enumerateCollection: true);
            }
        }
    }

    // Runs off the pipeline thread: no Write* calls in here.
    private async Task<IReadOnlyList<MediaPod>> FindPodsAsync(k8s.IKubernetes client, string @namespace, IReadOnlyList<string> names)
    {
        var patterns = names.Select(NamePattern).ToList();
        var found = new List<MediaPod>();
        await foreach (var pod in PagedList.PodsAsync(client, @namespace, ct: CancellationToken).ConfigureAwait(false))
        {
            if (patterns.Any(pattern => pattern.IsMatch(pod.Metadata?.Name ?? "")))
            {
                found.Add(MediaPodFactory.FromPod(pod));
            }
        }
        return found;
    }
}
