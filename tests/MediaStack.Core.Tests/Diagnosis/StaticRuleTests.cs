using MediaStack.Core.Config;
using MediaStack.Core.Diagnosis.Model;
using MediaStack.Core.Diagnosis.Static;
using MediaStack.Core.Errors;
using static MediaStack.Core.Tests.Workloads.Manifest;
using static MediaStack.Core.Tests.Diagnosis.DiagnosisFixtures;

namespace MediaStack.Core.Tests.Diagnosis;

public class StaticRuleTests
{
    [Fact]
    public void SeedTemplate_OnlyTheExposedRcApiIsFlagged()
    {
        var findings = WithoutPractices(Diagnose("seed-prowlarr.yaml"));

        Assert.Equal(
            ["MS111 Warning prowlarr rclone-torbox -", "MS111 Warning prowlarr rclone-zurg -"],
            Lines(findings));
        var zurg = findings.Single(f => f.Container == "rclone-zurg");
        Assert.Equal("spec.template.spec.containers[0].args: --rc-no-auth --rc-addr=:5572", zurg.Evidence);
        Assert.Equal("Bind it to loopback: --rc-addr=127.0.0.1:5572.", zurg.Remedy);
        Assert.True(zurg.Fixable);
        Assert.Equal("deployment/prowlarr (seed-prowlarr.yaml)", zurg.Object);
        Assert.Equal((0, "Deployment", "managers"), (zurg.Target.DocumentIndex, zurg.Target.ResourceKind, zurg.Target.ServiceAccount));
    }

    [Fact]
    public void SeedTemplate_WithPass_ReportsEveryCheckItMade()
    {
        var passed = Diagnose("seed-prowlarr.yaml", includePass: true).Where(f => f.Severity == Severity.Pass).ToList();

        Assert.Contains(passed, f => f.RuleId == "MS101" && f.Mount == "zurg" && f.Container == "rclone-zurg");
        Assert.Contains(passed, f => f.RuleId == "MS101" && f.Mount == "torbox" && f.Container == "rclone-torbox");
        Assert.Contains(passed, f => f.RuleId == "MS103" && f.Container == "prowlarr"
            && f.Evidence == "spec.template.spec.containers[2].volumeMounts[2].mountPropagation = HostToContainer");
        Assert.Equal(2, passed.Count(f => f.RuleId == "MS102"));
        Assert.Equal(2, passed.Count(f => f.RuleId == "MS104"));
        Assert.Contains(passed, f => f.RuleId == "MS109" && f.Container == "init-dirs");
        Assert.Contains(passed, f => f.RuleId == "MS115" && f.Evidence.Contains("wow-ocp-node2"));
        Assert.All(passed, f => Assert.False(f.Fixable));
    }

    [Fact]
    public void AppWithoutHostToContainer_IsTheOnlyError()
    {
        var finding = Assert.Single(WithoutPractices(Diagnose("no-propagation.yaml")));

        Assert.Equal(("MS103", Severity.Error, "sonarr"), (finding.RuleId, finding.Severity, finding.Container));
        Assert.Equal("spec.template.spec.containers[2].volumeMounts[0].mountPropagation = None", finding.Evidence);
        Assert.Equal("The app container sonarr mounts /mnt/media with propagation None: the sidecars' FUSE mounts made after it starts never reach it, and one made before is only a copy that goes dead when rclone restarts.", finding.Message);
        Assert.Equal(RepairKind.Reconcile, finding.Repair);
    }

    [Fact]
    public void AppWithoutSidecars_MissesOneSidecarPerConfiguredMount()
    {
        var findings = WithoutPractices(Diagnose("no-sidecars.yaml"));

        Assert.Equal(["MS101 Error bazarr - torbox", "MS101 Error bazarr - zurg"], Lines(findings));
        Assert.Equal("No rclone sidecar for mount 'zurg': /mnt/media/zurg stays an empty directory in the app.", findings.Single(f => f.Mount == "zurg").Message);
    }

