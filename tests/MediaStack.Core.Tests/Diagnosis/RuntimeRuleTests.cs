using System.Text.Json.Nodes;
using MediaStack.Core.Diagnosis;
using MediaStack.Core.Diagnosis.Model;
using MediaStack.Core.Diagnosis.Runtime;
using MediaStack.Core.Diagnosis.Static;
using static MediaStack.Core.Tests.Workloads.Manifest;
using static MediaStack.Core.Tests.Diagnosis.DiagnosisFixtures;

namespace MediaStack.Core.Tests.Diagnosis;

// Runtime rules over realistic pod status, events, logs and probe results.
public class RuntimeRuleTests
{
    private static readonly MountDiagnoser Diagnoser = new(StackConfig);

    // The live subject of a fixture's workload: the model of its template (the pods these
    // tests describe run that spec), the workload as owner, and the evidence.
    private static IReadOnlyList<MountFinding> Run(string fixture, string pod, RuntimeEvidence evidence, bool includePass = false, string? workload = null)
    {
        var model = ManifestSubjects.FromPath(PathOf(fixture), StackConfig).Workloads.First(w => workload is null || w.Name == workload);
        var target = new DiagnosisTarget("media-stack", model.Name, evidence.Pod is null ? null : pod, null)
        {
            ServiceAccount = model.ServiceAccount,
            ResourceKind = model.ResourceKind,
        };
        return Diagnoser.Diagnose(new DiagnosisSubject(target, model, model.Resource, evidence), includePass);
    }

    private static JsonObject Pod(string phase, string statuses, string node = "wow-ocp-node3") => new()
    {
        ["metadata"] = new JsonObject { ["name"] = "x", ["namespace"] = "media-stack" },
        ["spec"] = new JsonObject { ["nodeName"] = node },
        ["status"] = new JsonObject { ["phase"] = phase, ["containerStatuses"] = JsonNode.Parse(statuses) },
    };

    private static JsonObject Event(string reason, string message, string kind = "Pod", string name = "x", int count = 1) => JsonNode.Parse(
        new JsonObject
        {
            ["type"] = "Warning",
            ["reason"] = reason,
            ["message"] = message,
            ["count"] = count,
            ["involvedObject"] = new JsonObject { ["kind"] = kind, ["name"] = name },
        }.ToJsonString())!.AsObject();

    [Fact]
    public void UnprivilegedSidecar_CrashLoop_LogAndSpecAgree()
    {
        var pod = Pod("Running", """
            [{"name": "rclone-zurg", "ready": false, "restartCount": 5,
              "state": {"waiting": {"reason": "CrashLoopBackOff", "message": "back-off 40s restarting failed container=rclone-zurg"}},
              "lastState": {"terminated": {"exitCode": 1, "reason": "Error"}}},
             {"name": "rclone-torbox", "ready": true, "restartCount": 0, "state": {"running": {}}},
             {"name": "nginx", "ready": true, "restartCount": 0, "state": {"running": {}}},
             {"name": "radarr", "ready": true, "restartCount": 0, "state": {"running": {}}}]
            """);
        var evidence = new RuntimeEvidence
        {
            Pod = pod,
            Logs =
            [
                new ContainerLog("rclone-zurg", Previous: true, "2026/11/25 21:40:01 mount helper error: fusermount3: failed to open /dev/fuse: Operation not permitted\n2026/11/25 21:40:01 Fatal error: failed to mount FUSE fs: fusermount: exit status 1\n"),
                new ContainerLog("rclone-torbox", Previous: false, "2026/11/25 21:40:01 NOTICE: Serving remote control on http://127.0.0.1:5573/\n"),
            ],
            Events = [Event("BackOff", "Back-off restarting failed container rclone-zurg in pod x", count: 7)],
            FuseDevices = new Dictionary<string, bool?> { ["rclone-zurg"] = null, ["rclone-torbox"] = true },
        };

        var findings = Run("privilege-mistakes.yaml", "radarr-5d8f7-abcde", evidence);

        var errors = findings.Where(f => f.Severity == Severity.Error && f.Container == "rclone-zurg").Select(f => f.RuleId).Order().ToArray();
        Assert.Equal(["MS104", "MS202", "MS221"], errors);
        var log = findings.Single(f => f.RuleId == "MS221");
        Assert.Equal("previous instance's log (1 line(s)): 2026/11/25 21:40:01 mount helper error: fusermount3: failed to open /dev/fuse: Operation not permitted", log.Evidence);
        Assert.Equal(RepairKind.Reconcile, log.Repair);
        Assert.Contains("after 5 restart(s), last exit 1 (Error)", findings.Single(f => f.RuleId == "MS202").Message);
        Assert.Contains(findings, f => f.RuleId == "MS215" && f.Severity == Severity.Warning && f.Evidence.Contains("(x7)"));
        Assert.DoesNotContain(findings, f => f.RuleId == "MS241");
    }

