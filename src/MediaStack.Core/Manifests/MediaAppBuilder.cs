using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using MediaStack.Core.Config;
using MediaStack.Core.Errors;
using MediaStack.Core.Sidecars;

namespace MediaStack.Core.Manifests;

// MediaAppSpec + MediaStackConfig -> MediaApp: the seed template's Deployment, Service,
// Route, Kustomization and README, without its defects (no unrendered placeholders, rc API
// on loopback, preStop unmounts, -NoSidecar really without sidecars).
public static partial class MediaAppBuilder
{
    public const string PortName = "http";
    public const string RouteTimeoutAnnotation = "haproxy.router.openshift.io/timeout";

    public static MediaApp Build(MediaAppSpec spec, MediaStackConfig config)
    {
        var problems = config.Validate();
        if (problems.Count > 0)
        {
            throw new ConfigException(ErrorIds.ConfigInvalid, MediaStackConfigStore.Describe("The stack config is invalid", problems), problems, null);
        }
        var app = Resolve(spec, config);
        var labels = Labels(app, withStack: true);
        var deployment = Deployment(app, config, labels);
        var service = Service(app);
        var route = Route(app);
        var kustomization = Kustomization(app, config);
        var generated = new MediaApp
        {
            Name = app.Name,
            Namespace = app.Namespace,
            Zone = app.Zone,
            Image = app.Image,
            Port = app.Port,
            ServiceAccount = app.ServiceAccount,
            Class = app.Class,
            SidecarMode = app.WithSidecars ? spec.SidecarMode : null,
            Mounts = app.WithSidecars ? config.Mounts : [],
            Deployment = deployment,
            Service = service,
            Route = route,
            Kustomization = kustomization,
        };
        return generated with { Readme = ReadmeText.For(generated, app.Resources, app.RouteHost) };
    }

    // The spec with every default filled in and every value checked.
    private sealed record ResolvedApp(
        string Name,
        string Image,
        int Port,
        string Zone,
        string Namespace,
        string ServiceAccount,
        AppClass Class,
        ResourceSpec Resources,
        bool WithSidecars,
        SidecarMode Mode,
        string? RouteHost,
        IReadOnlyList<KeyValuePair<string, string>> Environment,
        int Replicas,
        string? StackLabel);

