using MediaStack.Core.Config;
using MediaStack.Core.Diagnosis;
using MediaStack.Core.Diagnosis.Model;
using MediaStack.Core.Diagnosis.Static;
using static MediaStack.Core.Tests.Diagnosis.DiagnosisFixtures;

namespace MediaStack.Core.Tests.Diagnosis;

public class StaticRuleTests
{
    [Fact]
    public void SeedTemplate_OnlyTheExposedRcApiIsFlagged()
    {
        var findings = Diagnose("seed-prowlarr.yaml");

        Assert.Equal(
            ["MS111 Warning prowlarr rclone-torbox -", "MS111 Warning prowlarr rclone-zurg -"],
            Lines(findings));
        var zurg = findings.Single(f => f.Container == "rclone-zurg");
        Assert.Contains("--rc-addr=:5572", zurg.Evidence);
        Assert.Contains("127.0.0.1:5572", zurg.Remedy);
        Assert.True(zurg.Fixable);
        Assert.Equal("deployment/prowlarr (seed-prowlarr.yaml)", zurg.Object);
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
        var finding = Assert.Single(Diagnose("no-propagation.yaml"));

        Assert.Equal(("MS103", Severity.Error, "sonarr"), (finding.RuleId, finding.Severity, finding.Container));
        Assert.Equal("spec.template.spec.containers[2].volumeMounts[0].mountPropagation = None", finding.Evidence);
        Assert.Equal(RepairKind.Reconcile, finding.Repair);
    }

    [Fact]
    public void AppWithoutSidecars_MissesOneSidecarPerConfiguredMount()
    {
        Assert.Equal(
            ["MS101 Error bazarr - torbox", "MS101 Error bazarr - zurg"],
            Lines(Diagnose("no-sidecars.yaml")));
    }

    [Fact]
    public void ThirdConfiguredMount_IsMissingToo()
    {
        var config = MediaStackConfig.Default with
        {
            Mounts = [.. MediaStackConfig.Default.Mounts, new RcloneMount("alldebrid", "alldebrid:", "/mnt/media/alldebrid", "links", "rclone-alldebrid", "rclone-alldebrid", 5574, 10, 0)],
        };

        var findings = Diagnose("no-propagation.yaml", config: config);

        Assert.Contains(findings, f => f.RuleId == "MS101" && f.Mount == "alldebrid" && f.Message.Contains("/mnt/media/alldebrid"));
    }

    [Fact]
    public void PrivilegeMistakes_AreEachNamed()
    {
        Assert.Equal(
            [
                "MS103 Error radarr radarr -",
                "MS104 Error radarr rclone-zurg -",
                "MS105 Error radarr radarr -",
                "MS105 Error radarr rclone-zurg -",
                "MS107 Warning radarr nginx -",
            ],
            Lines(Diagnose("privilege-mistakes.yaml")));
        var findings = Diagnose("privilege-mistakes.yaml");
        Assert.Equal("spec.template.spec.containers[0].securityContext.privileged = (unset)", findings.Single(f => f.RuleId == "MS104").Evidence);
        var rejected = findings.Single(f => f.RuleId == "MS105" && f.Container == "rclone-zurg");
        Assert.Contains("'Bidirectional mount propagation is available only to privileged containers'", rejected.Message);
        Assert.StartsWith("spec.template.spec.containers[0].volumeMounts[0].mountPropagation = Bidirectional", rejected.Evidence);
    }

    [Fact]
    public void HandWrittenMistakes_AreEachNamed()
    {
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
            Lines(Diagnose("hygiene-mistakes.yaml")));
        var findings = Diagnose("hygiene-mistakes.yaml");
        Assert.Equal("spec.template.spec.containers[0].lifecycle.preStop.exec.command[2] = fusermount -uz /mnt/media/zurg || true",
            findings.Single(f => f.RuleId == "MS112").Evidence);
        Assert.Contains("already used by rclone-zurg", findings.Single(f => f.RuleId == "MS113").Message);
        Assert.Contains("{\"kubernetes.io/hostname\":\"wow-ocp-node2\"}", findings.Single(f => f.RuleId == "MS115").Evidence);
        Assert.False(findings.Single(f => f.RuleId == "MS305").Fixable);
    }

    [Fact]
    public void LegacyStandaloneRclone_AndUnrelatedWorkloads()
    {
        Assert.Equal(
            ["MS100 Info homepage - -", "MS304 Warning rclone-zurg rclone -"],
            Lines(Diagnose("legacy-and-unrelated.yaml")));
    }

    [Fact]
    public void FindingsComeWorstFirst()
    {
        var severities = Diagnose("hygiene-mistakes.yaml").Select(f => f.Severity).ToList();

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
                  containers:
                  - name: overseerr
                    image: lscr.io/linuxserver/overseerr:latest
                    volumeMounts: [{name: media-storage, mountPath: /mnt/media, mountPropagation: HostToContainer}]
                  volumes:
                  - {name: z, secret: {secretName: rclone-zurg-config}}
            """;
        var config = MediaStackConfig.Default with { Mounts = [MediaStackConfig.Default.Mounts[0]] };
        var findings = ManifestSubjects.FromText(yaml).SelectMany(s => new MountDiagnoser(config).Diagnose(s)).ToList();

        var finding = Assert.Single(findings);
        Assert.Equal(("MS109", "rclone-zurg"), (finding.RuleId, finding.Container));
        Assert.Contains("runs after the native sidecar", finding.Message);
    }

    [Fact]
    public void MissingPath_IsAClearError()
    {
        var error = Assert.Throws<MediaStack.Core.Errors.MediaStackException>(() => ManifestSubjects.FromPaths(["/nonexistent/deployment.yaml"]));

        Assert.Equal("ManifestPathNotFound", error.ErrorId);
    }

    [Fact]
    public void Folder_IsReadRecursively()
    {
        var subjects = ManifestSubjects.FromPaths([Folder()]);

        Assert.Contains(subjects, s => s.Target.Deployment == "prowlarr");
        Assert.Contains(subjects, s => s.Target.Deployment == "homepage");
        Assert.DoesNotContain(subjects, s => s.Deployment?["kind"]?.ToString() == "Service");
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
                  - {name: init-dirs, image: alpine, command: [sh, -c, mkdir -p /mnt/media/zurg]}
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
                  - {name: own-config, secret: {secretName: rclone-overseerr-config}}
            """;
        var config = MediaStackConfig.Default with { Mounts = [MediaStackConfig.Default.Mounts[0]] };

        var finding = Assert.Single(ManifestSubjects.FromText(yaml).SelectMany(s => new MountDiagnoser(config).Diagnose(s)));

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

        var findings = ManifestSubjects.FromText(text).SelectMany(s => new MountDiagnoser(MediaStackConfig.Default).Diagnose(s)).ToList();

        var finding = findings.Single(f => f.RuleId == "MS106");
        Assert.Equal(("sonarr", Severity.Warning, false), (finding.Container, finding.Severity, finding.Fixable));
        Assert.Equal("Remove securityContext.privileged from the app container.", finding.Remedy);
    }
}
