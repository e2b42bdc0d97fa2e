using System.Text.Json.Nodes;
using MediaStack.Core.Diagnosis;
using MediaStack.Core.Diagnosis.Model;
using MediaStack.Core.Diagnosis.Static;
using MediaStack.Core.Errors;
using MediaStack.Core.Reconcile;
using MediaStack.Core.Sidecars;
using MediaStack.Core.Workloads;
using static MediaStack.Core.Tests.Workloads.Manifest;

namespace MediaStack.Core.Tests.Reconcile;

// The one planner behind Add-RcloneSidecar, Remove-RcloneSidecar and Repair-MediaMount, on
// the JSON of a workload (the corpus checks the same plans on files, as diffs).
public class ChangePlannerTests
{
    private const string Bazarr = """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: bazarr
          resourceVersion: "41"
        spec:
          template:
            metadata:
              labels:
                app: bazarr
            spec:
              containers:
              - name: bazarr
                image: lscr.io/linuxserver/bazarr:latest
                volumeMounts:
                - name: media-storage
                  mountPath: /mnt/media
              - name: nginx
                image: nginx
                unknownField: kept
              volumes:
              - name: media-storage
                persistentVolumeClaim:
                  claimName: media-library-pvc
        """;

    private static readonly ChangeRequest Add = new() { Action = ChangeAction.AddSidecars };
    private static readonly ChangeRequest Remove = new() { Action = ChangeAction.RemoveSidecars };

    private static ChangePlan Plan(JsonObject resource, ChangeRequest request) => ChangePlanner.Plan(Workload.From(resource, StackConfig), request);

    private static ChangePlan Plan(string yaml, ChangeRequest request) => Plan(Document(yaml), request);

    private static JsonArray List(JsonObject resource, string list) => resource["spec"]!["template"]!["spec"]![list]!.AsArray();

    private static string[] Names(JsonObject resource, string list) =>
        resource["spec"]!["template"]!["spec"]![list] is JsonArray items ? items.Select(item => (string)item!["name"]!).ToArray() : [];

    private static string[] Changes(ChangePlan plan) => plan.Changes.Select(change => change.ToString()).ToArray();

    [Fact]
    public void Add_gives_an_app_without_sidecars_everything_and_a_second_run_nothing()
    {
        var plan = Plan(Bazarr, Add);
        var after = plan.After();

        Assert.Equal(PlanStatus.Changed, plan.Status);
        Assert.Equal(
            [
                "rclone-zurg: added (classic sidecar, zurg: on /mnt/media/zurg) (MS101)",
                "volumes: added rclone-zurg-config (secret rclone-zurg-config) (MS101)",
                "volumes: added rclone-zurg-cache (emptyDir for the VFS cache) (MS101)",
                "init-dirs: added (creates /mnt/media/zurg) (MS101)",
                "rclone-torbox: added (classic sidecar, torbox: on /mnt/media/torbox) (MS101)",
                "volumes: added rclone-config (secret rclone-config) (MS101)",
                "volumes: added rclone-torbox-cache (emptyDir for the VFS cache) (MS101)",
                "init-dirs: creates /mnt/media/torbox too (MS101)",
                "bazarr: /mnt/media propagation None -> HostToContainer (MS103)",
            ],
            Changes(plan));
        Assert.Equal(["MS101", "MS103"], plan.RuleIds);
        Assert.Equal(["zurg", "torbox"], plan.Mounts.Select(mount => mount.Name));
        Assert.Equal(SidecarMode.Classic, plan.Mode);
        Assert.Equal(["rclone-zurg", "rclone-torbox", "bazarr", "nginx"], Names(after, "containers"));
        Assert.Equal(["init-dirs"], Names(after, "initContainers"));
        Assert.True(JsonNode.DeepEquals(DesiredSidecars.SidecarContainer(StackConfig, StackConfig.Mounts[0], SidecarMode.Classic, "media-storage"), List(after, "containers")[0]));
        Assert.True(JsonNode.DeepEquals(DesiredSidecars.InitDirsContainer(StackConfig, "media-storage", ["/mnt/media/zurg", "/mnt/media/torbox"]), List(after, "initContainers")[0]));
        Assert.Equal("HostToContainer", (string?)List(after, "containers")[2]!["volumeMounts"]![0]!["mountPropagation"]);
        Assert.Equal("kept", (string?)List(after, "containers")[3]!["unknownField"]);
        Assert.Equal(["media-storage", "rclone-zurg-config", "rclone-zurg-cache", "rclone-config", "rclone-torbox-cache"], Names(after, "volumes"));

        var second = Plan(after, Add);
        Assert.Equal((PlanStatus.UpToDate, "the sidecar of every configured mount is there and has no defect Add-RcloneSidecar fixes"), (second.Status, second.Reason));
        Assert.Empty(second.Operations);
        Assert.Empty(second.Changes);
    }