    [Fact]
    public void ThirdConfiguredMount_IsMissingToo()
    {
        var config = StackConfig with
        {
            Mounts = [.. StackConfig.Mounts, new RcloneMount("alldebrid", "alldebrid:", "/mnt/media/alldebrid", "links", "rclone-alldebrid", "rclone-alldebrid", 5574, 10, 0)],
        };

        var finding = Assert.Single(Diagnose("no-propagation.yaml", config: config), f => f.RuleId == "MS101");

        Assert.Equal(("alldebrid", "No rclone sidecar for mount 'alldebrid': /mnt/media/alldebrid stays an empty directory in the app."), (finding.Mount, finding.Message));
    }

    [Fact]
    public void A_mount_the_annotation_leaves_out_is_not_missing()
    {
        var text = File.ReadAllText(PathOf("no-sidecars.yaml")).Replace("metadata:\n  name: bazarr\n", "metadata:\n  name: bazarr\n  annotations: {mediastack.io/mounts: torbox}\n");
        Assert.Contains("mediastack.io/mounts", text);

        Assert.Equal(["MS101 Error bazarr - torbox"], Lines(WithoutPractices(DiagnoseText(text))));
    }

    [Fact]
    public void PrivilegeMistakes_AreEachNamed()
    {
        var findings = WithoutPractices(Diagnose("privilege-mistakes.yaml"));

        Assert.Equal(
            [
                "MS103 Error radarr radarr -",
                "MS104 Error radarr rclone-zurg zurg",
                "MS105 Error radarr radarr -",
                "MS105 Error radarr rclone-zurg -",
                "MS107 Warning radarr nginx -",
            ],
            Lines(findings));
        Assert.Equal("spec.template.spec.containers[0].securityContext.privileged = (unset)", findings.Single(f => f.RuleId == "MS104").Evidence);
        var rejected = findings.Single(f => f.RuleId == "MS105" && f.Container == "rclone-zurg");
        Assert.Contains("'Bidirectional mount propagation is available only to privileged containers'", rejected.Message);
        Assert.StartsWith("spec.template.spec.containers[0].volumeMounts[0].mountPropagation = Bidirectional", rejected.Evidence);
    }

    [Fact]
    public void HandWrittenMistakes_AreEachNamed()
    {
        var findings = WithoutPractices(Diagnose("hygiene-mistakes.yaml"));

        Assert.Equal(
            [
                "MS108 Warning plex - -",
                "MS110 Error plex rclone-zurg zurg",
                "MS112 Warning plex rclone-zurg -",
                "MS113 Error plex rclone-torbox -",
                "MS114 Warning plex rclone-zurg -",
                "MS115 Warning plex - -",
                "MS116 Error plex rclone-torbox -",
                "MS305 Info plex - -",
            ],
            Lines(findings));
        Assert.Equal("spec.template.spec.containers[0].lifecycle.preStop.exec.command[2] = fusermount -uz /mnt/media/zurg || true",
            findings.Single(f => f.RuleId == "MS112").Evidence);
        Assert.Equal("rclone-torbox binds rc port 5572, already used by rclone-zurg: it fails with 'address already in use'.", findings.Single(f => f.RuleId == "MS113").Message);
        Assert.Contains("{\"kubernetes.io/hostname\":\"wow-ocp-node2\"}", findings.Single(f => f.RuleId == "MS115").Evidence);
        Assert.False(findings.Single(f => f.RuleId == "MS305").Fixable);
    }

    [Fact]
    public void LegacyStandaloneRclone_AndUnrelatedWorkloads()
    {
        var findings = WithoutPractices(Diagnose("legacy-and-unrelated.yaml"));

        Assert.Equal(["MS100 Info homepage - -", "MS304 Warning rclone-zurg rclone -"], Lines(findings));
        Assert.Equal("Not a media workload: homepage does not mount /mnt/media and the pod runs no rclone mount.", findings.Single(f => f.RuleId == "MS100").Message);
    }