    [Fact]
    public void MissingSecret_PodStuckInContainerCreating()
    {
        var pod = Pod("Pending", """
            [{"name": "rclone-zurg", "ready": false, "restartCount": 0, "state": {"waiting": {"reason": "ContainerCreating"}}},
             {"name": "rclone-torbox", "ready": false, "restartCount": 0, "state": {"waiting": {"reason": "ContainerCreating"}}},
             {"name": "sonarr", "ready": false, "restartCount": 0, "state": {"waiting": {"reason": "ContainerCreating"}}}]
            """);
        var evidence = new RuntimeEvidence
        {
            Pod = pod,
            Events = [Event("FailedMount", "MountVolume.SetUp failed for volume \"rclone-config\" : secret \"rclone-config\" not found", count: 12)],
            Secrets = new Dictionary<string, bool> { ["rclone-zurg-config"] = true, ["rclone-config"] = false },
        };

        var findings = Run("no-propagation.yaml", "overseerr-7f6d-xyz12", evidence);

        var secret = findings.Single(f => f.RuleId == "MS303");
        Assert.Equal((Severity.Error, "torbox"), (secret.Severity, secret.Mount));
        Assert.Contains("Secret 'rclone-config' does not exist", secret.Message);
        Assert.False(secret.Fixable);
        Assert.Contains("secret 'rclone-config' does not exist", findings.Single(f => f.RuleId == "MS211").Message);
        Assert.Contains("Pending (rclone-zurg: ContainerCreating", findings.Single(f => f.RuleId == "MS201").Message);
        Assert.DoesNotContain(findings, f => f.RuleId == "MS303" && f.Mount == "zurg");
    }

    [Fact]
    public void RefusedBySccAdmission_NoPodAtAll()
    {
        var evidence = new RuntimeEvidence
        {
            Pod = null,
            Events =
            [
                Event("FailedCreate",
                    "Error creating: pods \"prowlarr-7c9d8-\" is forbidden: unable to validate against any security context constraint: [provider \"restricted-v2\": Forbidden: not usable by user or serviceaccount, spec.containers[0].securityContext.privileged: Invalid value: true: Privileged containers are not allowed]",
                    kind: "ReplicaSet", name: "prowlarr-7c9d8", count: 4),
            ],
            Privilege = new PrivilegeCheck(OpenShift: true, Allowed: false, "system:serviceaccount:media-stack:discovery",
                "SubjectAccessReview use securitycontextconstraints/privileged for system:serviceaccount:media-stack:discovery: denied"),
        };

        var findings = Run("seed-prowlarr.yaml", "", evidence);

        Assert.All(findings, f => Assert.Null(f.Pod));
        Assert.Equal("deployment/prowlarr", findings[0].Object);
        var scc = findings.Single(f => f.RuleId == "MS301");
        Assert.Equal((Severity.Error, RepairKind.GrantPrivilege), (scc.Severity, scc.Repair));
        Assert.Contains("oc adm policy add-scc-to-user privileged -z managers -n media-stack", scc.Remedy);
        Assert.Contains("refused by SCC admission", findings.Single(f => f.RuleId == "MS212").Message);
        Assert.Contains("wants 1 pod(s) but none exists", findings.Single(f => f.RuleId == "MS201").Message);
    }