    private static ResolvedApp Resolve(MediaAppSpec spec, MediaStackConfig config)
    {
        var reserved = config.Mounts.Select(mount => mount.ContainerName).Append(DesiredSidecars.InitDirsName).ToHashSet();
        if (!Dns1123.IsLabel(spec.Name) || reserved.Contains(spec.Name))
        {
            throw Invalid(ErrorIds.InvalidAppName, spec.Name,
                reserved.Contains(spec.Name ?? "")
                    ? $"The app name '{spec.Name}' is taken by a sidecar container of the stack."
                    : $"The app name '{spec.Name}' is not a DNS-1123 label (lowercase letters, digits and '-', starting and ending with a letter or digit, at most 63 characters).",
                "Use a name like prowlarr or my-app.");
        }
        if (MediaAppFiles.IsReservedOnWindows(spec.Name))
        {
            throw Invalid(ErrorIds.InvalidAppName, spec.Name,
                $"The app name '{spec.Name}' is a device name on Windows (CON, PRN, AUX, NUL, COM0-9, LPT0-9): its folder could not be checked out there.",
                "Pick another name, e.g. plex-aux instead of aux.");
        }
        ImageReference.Validate(spec.Image);
        if (spec.Port is < 1 or > 65535)
        {
            throw Invalid(ErrorIds.InvalidPort, spec.Port, $"The port {spec.Port} is outside 1..65535.", "Use the port the app listens on, e.g. 9696.");
        }
        var zone = spec.Zone ?? config.DefaultZone;
        if (!config.ZoneServiceAccounts.TryGetValue(zone, out var zoneAccount))
        {
            throw Invalid(ErrorIds.UnknownZone, zone,
                $"The zone '{zone}' is unknown; the stack has {string.Join(", ", config.ZoneServiceAccounts.Keys)}.",
                "Pick one of the zones of the stack config, or add the zone with Set-MediaStackConfig.");
        }
        var appClass = spec.Class ?? AppClasses.Of(spec.Name!, spec.Image!);
        var classResources = config.ResourcesFor(appClass);
        var resources = ResourceRules.Canonical(new ResourceSpec(
            spec.CpuRequest ?? classResources.CpuRequest,
            spec.MemoryRequest ?? classResources.MemoryRequest,
            spec.CpuLimit ?? classResources.CpuLimit,
            spec.MemoryLimit ?? classResources.MemoryLimit));
        if (spec.Replicas < 0)
        {
            throw Invalid(ErrorIds.InvalidReplicas, spec.Replicas, $"Replicas {spec.Replicas} is negative.", "Use 0 or more (1 is usual: the app state lives on one PVC path).");
        }
        var ns = spec.Namespace ?? config.Namespace;
        if (!Dns1123.IsLabel(ns))
        {
            throw Invalid(ErrorIds.InvalidNamespace, ns, $"The namespace '{ns}' is not a DNS-1123 label.", "Use lowercase letters, digits and '-', at most 63 characters, like media-stack.");
        }
        var account = spec.ServiceAccount ?? zoneAccount;
        if (!Dns1123.IsSubdomain(account))
        {
            throw Invalid(ErrorIds.InvalidServiceAccount, account, $"The service account '{account}' is not a valid name.", "Use a DNS-1123 name like managers, or leave -ServiceAccount out to use the zone's.");
        }
        var domain = spec.ClusterDomain ?? config.ClusterDomain;
        if (domain is not null && !Dns1123.IsSubdomain(domain))
        {
            throw Invalid(ErrorIds.InvalidRouteHost, domain, $"The cluster domain '{domain}' is not a DNS subdomain.", "Use the cluster's base domain, e.g. example.com for apps.example.com.");
        }
        var host = spec.RouteHost ?? (domain is null ? null : $"{spec.Name}.apps.{domain}");
        if (host is not null && !Dns1123.IsSubdomain(host))
        {
            throw Invalid(ErrorIds.InvalidRouteHost, host, $"The route host '{host}' is not a DNS name.", "Use a lowercase DNS name like sonarr.apps.example.com, or leave -RouteHost out.");
        }
        var timeZone = spec.TimeZone ?? config.TimeZone;
        if (!MediaStackConfig.IsTimeZoneName(timeZone))
        {
            throw Invalid(ErrorIds.InvalidTimeZone, timeZone, $"The time zone '{timeZone}' is not an IANA zone id that this machine's time zone database knows.", "Use an id like Europe/Paris or Etc/UTC; [TimeZoneInfo]::GetSystemTimeZones() lists them.");
        }
        var environment = new List<KeyValuePair<string, string>>
        {
            new("PUID", config.Puid.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            new("PGID", config.Pgid.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            new("TZ", timeZone),
            new("UMASK", config.Umask),
        };
        foreach (var (name, value) in spec.Environment ?? new Dictionary<string, string>())
        {
            if (string.IsNullOrEmpty(name) || !EnvironmentName().IsMatch(name))
            {
                throw Invalid(ErrorIds.InvalidEnvironment, name, $"'{name}' is not a valid environment variable name.", "Use letters, digits, '_', '-' and '.', not starting with a digit.");
            }
            var existing = environment.FindIndex(entry => entry.Key == name);
            var entry = new KeyValuePair<string, string>(name, value ?? "");
            if (existing >= 0)
            {
                environment[existing] = entry;
            }
            else
            {
                environment.Add(entry);
            }
        }
        return new ResolvedApp(spec.Name!, spec.Image!, spec.Port, zone, ns, account, appClass, resources,
            !spec.NoSidecar && config.Mounts.Count > 0, spec.SidecarMode, host, environment, spec.Replicas, config.StackLabel);
    }

    private static JsonObject Labels(ResolvedApp app, bool withStack)
    {
        var labels = new JsonObject { ["app"] = app.Name, ["zone"] = app.Zone };
        if (withStack && app.StackLabel is not null)
        {
            labels["stack"] = app.StackLabel;
        }
        return labels;
    }

    private static JsonObject Deployment(ResolvedApp app, MediaStackConfig config, JsonObject labels)
    {
        var pod = new JsonObject
        {
            ["serviceAccountName"] = app.ServiceAccount,
            ["securityContext"] = new JsonObject { ["fsGroup"] = config.FsGroup },
        };
        if (config.PreferredNodes.Count > 0)
        {
            // A soft preference: the pod still schedules elsewhere when those nodes are down.
            pod["affinity"] = new JsonObject
            {
                ["nodeAffinity"] = new JsonObject
                {
                    ["preferredDuringSchedulingIgnoredDuringExecution"] = new JsonArray(new JsonObject
                    {
                        ["weight"] = config.PreferredNodeWeight,
                        ["preference"] = new JsonObject
                        {
                            ["matchExpressions"] = new JsonArray(new JsonObject
                            {
                                ["key"] = "kubernetes.io/hostname",
                                ["operator"] = "In",
                                ["values"] = ContainerParts.Strings(config.PreferredNodes),
                            }),
                        },
                    }),
                },
            };
        }
        var containers = new JsonArray();
        if (app.WithSidecars)
        {
            var initContainers = new JsonArray(DesiredSidecars.InitDirsContainer(config, config.SharedVolume, config.Mounts.Select(mount => mount.MountPath)));
            var sidecars = config.Mounts.Select(mount => DesiredSidecars.SidecarContainer(config, mount, app.Mode, config.SharedVolume));
            foreach (var sidecar in sidecars)
            {
                (app.Mode == SidecarMode.Native ? initContainers : containers).Add(sidecar);
            }
            pod["initContainers"] = initContainers;
        }
        containers.Add(AppContainer(app, config));
        pod["containers"] = containers;
        pod["volumes"] = new JsonArray(DesiredSidecars.Volumes(config, app.WithSidecars).Select(volume => (JsonNode?)volume).ToArray());

        return new JsonObject
        {
            ["apiVersion"] = "apps/v1",
            ["kind"] = "Deployment",
            ["metadata"] = Metadata(app, labels.DeepClone()),
            ["spec"] = new JsonObject
            {
                ["replicas"] = app.Replicas,
                // Never two pods on the same config folder and mount points at once.
                ["strategy"] = new JsonObject { ["type"] = "Recreate" },
                ["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["app"] = app.Name } },
                ["template"] = new JsonObject
                {
                    ["metadata"] = new JsonObject { ["labels"] = labels.DeepClone() },
                    ["spec"] = pod,
                },
            },
        };
    }

    private static JsonObject AppContainer(ResolvedApp app, MediaStackConfig config) => new()
    {
        ["name"] = app.Name,
        ["image"] = app.Image,
        ["env"] = new JsonArray(app.Environment
            .Select(entry => (JsonNode?)new JsonObject { ["name"] = entry.Key, ["value"] = entry.Value })
            .ToArray()),
        ["ports"] = new JsonArray(new JsonObject
        {
            ["containerPort"] = app.Port,
            ["name"] = PortName,
            ["protocol"] = "TCP",
        }),
        ["volumeMounts"] = new JsonArray(
            new JsonObject
            {
                ["name"] = config.SharedVolume,
                ["mountPath"] = "/config",
                ["subPath"] = $"config/{app.Name}",
            },
            new JsonObject
            {
                ["name"] = config.SharedVolume,
                ["mountPath"] = config.RcloneConfigDir,
                ["subPath"] = "config/rclone",
            },
            DesiredSidecars.AppMediaMount(config, app.WithSidecars)),
        ["livenessProbe"] = ContainerParts.TcpProbe(app.Port, ProbeTiming.AppLiveness),
        ["readinessProbe"] = ContainerParts.TcpProbe(app.Port, ProbeTiming.AppReadiness),
        ["resources"] = ContainerParts.Resources(app.Resources),
    };

    private static JsonObject Service(ResolvedApp app) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "Service",
        ["metadata"] = Metadata(app, Labels(app, withStack: false)),
        ["spec"] = new JsonObject
        {
            ["type"] = "ClusterIP",
            ["selector"] = new JsonObject { ["app"] = app.Name },
            ["ports"] = new JsonArray(new JsonObject
            {
                ["protocol"] = "TCP",
                ["port"] = app.Port,
                ["targetPort"] = app.Port,
                ["name"] = PortName,
            }),
            ["sessionAffinity"] = "None",
        },
    };

    private static JsonObject Route(ResolvedApp app)
    {
        var metadata = Metadata(app, Labels(app, withStack: false));
        metadata["annotations"] = new JsonObject { [RouteTimeoutAnnotation] = "5m" };
        var spec = new JsonObject();
        if (app.RouteHost is not null)
        {
            spec["host"] = app.RouteHost;
        }
        spec["to"] = new JsonObject { ["kind"] = "Service", ["name"] = app.Name, ["weight"] = 100 };
        spec["port"] = new JsonObject { ["targetPort"] = PortName };
        spec["tls"] = new JsonObject { ["termination"] = "edge", ["insecureEdgeTerminationPolicy"] = "Redirect" };
        spec["wildcardPolicy"] = "None";
        return new JsonObject
        {
            ["apiVersion"] = "route.openshift.io/v1",
            ["kind"] = "Route",
            ["metadata"] = metadata,
            ["spec"] = spec,
        };
    }

    // labels (not the deprecated commonLabels) with includeSelectors: false, because a
    // Deployment's selector is immutable: a label added to it later would make every sync
    // of an existing app fail.
    private static JsonObject Kustomization(ResolvedApp app, MediaStackConfig config) => new()
    {
        ["apiVersion"] = "kustomize.config.k8s.io/v1beta1",
        ["kind"] = "Kustomization",
        ["namespace"] = app.Namespace,
        ["resources"] = ContainerParts.Strings(MediaAppFiles.Manifests),
        ["labels"] = new JsonArray(new JsonObject
        {
            ["pairs"] = Labels(app, withStack: true),
            ["includeSelectors"] = false,
        }),
    };

    private static JsonObject Metadata(ResolvedApp app, JsonNode labels) => new()
    {
        ["name"] = app.Name,
        ["namespace"] = app.Namespace,
        ["labels"] = labels,
    };

    private static MediaStackException Invalid(string errorId, object? target, string message, string action) =>
        new(errorId, ErrorCategory.InvalidArgument, message, target, action);

    [GeneratedRegex(@"^[-._a-zA-Z][-._a-zA-Z0-9]*$")]
    private static partial Regex EnvironmentName();
}