    [Fact]
    public void A_gateway_is_told_it_needs_no_sidecars_and_is_never_missing_one()
    {
        var findings = DiagnoseText("""
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: zurg, namespace: media-stack}
            spec:
              template:
                spec:
                  containers:
                  - name: zurg
                    image: ghcr.io/debridmediamanager/zurg-testing:v0.9.3-final
                    volumeMounts: [{name: media-storage, mountPath: /mnt/media}, {name: data, mountPath: /app/data}]
                  volumes: [{name: media-storage, persistentVolumeClaim: {claimName: media-library-pvc}}, {name: data, emptyDir: {}}]
            """);

        var finding = Assert.Single(findings);
        Assert.Equal(("MS100", Severity.Info, false), (finding.RuleId, finding.Severity, finding.Fixable));
        Assert.Equal("Gateway: zurg serves the cloud to other pods (ghcr.io/debridmediamanager/zurg-testing:v0.9.3-final) and mounts nothing for an app. It expects no mounts and needs no rclone sidecars.", finding.Message);
        Assert.Equal("deployment/zurg (rendered)", finding.Object);
    }

    [Fact]
    public void A_chart_template_is_one_notice_named_by_its_file()
    {
        var chart = Path.Combine(Corpus.CorpusRepository.CorpusFolder(), "helm-rendered", "repo", "charts");

        var read = ManifestSubjects.FromPath(chart, StackConfig);

        var notice = Assert.Single(read.Notices);
        var file = Path.Combine(chart, "media", "templates", "deployment.yaml");
        Assert.Equal(("MS121", Severity.Info, file), (notice.RuleId, notice.Severity, notice.Object));
        Assert.Empty(read.Subjects);
    }

    [Fact]
    public void FindingsComeWorstFirst()
    {
        var read = ManifestSubjects.FromPath(PathOf("hygiene-mistakes.yaml"), StackConfig);
        var severities = new MediaStack.Core.Diagnosis.MountDiagnoser(StackConfig).Diagnose(read.Subjects.Single()).Select(f => f.Severity).ToList();

        Assert.Equal(severities.OrderByDescending(s => s), severities);
    }

    [Fact]
    public void NativeSidecarsBeforeInitDirs_AreFlagged()
    {
        const string yaml = """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: overseerr}
            spec:
              template:
                spec:
                  initContainers:
                  - name: rclone-zurg
                    image: docker.io/rclone/rclone:latest
                    restartPolicy: Always
                    securityContext: {privileged: true}
                    args: [mount, "zurg:", /mnt/media/zurg]
                    volumeMounts: [{name: media-storage, mountPath: /mnt/media, mountPropagation: Bidirectional}, {name: z, mountPath: /config/rclone}]
                    resources: {limits: {cpu: "1", memory: 1Gi}}
                  - name: init-dirs
                    image: docker.io/alpine:latest
                    command: [sh, -c, mkdir -p /mnt/media/zurg]
                    volumeMounts: [{name: media-storage, mountPath: /mnt/media}]
                  containers:
                  - name: overseerr
                    image: lscr.io/linuxserver/overseerr:latest
                    volumeMounts: [{name: media-storage, mountPath: /mnt/media, mountPropagation: HostToContainer}]
                  volumes:
                  - {name: media-storage, persistentVolumeClaim: {claimName: media-library-pvc}}
                  - {name: z, secret: {secretName: rclone-zurg-config}}
            """;
        var config = StackConfig with { Mounts = [StackConfig.Mounts[0]] };

        var finding = Assert.Single(WithoutPractices(DiagnoseText(yaml, config)));

        Assert.Equal(("MS109", "rclone-zurg"), (finding.RuleId, finding.Container));
        Assert.Equal("init-dirs runs after the native sidecar rclone-zurg, so the mount point may not exist when rclone starts.", finding.Message);
    }

    [Fact]
    public void MissingPath_IsAClearError()
    {
        var error = Assert.Throws<MediaStackException>(() => ManifestSubjects.FromPath("/nonexistent/deployment.yaml", StackConfig));

        Assert.Equal((ErrorIds.ManifestPathNotFound, "No manifest file or folder at '/nonexistent/deployment.yaml'."), (error.ErrorId, error.Message));
    }

