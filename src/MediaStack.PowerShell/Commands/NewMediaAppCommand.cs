using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using MediaStack.Core.Config;
using MediaStack.Core.Manifests;
using MediaStack.Core.Sidecars;
using MediaStack.PowerShell.Infrastructure;

namespace MediaStack.PowerShell.Commands;

// Builds the manifests of a new media app offline, from the stack config.
[Cmdlet(VerbsCommon.New, "MediaApp")]
[OutputType(typeof(MediaApp))]
public sealed class NewMediaAppCommand : MediaStackCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [AllowEmptyString]
    public string Name { get; set; } = "";

    [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
    [AllowEmptyString]
    public string Image { get; set; } = "";

    [Parameter(Mandatory = true, Position = 2, ValueFromPipelineByPropertyName = true)]
    public int Port { get; set; }

    // Not a ValidateSet: zones come from the config, and an unknown one gets UnknownZone.
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(ZoneCompleter))]
    public string? Zone { get; set; }

    // Default: from the image and name (Plex and Jellyfin are MediaServer, Prowlarr and Bazarr
    // Light); picks the config's resources for the class.
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public AppClass? Class { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? CpuRequest { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? MemoryRequest { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? CpuLimit { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? MemoryLimit { get; set; }

    [Parameter]
    public SwitchParameter NoSidecar { get; set; }

    [Parameter]
    public SidecarMode SidecarMode { get; set; } = SidecarMode.Classic;

    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? Namespace { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? ServiceAccount { get; set; }

    [Parameter]
    public string? ClusterDomain { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? RouteHost { get; set; }

    [Parameter]
    public string? TimeZone { get; set; }

    [Parameter]
    public Hashtable? Environment { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    public int Replicas { get; set; } = 1;

    // Default: the saved config (Get-MediaStackConfig).
    [Parameter]
    public MediaStackConfig? Config { get; set; }

    private MediaStackConfig? _config;

    protected override void BeginProcessing() => _config = Config ?? StackConfig;

    protected override void ProcessRecord()
    {
        MediaApp? app = null;
        if (TryRun(() => app = MediaAppBuilder.Build(Spec(), _config!)))
        {
            if (!ImageReference.IsPinned(app!.Image!))
            {
                WriteWarning($"{app.Name}: the image {app.Image} is not pinned; it changes at the next pull, on one node and not another. Give a version tag or a digest.");
            }
            WriteObject(app);
        }
    }

    private MediaAppSpec Spec() =>
        new(Name, Image, Port)
        {
            Zone = Zone,
            Class = Class,
            CpuRequest = CpuRequest,
            MemoryRequest = MemoryRequest,
            CpuLimit = CpuLimit,
            MemoryLimit = MemoryLimit,
            NoSidecar = NoSidecar,
            SidecarMode = SidecarMode,
            Namespace = Namespace,
            ServiceAccount = ServiceAccount,
            ClusterDomain = ClusterDomain,
            RouteHost = RouteHost,
            TimeZone = TimeZone,
            Environment = Environment is null ? null : EnvironmentValues.From(Environment.Cast<DictionaryEntry>().Select(entry =>
                KeyValuePair.Create(entry.Key.ToString() ?? "", entry.Value is PSObject wrapped ? wrapped.BaseObject : entry.Value))),
            Replicas = Replicas,
        };
}

// Completes -Zone from the saved config's zones.
public sealed class ZoneCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var config = MediaStackConfigStore.LoadOrDefault(null, out _);
        return config.ZoneServiceAccounts
            .Where(zone => zone.Key.StartsWith(wordToComplete ?? "", StringComparison.OrdinalIgnoreCase))
            .Select(zone => new CompletionResult(zone.Key, zone.Key, CompletionResultType.ParameterValue, $"{zone.Key} (service account {zone.Value})"));
    }
}