    [Fact]
    public void Add_fixes_the_defects_of_existing_sidecars_in_place_without_duplicating_them()
    {
        var wrong = Plan(Bazarr, Add).After();
        var zurg = List(wrong, "containers")[0]!.AsObject();
        zurg["securityContext"] = new JsonObject { ["privileged"] = false, ["runAsUser"] = 0 };
        zurg["volumeMounts"]![0]!.AsObject().Remove("mountPropagation");
        zurg["args"]!.AsArray()[11] = "--rc-addr=:5572";
        zurg["lifecycle"]!["preStop"]!["exec"]!["command"]![0] = "fusermount";
        zurg["volumeMounts"]!.AsArray().RemoveAt(1);
        zurg["env"] = new JsonArray(new JsonObject { ["name"] = "GOMEMLIMIT", ["value"] = "900MiB" });

        var plan = Plan(wrong, Add);

        Assert.Equal(
            [
                "rclone-zurg: /mnt/media propagation None -> Bidirectional (MS102)",
                "rclone-zurg: set privileged (MS104)",
                "rclone-zurg: mount rclone-zurg-config at /config/rclone (MS110)",
                "rclone-zurg: rc bound to 127.0.0.1 (MS111)",
                "rclone-zurg: fusermount -> fusermount3 (MS112)",
            ],
            Changes(plan));
        var after = plan.After();
        var fixedZurg = List(after, "containers")[0]!.AsObject();
        Assert.Equal(4, List(after, "containers").Count);
        Assert.Equal(0, (int)fixedZurg["securityContext"]!["runAsUser"]!);
        Assert.True((bool)fixedZurg["securityContext"]!["privileged"]!);
        Assert.Equal("--rc-addr=127.0.0.1:5572", (string?)fixedZurg["args"]![11]);
        Assert.Equal("900MiB", (string?)fixedZurg["env"]![0]!["value"]);
        Assert.Equal(PlanStatus.UpToDate, Plan(after, Add).Status);
    }

    [Fact]
    public void Add_leaves_the_owners_choices_in_existing_sidecars_alone()
    {
        // Probes on the FUSE path, own resources, DEBUG logs, no preStop: taste, not defects.
        var owned = Plan(Bazarr, Add).After();
        var zurg = List(owned, "containers")[0]!.AsObject();
        zurg["livenessProbe"] = JsonNode.Parse("""{"exec": {"command": ["test", "-d", "/mnt/media/zurg/__all__"]}, "periodSeconds": 60}""");
        zurg.Remove("startupProbe");
        zurg.Remove("lifecycle");
        zurg["resources"] = JsonNode.Parse("""{"limits": {"cpu": "2", "memory": "4Gi"}}""");
        zurg["args"]![12] = "--log-level=DEBUG";

        var plan = Plan(owned, Add);

        Assert.Equal(PlanStatus.UpToDate, plan.Status);
        Assert.Empty(plan.Operations);
    }