    [Fact]
    public void Folder_IsReadRecursively()
    {
        var read = ManifestSubjects.FromPath(Folder(), StackConfig);

        Assert.Equal(
            ["hygiene-mistakes.yaml plex", "legacy-and-unrelated.yaml homepage", "legacy-and-unrelated.yaml rclone-zurg", "no-propagation.yaml sonarr", "no-sidecars.yaml bazarr", "privilege-mistakes.yaml radarr", "seed-prowlarr.yaml prowlarr"],
            read.Subjects.Select(s => $"{Path.GetFileName(s.Target.File)} {s.Target.Deployment}").Order(StringComparer.Ordinal));
        Assert.Empty(read.Errors);
        Assert.Empty(read.Notices);
        Assert.Equal(1, read.Subjects.Single(s => s.Target.Deployment == "homepage").Target.DocumentIndex);
    }

    [Fact]
    public void RuleIds_AreUniqueAndWellFormed()
    {
        Assert.Equal(Rules.All.Count, Rules.All.Select(r => r.Id).Distinct().Count());
        Assert.Equal(Rules.All.Count, Rules.All.Select(r => r.Name).Distinct().Count());
        Assert.All(Rules.All, r => Assert.Matches(@"^MS[123]\d\d$", r.Id));
    }

    [Fact]
    public void SidecarReadingAnotherSecret_IsInfo_NotASpecError()
    {
        const string yaml = """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: overseerr}
            spec:
              template:
                spec:
                  initContainers:
                  - {name: init-dirs, image: alpine, command: [sh, -c, mkdir -p /mnt/media/zurg], volumeMounts: [{name: media-storage, mountPath: /mnt/media}]}
                  containers:
                  - name: rclone-zurg
                    image: docker.io/rclone/rclone:latest
                    securityContext: {privileged: true}
                    args: [mount, "zurg:", /mnt/media/zurg]
                    volumeMounts:
                    - {name: media-storage, mountPath: /mnt/media, mountPropagation: Bidirectional}
                    - {name: own-config, mountPath: /config/rclone, readOnly: true}
                    resources: {limits: {cpu: 500m, memory: 1Gi}}
                  - name: overseerr
                    image: lscr.io/linuxserver/overseerr:latest
                    volumeMounts: [{name: media-storage, mountPath: /mnt/media, mountPropagation: HostToContainer}]
                  volumes:
                  - {name: media-storage, persistentVolumeClaim: {claimName: media-library-pvc}}
                  - {name: own-config, secret: {secretName: rclone-overseerr-config}}
            """;
        var config = StackConfig with { Mounts = [StackConfig.Mounts[0]] };

        var finding = Assert.Single(WithoutPractices(DiagnoseText(yaml, config)));

        Assert.Equal(("MS110", Severity.Info, false), (finding.RuleId, finding.Severity, finding.Fixable));
        Assert.Contains("secret 'rclone-overseerr-config', not the configured 'rclone-zurg-config'", finding.Message);
    }

    [Fact]
    public void PrivilegedApp_IsAWarningWithAManualStep()
    {
        var text = File.ReadAllText(PathOf("no-propagation.yaml")).Replace(
            "      - name: sonarr\n        image: lscr.io/linuxserver/sonarr:latest\n",
            "      - name: sonarr\n        image: lscr.io/linuxserver/sonarr:latest\n        securityContext: {privileged: true}\n");
        Assert.Contains("privileged: true}\n        volumeMounts:\n        - {name: media-storage, mountPath: /mnt/media}", text);

        var finding = DiagnoseText(text).Single(f => f.RuleId == "MS106");

        Assert.Equal(("sonarr", Severity.Warning, false), (finding.Container, finding.Severity, finding.Fixable));
        Assert.Equal("Remove securityContext.privileged from the app container.", finding.Remedy);
    }
}