    [Fact]
    public void PodSecurityAdmission_OnPlainKubernetes()
    {
        var evidence = new RuntimeEvidence
        {
            Events = [Event("FailedCreate", "Error creating: pods \"prowlarr-7c9d8-abcde\" is forbidden: violates PodSecurity \"baseline:latest\": privileged (containers \"rclone-zurg\", \"rclone-torbox\" must not set securityContext.privileged=true)", kind: "ReplicaSet")],
            Privilege = new PrivilegeCheck(OpenShift: false, Allowed: false, "namespace/media-stack", "namespace media-stack label pod-security.kubernetes.io/enforce = baseline"),
        };

        var findings = Run("seed-prowlarr.yaml", "", evidence);

        var psa = findings.Single(f => f.RuleId == "MS302");
        Assert.Equal((Severity.Error, RepairKind.GrantPrivilege), (psa.Severity, psa.Repair));
        Assert.Contains("pod-security.kubernetes.io/enforce=privileged", psa.Remedy);
        Assert.Contains("Pod Security admission", findings.Single(f => f.RuleId == "MS212").Message);
    }

    [Fact]
    public void OomKilledSidecar_LeavesAStaleMount()
    {
        var pod = Pod("Running", """
            [{"name": "rclone-zurg", "ready": true, "restartCount": 1, "state": {"running": {}},
              "lastState": {"terminated": {"exitCode": 137, "reason": "OOMKilled", "finishedAt": "2026-11-25T21:00:00Z"}}},
             {"name": "rclone-torbox", "ready": true, "restartCount": 0, "state": {"running": {}}},
             {"name": "prowlarr", "ready": true, "restartCount": 0, "state": {"running": {}}}]
            """);
        var evidence = new RuntimeEvidence
        {
            Pod = pod,
            MountProbes =
            [
                new ProbeObservation("zurg", "/mnt/media/zurg/__all__", "STALE", null, "fuse.rclone", "Transport endpoint is not connected"),
                new ProbeObservation("torbox", "/mnt/media/torbox/torrents", "OK", 50, "fuse.rclone", null),
            ],
        };

        var findings = Run("seed-prowlarr.yaml", "prowlarr-1", evidence);

        var oom = findings.Single(f => f.RuleId == "MS204");
        Assert.Equal(("rclone-zurg", Severity.Error), (oom.Container, oom.Severity));
        Assert.Contains("stale mount", oom.Message);
        var stale = findings.Single(f => f.RuleId == "MS243");
        Assert.Equal((RepairKind.RestartPod, "zurg", "prowlarr"), (stale.Repair, stale.Mount, stale.Container));
        Assert.Contains("Transport endpoint is not connected", stale.Evidence);
        Assert.DoesNotContain(findings, f => f.RuleId == "MS242");
    }

    [Fact]
    public void ProbeStatuses_MapToTheirRules()
    {
        var evidence = new RuntimeEvidence
        {
            Pod = Pod("Running", "[]"),
            MountProbes =
            [
                new ProbeObservation("zurg", "/mnt/media/zurg/__all__", "NOTMOUNTED", null, "", "directory present, no FUSE mount"),
                new ProbeObservation("torbox", "/mnt/media/torbox/torrents", "TIMEOUT", null, "fuse.rclone", "no answer in 10 s"),
            ],
        };

        var findings = Run("no-propagation.yaml", "sonarr-1", evidence);

        Assert.Contains(findings, f => f.RuleId == "MS103" && f.Severity == Severity.Error);
        var missing = findings.Single(f => f.RuleId == "MS242");
        Assert.Equal(("zurg", "sonarr"), (missing.Mount, missing.Container));
        Assert.Equal("sonarr /mnt/media/zurg/__all__: NOTMOUNTED (directory present, no FUSE mount)", missing.Evidence);
        Assert.Equal("torbox", findings.Single(f => f.RuleId == "MS244").Mount);
    }