    [Theory]
    [InlineData(SidecarRefresh.Probes, new[] { "rclone-zurg: startupProbe checks the mount table (-Update Probes)", "rclone-zurg: livenessProbe checks the mount table (-Update Probes)" })]
    [InlineData(SidecarRefresh.Resources, new[] { "rclone-zurg: resources from the config (-Update Resources)" })]
    [InlineData(SidecarRefresh.LogLevel, new[] { "rclone-zurg: --log-level=INFO (-Update LogLevel)" })]
    [InlineData(SidecarRefresh.PreStop, new[] { "rclone-zurg: preStop fusermount3 -uz (-Update PreStop)" })]
    public void Update_brings_only_the_named_part_to_the_generated_shape(SidecarRefresh refresh, string[] changes)
    {
        var owned = Plan(Bazarr, Add with { Mounts = ["zurg"] }).After();
        var zurg = List(owned, "containers")[0]!.AsObject();
        zurg["livenessProbe"] = JsonNode.Parse("""{"exec": {"command": ["/bin/sh", "-c", "test -d /mnt/media/zurg/__all__ || exit 1"]}, "initialDelaySeconds": 30, "periodSeconds": 30, "timeoutSeconds": 10, "failureThreshold": 3}""");
        zurg.Remove("startupProbe");
        zurg.Remove("lifecycle");
        zurg["resources"] = JsonNode.Parse("""{"limits": {"cpu": "2", "memory": "4Gi"}}""");
        zurg["args"]![12] = "--log-level=DEBUG";
        var desired = DesiredSidecars.SidecarContainer(StackConfig, StackConfig.Mounts[0], SidecarMode.Classic, "media-storage");

        var plan = Plan(owned, Add with { Mounts = ["zurg"], Refresh = refresh });
        var updated = List(plan.After(), "containers")[0]!.AsObject();

        Assert.Equal(changes, Changes(plan));
        Assert.Equal(refresh == SidecarRefresh.Probes, JsonNode.DeepEquals(desired["livenessProbe"], updated["livenessProbe"]) && JsonNode.DeepEquals(desired["startupProbe"], updated["startupProbe"]));
        Assert.Equal(refresh == SidecarRefresh.Resources, JsonNode.DeepEquals(desired["resources"], updated["resources"]));
        Assert.Equal(refresh == SidecarRefresh.LogLevel, (string?)updated["args"]![12] == "--log-level=INFO");
        Assert.Equal(refresh == SidecarRefresh.PreStop, JsonNode.DeepEquals(desired["lifecycle"], updated["lifecycle"]));
        Assert.Equal(PlanStatus.UpToDate, Plan(plan.After(), Add with { Mounts = ["zurg"], Refresh = refresh }).Status);
    }

    [Fact]
    public void Native_sidecars_unmount_in_preStop_too()
    {
        var native = Plan(Bazarr, Add with { Mode = SidecarMode.Native }).After();

        Assert.Equal(PlanStatus.UpToDate, Plan(native, Add with { Refresh = SidecarRefresh.PreStop }).Status);
        Assert.All(List(native, "initContainers").Skip(1), sidecar => Assert.Equal("fusermount3", (string?)sidecar!["lifecycle"]!["preStop"]!["exec"]!["command"]![0]));
    }

    [Fact]
    public void Add_of_some_mounts_adds_only_those_sidecars_and_their_secrets()
    {
        var plan = Plan(Bazarr, Add with { Mounts = ["TorBox"] });
        var after = plan.After();

        Assert.Equal(["rclone-torbox", "bazarr", "nginx"], Names(after, "containers"));
        Assert.Equal(["media-storage", "rclone-config", "rclone-torbox-cache"], Names(after, "volumes"));
        // init-dirs makes the mount points of the sidecars it serves, no others.
        Assert.Equal("mkdir -p /mnt/media/torbox", ((string)List(after, "initContainers")[0]!["command"]![2]!).Split('\n')[1]);
        Assert.Equal(["torbox"], plan.Mounts.Select(mount => mount.Name));
    }

