using System.Management.Automation;
using System.Text.Json.Nodes;
using MediaStack.Core.Cluster;
using MediaStack.Core.Diagnosis;
using MediaStack.Core.Diagnosis.Live;
using MediaStack.Core.Diagnosis.Model;
using MediaStack.Core.Diagnosis.Static;
using MediaStack.Core.Pods;
using MediaStack.Core.Workloads;
using MediaStack.PowerShell.Completers;
using MediaStack.PowerShell.Infrastructure;

namespace MediaStack.PowerShell.Commands;

// Finds why rclone mounts fail: every rule of the catalogue (about_MediaStack_Troubleshooting)
// that applies to the kind of workload, on pods or apps from the pipeline (an app without
// pods too), pods by name, every workload of a namespace, or manifests without a cluster
// (-Path: files and folders; or YAML text piped from helm template / kubectl kustomize: the
// spec rules only). Emits MountFinding objects, worst first.
[Cmdlet(VerbsLifecycle.Invoke, "MountDiagnosis", DefaultParameterSetName = NamespaceSet)]
[OutputType(typeof(MountFinding))]
public sealed class InvokeMountDiagnosisCommand : ClusterCmdlet
{
    private const string NamespaceSet = "Namespace";
    private const string PathSet = "Path";
    private const string YamlSet = "Yaml";

    private readonly List<MediaPod> _pods = [];
    private readonly List<(JsonObject Workload, IReadOnlyList<MediaPod> Pods)> _apps = [];
    private readonly List<string> _names = [];
    private bool _piped;
    private readonly List<string> _yaml = [];
    private readonly List<StaticSubjects> _static = [];

    // MediaPod or MediaApp objects (live or deserialized), or any object with a Name (and
    // Namespace) property naming a pod. An app is diagnosed with its pods, or alone when it
    // has none.
    // Not mandatory and in the default set: a parameter set of its own could not be told
    // from -Yaml's when nothing else is given. Strings bind to -Yaml.
    [Parameter(ValueFromPipeline = true, ParameterSetName = NamespaceSet)]
    public PSObject[]? InputObject { get; set; }

    // Pod names (wildcards allowed). Piped objects, Test-MediaMount's reports among them,
    // bind to -InputObject.
    [Parameter(Position = 0, ParameterSetName = NamespaceSet)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(PodNameCompleter))]
    public string[]? Name { get; set; }

    // Manifest files or folders: a static check of the spec without a cluster.
    [Parameter(Mandatory = true, ParameterSetName = PathSet)]
    [ValidateNotNullOrEmpty]
    public string[]? Path { get; set; }

    // Rendered YAML text, usually piped line by line from helm template or kubectl kustomize.
    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = YamlSet)]
    [AllowEmptyString]
    public string[]? Yaml { get; set; }

    // Also emit the checks that passed (severity Pass).
    [Parameter]
    public SwitchParameter IncludePass { get; set; }

    // Bound of each exec into a pod (mount probe, /dev/fuse, symlink sample).
    [Parameter(ParameterSetName = NamespaceSet)]
    [ValidateRange(2, 600)]
    public int TimeoutSec { get; set; } = 10;

    protected override void ProcessRecord()
    {
        switch (ParameterSetName)
        {
            case PathSet:
                foreach (var path in Path ?? [])
                {
                    TryRun(() => _static.Add(ManifestSubjects.FromPath(FileSystemPath(path), StackConfig)));
                }
                break;
            case YamlSet:
                _yaml.AddRange(Yaml ?? []);
                break;
            default:
                foreach (var input in InputObject ?? [])
                {
                    _piped = true;
                    Collect(PipelineObject.Of(input));
                }
                _names.AddRange(Name ?? []);
                break;
        }
    }

    protected override void EndProcessing()
    {
        switch (ParameterSetName)
        {
            case PathSet:
                DiagnoseStatic(_static);
                break;
            case YamlSet:
                DiagnoseStatic([ManifestSubjects.FromText(string.Join("\n", _yaml), StackConfig)]);
                break;
            default:
                DiagnoseLive();
                break;
        }
    }

    // Pods as they are; an app with its pods, or alone when it has none.
    private void Collect(PipelineObject input)
    {
        if (Resolve(input) is not { } target)
        {
            return;
        }
        if (target.App is { } app)
        {
            _apps.Add((app.Deployment, target.Pods));
        }
        else
        {
            _pods.AddRange(target.Pods);
        }
    }

    // Each workload is judged with every other one read in the same call beside it (a
    // node-level provider in one folder serves the apps of another).
    private void DiagnoseStatic(IReadOnlyList<StaticSubjects> reads)
    {
        var diagnoser = new MountDiagnoser(StackConfig);
        var neighbours = reads.SelectMany(read => read.Workloads).ToList();
        foreach (var read in reads)
        {
            foreach (var error in read.Errors)
            {
                WriteMediaStackError(error);
            }
            WriteObject(read.Notices.Where(notice => IncludePass || notice.Severity != Severity.Pass), enumerateCollection: true);
            foreach (var subject in read.Subjects)
            {
                WriteObject(diagnoser.Diagnose(subject, IncludePass, neighbours), enumerateCollection: true);
            }
        }
        if (reads.All(read => read.Subjects.Count == 0 && read.Errors.Count == 0 && read.Notices.Count == 0))
        {
            foreach (var path in Path ?? [ManifestScan.PipelineSource])
            {
                WriteMediaStackError(ManifestScan.NoWorkload(path));
            }
        }
    }

    private void DiagnoseLive()
    {
        IReadOnlyList<DiagnosisSubject> subjects;
        try
        {
            WriteProgress(new ProgressRecord(1, "Invoke-MountDiagnosis", "Collecting pod status, events, logs and mount checks"));
            var live = new LiveSubjects(Cluster.Client, new PodExec(Cluster.Client), StackConfig, new LiveDiagnosisOptions { TimeoutSec = TimeoutSec });
            if (!_piped && _names.Count == 0)
            {
                subjects = Await(live.ForNamespaceAsync(TargetNamespace, CancellationToken));
            }
            else
            {
                if (_names.Count > 0)
                {
                    _pods.AddRange(FindPods(TargetNamespace, _names));
                }
                var all = new List<DiagnosisSubject>(Await(live.ForPodsAsync(_pods, CancellationToken)));
                foreach (var (workload, pods) in _apps)
                {
                    all.AddRange(Await(live.ForWorkloadAsync(workload, pods, CancellationToken)));
                }
                subjects = all;
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
        var diagnoser = new MountDiagnoser(StackConfig);
        foreach (var subject in subjects)
        {
            foreach (var gap in subject.Evidence?.Gaps ?? [])
            {
                WriteVerbose($"{subject.Target.Display}: not collected: {gap}");
            }
            WriteObject(diagnoser.Diagnose(subject, IncludePass), enumerateCollection: true);
        }
    }
}