    [Fact]
    public void FuseDeviceMissing_InASidecar()
    {
        var evidence = new RuntimeEvidence
        {
            Pod = Pod("Running", "[]"),
            FuseDevices = new Dictionary<string, bool?> { ["rclone-zurg"] = false, ["rclone-torbox"] = true },
        };

        var finding = Run("privilege-mistakes.yaml", "radarr-1", evidence).Single(f => f.RuleId == "MS241");

        Assert.Equal(("rclone-zurg", Severity.Error), (finding.Container, finding.Severity));
        Assert.Contains("Set privileged: true", finding.Remedy);
    }

    [Fact]
    public void BrokenSymlinks_AreSampled()
    {
        var evidence = new RuntimeEvidence
        {
            Pod = Pod("Running", "[]"),
            Symlinks = new SymlinkSample("/mnt/media/stream", 20,
                [new BrokenLink("/mnt/media/stream/Shows/Peacemaker/S02E05.mkv", "/mnt/media/zurg/__all__/xyz/S02E05.mkv"), new BrokenLink("/mnt/media/stream/a", "/mnt/media/torbox/a")]),
        };

        var finding = Run("seed-prowlarr.yaml", "prowlarr-1", evidence).Single(f => f.RuleId == "MS246");

        Assert.Equal("2 of 20 sampled link(s) in /mnt/media/stream are broken.", finding.Message);
        Assert.Equal("/mnt/media/stream/Shows/Peacemaker/S02E05.mkv -> /mnt/media/zurg/__all__/xyz/S02E05.mkv (and 1 more)", finding.Evidence);
    }

    [Fact]
    public void HealthyPod_HasNoErrorAndPassesEveryRuntimeCheck()
    {
        var pod = Pod("Running", """
            [{"name": "rclone-zurg", "ready": true, "restartCount": 0, "state": {"running": {}}},
             {"name": "rclone-torbox", "ready": true, "restartCount": 0, "state": {"running": {}}},
             {"name": "prowlarr", "ready": true, "restartCount": 0, "state": {"running": {}}}]
            """);
        var evidence = new RuntimeEvidence
        {
            Pod = pod,
            Logs = [new ContainerLog("rclone-zurg", false, "NOTICE: Serving remote control on http://[::]:5572/\n")],
            FuseDevices = new Dictionary<string, bool?> { ["rclone-zurg"] = true, ["rclone-torbox"] = true },
            MountProbes =
            [
                new ProbeObservation("zurg", "/mnt/media/zurg/__all__", "OK", 25000, "fuse.rclone", null),
                new ProbeObservation("torbox", "/mnt/media/torbox/torrents", "OK", 50, "fuse.rclone", null),
            ],
            Secrets = new Dictionary<string, bool> { ["rclone-zurg-config"] = true, ["rclone-config"] = true },
            Privilege = new PrivilegeCheck(true, true, "system:serviceaccount:media-stack:managers", "SubjectAccessReview: allowed"),
            Symlinks = new SymlinkSample("/mnt/media/stream", 20, []),
        };

        var findings = Run("seed-prowlarr.yaml", "prowlarr-1", evidence, includePass: true);

        Assert.DoesNotContain(findings, f => f.Severity == Severity.Error);
        foreach (var passed in new[] { "MS201", "MS202", "MS221", "MS241", "MS242", "MS246", "MS301", "MS303" })
        {
            Assert.Contains(findings, f => f.RuleId == passed && f.Severity == Severity.Pass);
        }
    }