    [Fact]
    public void An_unknown_mount_is_refused()
    {
        var error = Assert.Throws<MediaStackException>(() => Plan(Bazarr, Add with { Mounts = ["gdrive", "zurg", "onedrive"] }));

        Assert.Equal(ErrorIds.UnknownMount, error.ErrorId);
        Assert.Equal("No configured mount is named 'gdrive', 'onedrive'; the configured mounts are zurg, torbox.", error.Message);
        Assert.Equal("Use a name from (Get-MediaStackConfig).Mounts.", error.RecommendedAction);
    }

    [Fact]
    public void Native_mode_puts_sidecars_after_init_dirs_and_moves_classic_ones()
    {
        var classic = Plan(Bazarr, Add).After();

        var plan = Plan(classic, Add with { Mode = SidecarMode.Native });
        var after = plan.After();

        Assert.Equal(["bazarr", "nginx"], Names(after, "containers"));
        Assert.Equal(["init-dirs", "rclone-zurg", "rclone-torbox"], Names(after, "initContainers"));
        Assert.True(JsonNode.DeepEquals(DesiredSidecars.SidecarContainer(StackConfig, StackConfig.Mounts[1], SidecarMode.Native, "media-storage"), List(after, "initContainers")[2]));
        Assert.Equal(
            [
                "rclone-zurg: removed from containers (now a native sidecar)",
                "rclone-zurg: added (native sidecar, zurg: on /mnt/media/zurg) (MS101)",
                "rclone-torbox: removed from containers (now a native sidecar)",
                "rclone-torbox: added (native sidecar, torbox: on /mnt/media/torbox) (MS101)",
            ],
            Changes(plan));
        Assert.Equal(SidecarMode.Native, plan.Mode);
        // Without a mode, the mode already there is kept.
        Assert.Equal(PlanStatus.UpToDate, Plan(after, Add).Status);
    }

    [Theory]
    [InlineData(SidecarMode.Classic)]
    [InlineData(SidecarMode.Native)]
    public void Remove_undoes_Add_but_keeps_HostToContainer_unless_asked(SidecarMode mode)
    {
        var original = Document(Bazarr);
        var added = Plan(original, Add with { Mode = mode }).After();

        var removed = Plan(added, Remove);
        var reset = Plan(added, Remove with { ResetPropagation = true });

        var expected = (JsonObject)original.DeepClone();
        List(expected, "containers")[0]!["volumeMounts"]![0]!["mountPropagation"] = "HostToContainer";
        Assert.True(JsonNode.DeepEquals(expected, removed.After()), removed.After().ToJsonString());
        Assert.True(JsonNode.DeepEquals(original, reset.After()), reset.After().ToJsonString());
        Assert.Equal("bazarr: /mnt/media propagation HostToContainer -> None (-ResetPropagation)", Changes(reset)[^1]);
        Assert.Equal(["zurg", "torbox"], removed.Mounts.Select(mount => mount.Name));
        var again = Plan(removed.After(), Remove);
        Assert.Equal((PlanStatus.UpToDate, "no rclone sidecar of a configured mount to remove"), (again.Status, again.Reason));
    }

    [Fact]
    public void Removing_one_mount_keeps_init_dirs_for_the_other()
    {
        var added = Plan(Bazarr, Add).After();

        var plan = Plan(added, Remove with { Mounts = ["zurg"] });
        var after = plan.After();

        Assert.Equal(["rclone-torbox", "bazarr", "nginx"], Names(after, "containers"));
        Assert.Equal(["init-dirs"], Names(after, "initContainers"));
        Assert.Equal("mkdir -p /mnt/media/torbox", ((string)List(after, "initContainers")[0]!["command"]![2]!).Split('\n')[1]);
        Assert.Equal(["media-storage", "rclone-config", "rclone-torbox-cache"], Names(after, "volumes"));
        Assert.Equal(
            [
                "rclone-zurg: removed from containers",
                "init-dirs: no longer creates /mnt/media/zurg",
                "volumes: removed rclone-zurg-config",
                "volumes: removed rclone-zurg-cache",
            ],
            Changes(plan));
    }

    [Fact]
    public void Remove_takes_out_only_the_sidecars_of_configured_mounts()
    {
        var plan = Plan(Deployment("jellyfin", """
            containers:
            - {name: rclone-zurg, image: rclone/rclone, args: [mount, "zurg:", /mnt/media/zurg], volumeMounts: [{name: m, mountPath: /mnt/media, mountPropagation: Bidirectional}]}
            - {name: gdrive, image: rclone/rclone, args: [mount, "gdrive:", /mnt/media/gdrive], volumeMounts: [{name: m, mountPath: /mnt/media, mountPropagation: Bidirectional}]}
            - {name: jellyfin, image: jellyfin/jellyfin, volumeMounts: [{name: m, mountPath: /mnt/media, mountPropagation: HostToContainer}]}
            volumes: [{name: m, persistentVolumeClaim: {claimName: media-library-pvc}}]
            """), Remove);

        Assert.Equal(["rclone-zurg: removed from containers"], Changes(plan));
        Assert.Equal(["gdrive", "jellyfin"], Names(plan.After(), "containers"));
    }

    private const string AmbiguousApp = """
        kind: Deployment
        metadata: {name: media}
        spec:
          template:
            spec:
              containers:
              - {name: rclone-zurg, image: docker.io/rclone/rclone:latest, args: [mount, "zurg:", /mnt/media/zurg], volumeMounts: [{name: media-storage, mountPath: /mnt/media}]}
              - {name: helper, image: busybox}
              - {name: plex, image: plexinc/pms-docker}
              volumes: [{name: media-storage, persistentVolumeClaim: {claimName: media-library-pvc}}]
        """;

    [Fact]
    public void The_app_container_is_never_guessed_and_can_be_named()
    {
        var error = Assert.Throws<MediaStackException>(() => Plan(AmbiguousApp, Add));
        var repair = Assert.Throws<MediaStackException>(() => Plan(AmbiguousApp, new ChangeRequest { Action = ChangeAction.Repair }));
        Assert.Equal((ErrorIds.AppContainerNotFound, "Name it: the annotation kubectl.kubernetes.io/default-container: helper | plex"), (repair.ErrorId, repair.RecommendedAction));
        Assert.Equal(ErrorIds.AppContainerNotFound, error.ErrorId);
        Assert.Equal("Cannot tell the app container of Deployment 'media': a guess: none of helper, plex is named after the workload, carries the kubectl.kubernetes.io/default-container annotation or sees the media root.", error.Message);
        Assert.Equal("Name it: -AppContainer helper | plex", error.RecommendedAction);

        var named = Plan(AmbiguousApp, Add with { AppContainer = "plex" });
        Assert.Equal(["rclone-zurg", "rclone-torbox", "helper", "plex"], Names(named.After(), "containers"));
        Assert.Equal("HostToContainer", (string?)List(named.After(), "containers")[3]!["volumeMounts"]![0]!["mountPropagation"]);

        var wrongName = Assert.Throws<MediaStackException>(() => Plan(AmbiguousApp, Add with { AppContainer = "sonarr" }));
        Assert.Equal(ErrorIds.AppContainerNotFound, wrongName.ErrorId);
        Assert.Equal("Deployment 'media' has no container named 'sonarr'; its containers are rclone-zurg, helper, plex.", wrongName.Message);
        Assert.Equal("-AppContainer helper | plex", wrongName.RecommendedAction);
    }