    [Fact]
    public void UnrelatedPodInCrashLoop_StillReportsRuntimeTrouble()
    {
        var evidence = new RuntimeEvidence
        {
            Pod = Pod("Running", """[{"name": "homepage", "ready": false, "restartCount": 9, "state": {"waiting": {"reason": "CrashLoopBackOff"}}}]"""),
        };

        var findings = Run("legacy-and-unrelated.yaml", "homepage-1", evidence, workload: "homepage");

        Assert.Equal(["MS100", "MS202"], findings.Select(f => f.RuleId).Order().ToArray());
    }

    [Fact]
    public void RestartsReadinessSchedulingAndProbes_EachHaveTheirRule()
    {
        var pod = Pod("Running", """
            [{"name": "rclone-zurg", "ready": true, "restartCount": 4, "state": {"running": {}}},
             {"name": "rclone-torbox", "ready": false, "restartCount": 0, "state": {"running": {}}},
             {"name": "prowlarr", "ready": true, "restartCount": 0, "state": {"running": {}}}]
            """);
        var evidence = new RuntimeEvidence
        {
            Pod = pod,
            Events =
            [
                Event("FailedScheduling", "0/3 nodes are available: 3 node(s) didn't match Pod's node affinity/selector."),
                Event("Unhealthy", "Startup probe failed: ", count: 3),
                Event("Unhealthy", "Startup probe failed: ", count: 2),
            ],
            MountProbes = [new ProbeObservation("torbox", "/mnt/media/torbox/torrents", "WARN", 0, "fuse.rclone", "0 entries")],
        };

        var findings = Run("seed-prowlarr.yaml", "prowlarr-1", evidence);

        Assert.Equal(("rclone-zurg", Severity.Warning), Pick(findings, "MS203"));
        Assert.Equal(("rclone-torbox", Severity.Warning), Pick(findings, "MS205"));
        Assert.Equal((null, Severity.Error), Pick(findings, "MS213"));
        var probe = findings.Single(f => f.RuleId == "MS214");
        Assert.Contains("failed 5 time(s)", probe.Message);
        Assert.Equal(Severity.Warning, probe.Severity);
        Assert.Equal(("prowlarr", Severity.Warning), Pick(findings, "MS245"));
    }

    private static (string? Container, Severity Severity) Pick(IEnumerable<MountFinding> findings, string id)
    {
        var finding = findings.Single(f => f.RuleId == id);
        return (finding.Container, finding.Severity);
    }

    [Fact]
    public void EarlierInstanceFailure_OfASidecarReadyNow_IsHistory()
    {
        var pod = Pod("Running", """
            [{"name": "rclone-zurg", "ready": true, "restartCount": 1, "state": {"running": {}}},
             {"name": "rclone-torbox", "ready": false, "restartCount": 2, "state": {"waiting": {"reason": "CrashLoopBackOff"}}}]
            """);
        const string stale = "2026/11/25 22:03:04 Fatal error: directory already mounted, use --allow-non-empty to mount anyway: /mnt/media/zurg\n";
        var evidence = new RuntimeEvidence
        {
            Pod = pod,
            Logs =
            [
                new ContainerLog("rclone-zurg", Previous: true, stale),
                new ContainerLog("rclone-torbox", Previous: true, stale.Replace("zurg", "torbox")),
            ],
        };

        var findings = Run("seed-prowlarr.yaml", "prowlarr-1", evidence).Where(f => f.RuleId == "MS224").ToList();

        var zurg = findings.Single(f => f.Container == "rclone-zurg");
        Assert.Equal((Severity.Info, false), (zurg.Severity, zurg.Fixable));
        Assert.Contains("earlier instance, ready now", zurg.Message);
        var torbox = findings.Single(f => f.Container == "rclone-torbox");
        Assert.Equal((Severity.Error, RepairKind.RestartPod), (torbox.Severity, torbox.Repair));
    }
}