    [Fact]
    public void The_cluster_patch_tests_the_resource_version_first()
    {
        var patch = Plan(Bazarr, Add).ToJsonPatch();

        Assert.Equal("""{"op":"test","path":"/metadata/resourceVersion","value":"41"}""", patch[0]!.ToJsonString());
        Assert.All(patch.Skip(1), operation => Assert.StartsWith("/spec/template/spec/", (string)operation!["path"]!));
        var unversioned = Document(Bazarr);
        unversioned["metadata"]!.AsObject().Remove("resourceVersion");
        Assert.Equal(Plan(unversioned, Add).Operations.Count, Plan(unversioned, Add).ToJsonPatch().Count);
    }

    [Fact]
    public void A_pod_is_planned_at_its_own_spec()
    {
        var plan = Plan("kind: Pod\nmetadata: {name: shell}\nspec: {containers: [{name: shell, image: busybox, volumeMounts: [{name: m, mountPath: /mnt/media}]}], volumes: [{name: m, persistentVolumeClaim: {claimName: media-library-pvc}}]}\n", Add with { Mounts = ["zurg"] });

        Assert.All(plan.Operations, operation => Assert.StartsWith("/spec/", operation.Path));
        Assert.DoesNotContain(plan.Operations, operation => operation.Path.StartsWith("/spec/template", StringComparison.Ordinal));
        Assert.Equal(["rclone-zurg", "shell"], plan.After()["spec"]!["containers"]!.AsArray().Select(container => (string)container!["name"]!));
    }

    [Fact]
    public void A_custom_launch_is_kept_but_its_dangerous_parts_are_fixed()
    {
        var added = Plan(Bazarr, Add).After();
        var zurg = List(added, "containers")[0]!.AsObject();
        zurg["command"] = new JsonArray("/bin/sh", "-c");
        zurg["args"] = new JsonArray("fusermount -uz /mnt/media/zurg 2>/dev/null; exec rclone mount zurg: /mnt/media/zurg --rc --rc-no-auth --rc-addr :5572");

        var plan = Plan(added, Add);

        Assert.Equal(["rclone-zurg: rc bound to 127.0.0.1 (MS111)", "rclone-zurg: fusermount -> fusermount3 (MS112)"], Changes(plan));
        Assert.Equal("fusermount3 -uz /mnt/media/zurg 2>/dev/null; exec rclone mount zurg: /mnt/media/zurg --rc --rc-no-auth --rc-addr 127.0.0.1:5572",
            (string?)List(plan.After(), "containers")[0]!["args"]![0]);
        Assert.Equal(PlanStatus.UpToDate, Plan(plan.After(), Add).Status);
    }

    [Theory]
    [InlineData("--rc-addr=10.0.0.5:5572", "--rc-addr=127.0.0.1:5572")]
    [InlineData("--rc-addr=$(POD_IP):5572", "--rc-addr=127.0.0.1:5572")]
    [InlineData("--rc-addr=[::]:5572", "--rc-addr=127.0.0.1:5572")]
    public void Every_address_MS111_flags_is_moved_to_loopback(string exposed, string loopback)
    {
        var added = Plan(Bazarr, Add with { Mounts = ["zurg"] }).After();
        List(added, "containers")[0]!["args"]![11] = exposed;
        var workload = Workload.From(added, StackConfig);
        var findings = new MountDiagnoser(StackConfig).Diagnose(new DiagnosisSubject(new DiagnosisTarget(null, "bazarr", null, null), workload, added, null))
            .Where(finding => finding.RuleId == "MS111").ToList();
        Assert.Equal("rclone-zurg", Assert.Single(findings).Container);

        var plan = ChangePlanner.Plan(workload, new ChangeRequest { Action = ChangeAction.Repair, Findings = findings });

        Assert.Equal(["rclone-zurg: rc bound to 127.0.0.1 (MS111)"], Changes(plan));
        Assert.Equal(loopback, (string?)List(plan.After(), "containers")[0]!["args"]![11]);
        Assert.Equal(["rclone-zurg: rc bound to 127.0.0.1 (MS111)"], Changes(Plan(added, Add with { Mounts = ["zurg"] })));
    }

    // Repair applies the fixes of the findings it is given, and nothing else.
    [Fact]
    public void Repair_applies_only_the_named_findings()
    {
        var broken = Plan(Bazarr, Add).After();
        var zurg = List(broken, "containers")[0]!.AsObject();
        zurg["securityContext"]!["privileged"] = false;
        zurg["args"]![11] = "--rc-addr=:5572";
        var workload = Workload.From(broken, StackConfig);
        var findings = MediaStack.Core.Tests.Diagnosis.DiagnosisFixtures.WithoutPractices(new MountDiagnoser(StackConfig).Diagnose(new DiagnosisSubject(new DiagnosisTarget(null, "bazarr", null, null), workload, broken, null)));
        Assert.Equal(["MS104", "MS105", "MS111"], findings.Select(finding => finding.RuleId).Order().ToArray());

        var plan = ChangePlanner.Plan(workload, new ChangeRequest { Action = ChangeAction.Repair, Findings = findings.Where(finding => finding.RuleId == "MS104").ToList() });

        // MS105 (Bidirectional without privileged) goes with it; the exposed rc stays.
        Assert.Equal(["rclone-zurg: set privileged (MS104)"], Changes(plan));
        Assert.Equal("--rc-addr=:5572", (string?)List(plan.After(), "containers")[0]!["args"]![11]);
        var none = ChangePlanner.Plan(Workload.From(plan.After(), StackConfig), new ChangeRequest { Action = ChangeAction.Repair, Findings = findings.Where(finding => finding.RuleId == "MS104").ToList() });
        Assert.Equal((PlanStatus.UpToDate, "the findings' defects are already gone"), (none.Status, none.Reason));
    }

    [Fact]
    public void Repair_ignores_findings_it_cannot_fix_in_the_spec()
    {
        var workload = Of(Bazarr);
        var target = new DiagnosisTarget("media-stack", "bazarr", "bazarr-1", null);
        var findings = new[]
        {
            new MountFinding(Rules.StaleMount, Severity.Error, target, "stale"),
            new MountFinding(Rules.HardNodeSelector, Severity.Warning, target, "pinned"),
            new MountFinding(Rules.SidecarMissing, Severity.Pass, target, "passed") { Mount = "zurg" },
        };

        var plan = ChangePlanner.Plan(workload, new ChangeRequest { Action = ChangeAction.Repair, Findings = findings });

        Assert.Equal(PlanStatus.UpToDate, plan.Status);
    }

    public static TheoryData<string, string, string> Skipped() => new()
    {
        {
            Deployment("zurg", "containers: [{name: zurg, image: ghcr.io/debridmediamanager/zurg-testing:v0.9.3}]"),
            "AddSidecars",
            "gateway: zurg serves the cloud to other pods (ghcr.io/debridmediamanager/zurg-testing:v0.9.3) and mounts nothing for an app; it needs no sidecars"
        },
        {
            Deployment("rclone-zurg", "containers: [{name: rclone, image: rclone/rclone, args: [mount, \"zurg:\", /mnt/media/zurg], volumeMounts: [{name: m, mountPath: /mnt/media}]}]"),
            "RemoveSidecars",
            "legacy standalone rclone (only rclone mounts (zurg: at /mnt/media/zurg) and no app: the mount reaches no other pod): give the apps their own sidecars, then delete it (MS304)"
        },
        {
            "kind: DaemonSet\nmetadata: {name: rclone-node}\nspec: {template: {spec: {containers: [{name: zurg, image: rclone/rclone, args: [mount, \"zurg:\", /mnt/media/zurg], volumeMounts: [{name: h, mountPath: /mnt/media}]}], volumes: [{name: h, hostPath: {path: /var/mnt/cloud}}]}}}\n",
            "AddSidecars",
            "node-level mount provider (DaemonSet mounting zurg: at /mnt/media/zurg on every node it runs on): the apps on its nodes read its mounts through the host path"
        },
        {
            Deployment("plex", "containers: [{name: plex, image: x, volumeMounts: [{name: cloud, mountPath: /mnt/media}]}]\nvolumes: [{name: cloud, hostPath: {path: /var/mnt/cloud}}]"),
            "AddSidecars",
            "its mounts come from the node through cloud (hostPath /var/mnt/cloud): it needs no sidecars (Repair-MediaMount fixes its propagation)"
        },
        {
            Deployment("homepage", "containers: [{name: homepage, image: x}]"),
            "AddSidecars",
            "not a media workload (homepage does not mount /mnt/media and the pod runs no rclone mount); name its app container with -AppContainer to give it the mounts"
        },
        {
            Deployment("homepage", "containers: [{name: homepage, image: x}]"),
            "RemoveSidecars",
            "not a media workload (homepage does not mount /mnt/media and the pod runs no rclone mount)"
        },
    };

    [Theory]
    [MemberData(nameof(Skipped))]
    public void Workloads_the_change_does_not_apply_to_are_skipped_with_the_reason(string yaml, string action, string reason)
    {
        var plan = Plan(yaml, new ChangeRequest { Action = Enum.Parse<ChangeAction>(action) });

        Assert.Equal((PlanStatus.Skipped, reason), (plan.Status, plan.Reason));
        Assert.Empty(plan.Operations);
    }

    [Fact]
    public void An_unrelated_workload_gets_the_mounts_when_its_app_container_is_named()
    {
        var plan = Plan(Deployment("tools", "containers: [{name: shell, image: busybox}]"), Add with { AppContainer = "shell", Mounts = ["zurg"] });
        var after = plan.After();

        Assert.Equal(PlanStatus.Changed, plan.Status);
        Assert.Equal(["rclone-zurg", "shell"], Names(after, "containers"));
        Assert.Equal(["media-storage", "rclone-zurg-config", "rclone-zurg-cache"], Names(after, "volumes"));
        Assert.Equal("""{"name":"media-storage","mountPath":"/mnt/media","mountPropagation":"HostToContainer"}""", List(after, "containers")[1]!["volumeMounts"]![0]!.ToJsonString());
        Assert.Equal(WorkloadKind.MediaApp, Workload.From(after, StackConfig).Kind);
    }

    [Fact]
    public void Sidecars_mount_the_apps_own_media_volume_whatever_its_name()
    {
        var plan = Plan("""
            kind: StatefulSet
            metadata: {name: audiobookshelf}
            spec: {template: {spec: {containers: [{name: audiobookshelf, image: x, volumeMounts: [{name: library, mountPath: /mnt/media}]}], volumes: [{name: library, persistentVolumeClaim: {claimName: books}}]}}}
            """, Add with { Mounts = ["zurg"] });
        var after = plan.After();

        Assert.Equal("library", (string?)List(after, "containers")[0]!["volumeMounts"]![0]!["name"]);
        Assert.Equal("library", (string?)List(after, "initContainers")[0]!["volumeMounts"]![0]!["name"]);
        Assert.Equal(["library", "rclone-zurg-config", "rclone-zurg-cache"], Names(after, "volumes"));
    }

    [Fact]
    public void Static_findings_and_the_planner_agree_after_an_add()
    {
        var after = Plan(Bazarr, Add).After();
        var subjects = ManifestSubjects.From([new ManifestDocument("(test)", 0, after, null)], StackConfig).Subjects;

        var findings = subjects.SelectMany(subject => new MountDiagnoser(StackConfig).Diagnose(subject)).ToList();

        Assert.DoesNotContain(findings, finding => finding.Fixable);
    }
}
