using MediaStack.Core.Config;
using MediaStack.Core.Diagnosis;
using MediaStack.Core.Diagnosis.Model;
using MediaStack.Core.Diagnosis.Static;

using static MediaStack.Core.Tests.Workloads.Manifest;

namespace MediaStack.Core.Tests.Diagnosis;

// The rules a senior admin reads a GitOps repository for beyond the mount mechanics
// (MS122-MS129, MS301 offline, MS306, MS114 with LimitRange/ResourceQuota): each shown firing
// and not firing, on files, with the line each finding points at.
public sealed class RepositoryPracticeTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("mediastack-practice-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    // An *arr app with one classic rclone sidecar that breaks none of the practice rules;
    // the tests change one thing at a time.
    private const string GoodApp = """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: sonarr
          namespace: media
        spec:
          replicas: 1
          strategy:
            type: Recreate
          template:
            spec:
              serviceAccountName: arr
              initContainers:
                - name: init-dirs
                  image: busybox:1.36.1
                  command: [sh, -c, mkdir -p /mnt/media/zurg]
                  volumeMounts: [{name: media, mountPath: /mnt/media}]
              containers:
                - name: sonarr
                  image: lscr.io/linuxserver/sonarr:4.0.9
                  startupProbe:
                    exec: {command: [test, -d, /mnt/media/zurg/__all__]}
                  volumeMounts:
                    - {name: config, mountPath: /config, subPath: config/sonarr}
                    - {name: media, mountPath: /mnt/media, mountPropagation: HostToContainer}
                - name: rclone-zurg
                  image: rclone/rclone:1.68.2
                  args: [mount, "zurg:", /mnt/media/zurg, --allow-other, --vfs-cache-mode=full, --vfs-cache-max-size=10G]
                  securityContext: {privileged: true}
                  resources: {limits: {cpu: "1", memory: 1Gi}}
                  lifecycle: {preStop: {exec: {command: [fusermount3, -uz, /mnt/media/zurg]}}}
                  volumeMounts:
                    - {name: media, mountPath: /mnt/media, mountPropagation: Bidirectional}
              volumes:
                - {name: config, persistentVolumeClaim: {claimName: media-config}}
                - {name: media, persistentVolumeClaim: {claimName: media-library}}
        """;

    private const string Binding = """
        apiVersion: rbac.authorization.k8s.io/v1
        kind: RoleBinding
        metadata: {name: scc-privileged, namespace: media}
        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: system:openshift:scc:privileged}
        subjects:
          - {kind: ServiceAccount, name: arr, namespace: media}
        """;

    private IReadOnlyList<MountFinding> Run(params (string Name, string Text)[] files)
    {
        foreach (var (name, text) in files)
        {
            File.WriteAllText(Path.Combine(_folder, name), text);
        }
        return StaticDiagnosis.Diagnose(new MountDiagnoser(StackConfig), [ManifestSubjects.FromPath(_folder, StackConfig)], includePass: true).ToList();
    }

    private IReadOnlyList<MountFinding> RunApp(string app) => Run(("app.yaml", app), ("rbac.yaml", Binding));

    private static string Change(string from, string to, string text = GoodApp)
    {
        Assert.Contains(from, text);
        return text.Replace(from, to);
    }

    private static MountFinding[] Problems(IEnumerable<MountFinding> findings, string rule) =>
        findings.Where(f => f.RuleId == rule && f.Severity != Severity.Pass).ToArray();

    private static int LineOf(string text, string fragment) =>
        text.Split('\n').Select((line, index) => (line, index)).First(pair => pair.line.Contains(fragment, StringComparison.Ordinal)).index + 1;

    [Fact]
    public void The_good_app_breaks_no_practice_rule_and_every_check_passes_with_a_line()
    {
        var findings = RunApp(GoodApp);

        Assert.Empty(findings.Where(f => f.Severity >= Severity.Info && DiagnosisFixtures.PracticeRules.Contains(f.RuleId)));
        foreach (var rule in new[] { "MS114", "MS123", "MS124", "MS125", "MS126", "MS127", "MS128", "MS129", "MS301" })
        {
            var passes = findings.Where(f => f.RuleId == rule && f.Severity == Severity.Pass).ToList();
            Assert.True(passes.Count > 0, $"{rule} did not check");
            Assert.All(passes, pass => Assert.NotNull(pass.Line));
        }
    }

    [Fact]
    public void Every_finding_from_a_file_carries_its_line_and_column()
    {
        var app = Change("image: rclone/rclone:1.68.2", "image: rclone/rclone:latest");

        var findings = RunApp(app);

        Assert.All(findings.Where(f => f.File is not null), f => Assert.True(f.Line > 0 && f.Column > 0, $"{f} has no position"));
        var image = Assert.Single(Problems(findings, "MS124"));
        Assert.Equal(LineOf(app, "image: rclone/rclone:latest"), image.Line);
        Assert.Equal(11, image.Column);
        Assert.Equal($"{Path.Combine(_folder, "app.yaml")}:{image.Line}", image.Location);
    }

    [Fact]
    public void Findings_from_piped_text_have_no_position()
    {
        var findings = DiagnosisFixtures.DiagnoseText(Change("image: rclone/rclone:1.68.2", "image: rclone/rclone:latest"));

        var image = Assert.Single(Problems(findings, "MS124"));
        Assert.Null(image.Line);
        Assert.Null(image.Location);
    }

    [Theory]
    [InlineData("image: rclone/rclone:1.68.2", "image: rclone/rclone:latest", "on :latest")]
    [InlineData("image: rclone/rclone:1.68.2", "image: rclone/rclone", "with no tag")]
    [InlineData("image: busybox:1.36.1", "image: docker.io/library/busybox", "with no tag")]
    [InlineData("image: lscr.io/linuxserver/sonarr:4.0.9", "image: localhost:5000/sonarr", "with no tag")]
    public void MS124_an_image_on_latest_or_without_a_tag(string from, string to, string said)
    {
        var app = Change(from, to);

        var finding = Assert.Single(Problems(RunApp(app), "MS124"));

        Assert.Equal(Severity.Warning, finding.Severity);
        Assert.Contains(said, finding.Message);
        Assert.Equal(LineOf(app, to), finding.Line);
        Assert.False(finding.Fixable);
    }

    [Theory]
    [InlineData("image: lscr.io/linuxserver/sonarr@sha256:0b9f4c5d1e2a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4")]
    [InlineData("image: lscr.io/linuxserver/sonarr:latest@sha256:0b9f4c5d1e2a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4")]
    [InlineData("image: localhost:5000/sonarr:4.0.9")]
    public void MS124_a_digest_or_a_version_tag_is_pinned(string image) =>
        Assert.Empty(Problems(RunApp(Change("image: lscr.io/linuxserver/sonarr:4.0.9", image)), "MS124"));

    [Theory]
    [InlineData("--vfs-cache-max-size=10G]", "]", "on the container's own disk")]
    [InlineData("--vfs-cache-mode=full, --vfs-cache-max-size=10G]", "--vfs-cache-mode, writes]", "on the container's own disk")]
    [InlineData("--vfs-cache-max-size=10G]", "--cache-dir=/cache]", "at /cache on the container's own disk")]
    public void MS123_a_file_cache_without_a_size_limit_on_the_containers_disk(string from, string to, string said)
    {
        var findings = RunApp(Change(from, to));

        var finding = Assert.Single(Problems(findings, "MS123"));
        Assert.Equal(Severity.Warning, finding.Severity);
        Assert.Contains(said, finding.Message);
        Assert.Equal("rclone-zurg", finding.Container);
    }

    [Fact]
    public void MS123_an_emptyDir_without_sizeLimit_bounds_nothing_one_with_it_does()
    {
        var unbounded = Change("- {name: media, persistentVolumeClaim: {claimName: media-library}}",
            "- {name: media, persistentVolumeClaim: {claimName: media-library}}\n        - {name: cache, emptyDir: {}}",
            Change("--vfs-cache-max-size=10G]", "--cache-dir=/cache]",
                Change("- {name: media, mountPath: /mnt/media, mountPropagation: Bidirectional}", "- {name: media, mountPath: /mnt/media, mountPropagation: Bidirectional}\n            - {name: cache, mountPath: /cache}")));

        Assert.Contains("volume 'cache', an emptyDir without sizeLimit", Assert.Single(Problems(RunApp(unbounded), "MS123")).Message);
        Assert.Empty(Problems(RunApp(unbounded.Replace("emptyDir: {}", "emptyDir: {sizeLimit: 12Gi}")), "MS123"));
    }

    [Theory]
    [InlineData("--vfs-cache-mode=full, --vfs-cache-max-size=10G]", "--vfs-cache-mode=minimal]")]
    [InlineData("--vfs-cache-mode=full, --vfs-cache-max-size=10G]", "]")]
    [InlineData("memory: 1Gi}", "memory: 1Gi, ephemeral-storage: 20Gi}")]
    public void MS123_no_file_cache_or_a_bounded_one_is_fine(string from, string to)
    {
        // An ephemeral-storage limit bounds a cache that has no size of its own.
        var app = to.Contains("ephemeral") ? Change(from, to, Change("--vfs-cache-max-size=10G]", "]")) : Change(from, to);
        Assert.Empty(Problems(RunApp(app), "MS123"));
    }

    [Fact]
    public void MS125_single_replica_rolling_update_with_config_on_a_claim()
    {
        var defaulted = Change("  strategy:\n    type: Recreate\n", "");
        var finding = Assert.Single(Problems(RunApp(defaulted), "MS125"));
        Assert.Equal(Severity.Warning, finding.Severity);
        Assert.Contains("default RollingUpdate", finding.Message);
        Assert.Contains("/config (subPath config/sonarr of volume 'config')", finding.Message);
        Assert.Equal(LineOf(defaulted, "spec:"), finding.Line);

        var explicitly = Change("type: Recreate", "type: RollingUpdate");
        Assert.Equal(LineOf(explicitly, "type: RollingUpdate"), Assert.Single(Problems(RunApp(explicitly), "MS125")).Line);
    }

    [Fact]
    public void MS125_names_the_claims_access_modes_when_the_files_hold_it()
    {
        var claim = """
            apiVersion: v1
            kind: PersistentVolumeClaim
            metadata: {name: media-config, namespace: media}
            spec: {accessModes: [ReadWriteMany]}
            """;
        var findings = Run(("app.yaml", Change("type: Recreate", "type: RollingUpdate")), ("rbac.yaml", Binding), ("claims.yaml", claim));

        Assert.Contains("claim media-config: ReadWriteMany (PersistentVolumeClaim/media-config", Assert.Single(Problems(findings, "MS125")).Evidence);
    }

    [Theory]
    [InlineData("replicas: 1", "replicas: 2")]
    [InlineData("{name: config, persistentVolumeClaim: {claimName: media-config}}", "{name: config, emptyDir: {}}")]
    [InlineData("mountPath: /config, subPath: config/sonarr", "mountPath: /data/settings")]
    public void MS125_not_for_several_replicas_a_config_off_the_claim_or_no_config(string from, string to) =>
        Assert.Empty(Problems(RunApp(Change("type: Recreate", "type: RollingUpdate", Change(from, to))), "MS125"));

    [Fact]
    public void MS126_runAsUser_0_on_the_pod_and_not_when_the_app_sets_its_own_user()
    {
        var root = Change("serviceAccountName: arr", "serviceAccountName: arr\n      securityContext: {runAsUser: 0}");
        var finding = Assert.Single(Problems(RunApp(root), "MS126"));
        Assert.Equal("The pod sets runAsUser: 0, so init-dirs, sonarr run as root.", finding.Message);
        Assert.Equal(LineOf(root, "securityContext: {runAsUser: 0}"), finding.Line);

        var ownUsers = Change("- name: sonarr", "- name: sonarr\n          securityContext: {runAsUser: 1000}",
            Change("- name: init-dirs", "- name: init-dirs\n          securityContext: {runAsUser: 1000}", root));
        Assert.Empty(Problems(RunApp(ownUsers), "MS126"));
        Assert.Empty(Problems(RunApp(root.Replace("runAsUser: 0", "runAsUser: 1000")), "MS126"));
    }

    [Fact]
    public void MS127_a_sidecar_without_a_preStop_unmount()
    {
        var app = Change("\n          lifecycle: {preStop: {exec: {command: [fusermount3, -uz, /mnt/media/zurg]}}}", "");
        var finding = Assert.Single(Problems(RunApp(app), "MS127"));
        Assert.Equal(("rclone-zurg", "zurg", Severity.Warning), (finding.Container, finding.Mount, finding.Severity));
        Assert.Contains("-Update PreStop", finding.Remedy);

        Assert.Single(Problems(RunApp(Change("[fusermount3, -uz, /mnt/media/zurg]", "[sh, -c, sleep 5]")), "MS127"));
        Assert.Empty(Problems(RunApp(Change("[fusermount3, -uz, /mnt/media/zurg]", "[umount, -l, /mnt/media/zurg]")), "MS127"));
    }

    [Theory]
    [InlineData("exec: {command: [test, -d, /mnt/media/zurg/__all__]}", "tcpSocket: {port: 8989}", true)]
    [InlineData("startupProbe:\n            exec: {command: [test, -d, /mnt/media/zurg/__all__]}", "readinessProbe:\n            httpGet: {path: /ping, port: 8989}", true)]
    [InlineData("exec: {command: [test, -d, /mnt/media/zurg/__all__]}", "exec: {command: [sh, -c, mountpoint -q /mnt/media/zurg]}", false)]
    [InlineData("startupProbe:", "readinessProbe:", false)]
    public void MS128_classic_sidecars_without_a_probe_on_the_mount(string from, string to, bool fires)
    {
        var findings = Problems(RunApp(Change(from, to)), "MS128");

        Assert.Equal(fires, findings.Length == 1);
        if (fires)
        {
            Assert.Equal(Severity.Info, findings[0].Severity);
            Assert.Contains("native sidecars", findings[0].Remedy);
        }
    }

    [Fact]
    public void MS128_native_sidecars_start_first()
    {
        var native = """
            kind: Deployment
            metadata: {name: sonarr, namespace: media}
            spec:
              template:
                spec:
                  serviceAccountName: arr
                  initContainers:
                    - name: rclone-zurg
                      image: rclone/rclone:1.68.2
                      restartPolicy: Always
                      args: [mount, "zurg:", /mnt/media/zurg]
                      securityContext: {privileged: true}
                      volumeMounts: [{name: media, mountPath: /mnt/media, mountPropagation: Bidirectional}]
                  containers:
                    - name: sonarr
                      image: lscr.io/linuxserver/sonarr:4.0.9
                      volumeMounts: [{name: media, mountPath: /mnt/media, mountPropagation: HostToContainer}]
                  volumes: [{name: media, persistentVolumeClaim: {claimName: media-library}}]
            """;
        Assert.Empty(Problems(RunApp(native), "MS128"));
    }

    [Fact]
    public void MS129_sidecars_on_an_app_that_never_mounts_what_they_serve()
    {
        var app = Change("\n            - {name: media, mountPath: /mnt/media, mountPropagation: HostToContainer}", "");
        var finding = Assert.Single(Problems(RunApp(app), "MS129"));
        Assert.Equal(("sonarr", Severity.Warning), (finding.Container, finding.Severity));
        Assert.Contains("Remove-RcloneSidecar", finding.Remedy);
        Assert.Empty(Problems(RunApp(GoodApp), "MS129"));
    }

    private const string Standalone = """
        kind: Deployment
        metadata: {name: rclone-zurg, namespace: media}
        spec:
          template:
            spec:
              serviceAccountName: arr
              containers:
                - name: rclone
                  image: rclone/rclone:1.68.2
                  args: [mount, "zurg:", /data/zurg, RC]
                  securityContext: {privileged: true}
                  volumeMounts: [{name: data, mountPath: /data, mountPropagation: Bidirectional}]
              volumes: [{name: data, persistentVolumeClaim: {claimName: media-library}}]
        """;

    [Theory]
    [InlineData("--rc, --rc-no-auth, --rc-addr=:5572", "--rc-no-auth")]
    [InlineData("--rc, --rc-addr, 0.0.0.0:5572", "no --rc-user or --rc-htpasswd")]
    [InlineData("--rc, --rc-user=admin, --rc-pass=x, --rc-no-auth, --rc-addr=:5572", "--rc-no-auth")]
    public void MS122_a_standalone_rclone_with_its_rc_open_to_the_cluster(string rc, string said)
    {
        var text = Standalone.Replace("RC", rc);
        var finding = Assert.Single(Problems(RunApp(text), "MS122"));

        Assert.Contains(said, finding.Message);
        Assert.Equal(LineOf(text, "args:"), finding.Line);
        Assert.DoesNotContain("--rc-pass=x", finding.Evidence + finding.Message);
    }

    [Theory]
    [InlineData("--rc, --rc-addr=:5572, --rc-htpasswd=/etc/htpasswd")]
    [InlineData("--rc, --rc-addr, :5572, --rc-user, admin, --rc-pass, x")]
    [InlineData("--rc")]
    [InlineData("--rc, --rc-no-auth, --rc-addr=127.0.0.1:5572")]
    [InlineData("--allow-other")]
    public void MS122_not_with_auth_on_loopback_or_without_rc(string rc) =>
        Assert.Empty(Problems(RunApp(Standalone.Replace("RC", rc)), "MS122"));

    [Fact]
    public void MS301_offline_a_privileged_workload_whose_account_nothing_in_the_files_binds()
    {
        var app = Change("serviceAccountName: arr", "serviceAccountName: discovery");
        var finding = Assert.Single(Problems(RunApp(app), "MS301"));

        Assert.Equal(Severity.Error, finding.Severity);
        Assert.Contains("'discovery'", finding.Message);
        Assert.Equal(LineOf(app, "serviceAccountName: discovery"), finding.Line);
        Assert.Contains("system:openshift:scc:privileged", finding.Remedy);
        // Repair-MediaMount grants on a cluster only; for a file the remedy names the RoleBinding to add.
        Assert.False(finding.Fixable);
        Assert.StartsWith("no automatic fix; manual step: Add a RoleBinding", Assert.Single(MediaStack.Core.Repair.RepairPlan.From([finding]).Skipped).Reason);
        Assert.Contains("-z discovery -n media", finding.Remedy);
        Assert.Empty(Problems(RunApp(app), "MS306"));
    }

    [Theory]
    // The binding above, as it is.
    [InlineData("")]
    // A ClusterRoleBinding, to the namespace's service accounts group.
    [InlineData("kind: ClusterRoleBinding\nmetadata: {name: media-privileged}\nroleRef: {kind: ClusterRole, name: system:openshift:scc:privileged}\nsubjects: [{kind: Group, name: 'system:serviceaccounts:media'}]")]
    // The SCC's own users list.
    [InlineData("kind: SecurityContextConstraints\napiVersion: security.openshift.io/v1\nmetadata: {name: privileged}\nallowPrivilegedContainer: true\nusers: ['system:serviceaccount:media:discovery']")]
    // A ClusterRole of the files that allows use of a custom privileged SCC, bound by a RoleBinding.
    [InlineData("kind: SecurityContextConstraints\nmetadata: {name: fuse}\nallowPrivilegedContainer: true\n---\nkind: ClusterRole\nmetadata: {name: use-fuse}\nrules: [{apiGroups: [security.openshift.io], resources: [securitycontextconstraints], resourceNames: [fuse], verbs: [use]}]\n---\nkind: RoleBinding\nmetadata: {name: fuse, namespace: media}\nroleRef: {kind: ClusterRole, name: use-fuse}\nsubjects: [{kind: ServiceAccount, name: discovery}]")]
    public void MS301_offline_passes_for_every_way_the_files_can_grant_it(string grant)
    {
        var binding = grant.Length == 0 ? Binding.Replace("name: arr", "name: discovery") : grant;
        var findings = Run(("app.yaml", Change("serviceAccountName: arr", "serviceAccountName: discovery")), ("rbac.yaml", binding));

        Assert.Empty(Problems(findings, "MS301"));
        Assert.Single(findings, f => f.RuleId == "MS301" && f.Severity == Severity.Pass);
    }

    [Theory]
    // Bound in another namespace.
    [InlineData("kind: RoleBinding\nmetadata: {name: x, namespace: other}\nroleRef: {kind: ClusterRole, name: system:openshift:scc:privileged}\nsubjects: [{kind: ServiceAccount, name: discovery}]")]
    // Bound to a role that is not privileged.
    [InlineData("kind: RoleBinding\nmetadata: {name: x, namespace: media}\nroleRef: {kind: ClusterRole, name: system:openshift:scc:anyuid}\nsubjects: [{kind: ServiceAccount, name: discovery}]")]
    // An SCC that does not allow privileged containers.
    [InlineData("kind: SecurityContextConstraints\nmetadata: {name: restricted-v2}\nallowPrivilegedContainer: false\nusers: ['system:serviceaccount:media:discovery']")]
    // A role of the files that allows use of another SCC only.
    [InlineData("kind: ClusterRole\nmetadata: {name: use-anyuid}\nrules: [{apiGroups: [security.openshift.io], resources: [securitycontextconstraints], resourceNames: [anyuid], verbs: [use]}]\n---\nkind: RoleBinding\nmetadata: {name: x, namespace: media}\nroleRef: {kind: ClusterRole, name: use-anyuid}\nsubjects: [{kind: ServiceAccount, name: discovery}]")]
    public void MS301_offline_fires_when_no_grant_reaches_the_account(string rbac)
    {
        var findings = Run(("app.yaml", Change("serviceAccountName: arr", "serviceAccountName: discovery")), ("rbac.yaml", rbac));

        Assert.Single(Problems(findings, "MS301"));
    }

    [Fact]
    public void MS306_files_without_RBAC_say_so_once_and_no_workload_is_judged()
    {
        var findings = Run(("a.yaml", GoodApp), ("b.yaml", GoodApp.Replace("name: sonarr", "name: radarr")));

        var notice = Assert.Single(findings, f => f.RuleId == "MS306");
        Assert.Equal(Severity.Info, notice.Severity);
        Assert.Contains("2 privileged workload(s)", notice.Message);
        Assert.Equal("service accounts of privileged workloads: media/arr", notice.Evidence);
        Assert.DoesNotContain(findings, f => f.RuleId == "MS301");
    }

    [Fact]
    public void MS306_not_when_nothing_needs_privilege()
    {
        var plain = """
            kind: Deployment
            metadata: {name: homepage}
            spec: {template: {spec: {containers: [{name: homepage, image: ghcr.io/gethomepage/homepage:v0.9.2}]}}}
            """;
        Assert.DoesNotContain(Run(("a.yaml", plain)), f => f.RuleId == "MS306");
    }

    private const string NoLimits = "resources: {limits: {cpu: \"1\", memory: 1Gi}}";

    private const string LimitRange = """
        apiVersion: v1
        kind: LimitRange
        metadata: {name: defaults, namespace: NS}
        spec:
          limits:
            - type: Container
              default: {cpu: "1", memory: 1Gi}
        """;

    [Fact]
    public void MS114_a_LimitRange_of_the_namespace_supplies_the_limits()
    {
        var app = Change(NoLimits, "resources: {}");
        Assert.Single(Problems(RunApp(app), "MS114"));

        var findings = Run(("app.yaml", app), ("rbac.yaml", Binding), ("limits.yaml", LimitRange.Replace("NS", "media")));

        Assert.Empty(Problems(findings, "MS114"));
        Assert.Contains("from LimitRange/defaults (", Assert.Single(findings, f => f.RuleId == "MS114").Evidence);
    }

    [Fact]
    public void MS114_a_LimitRange_of_another_namespace_or_type_does_not()
    {
        var app = Change(NoLimits, "resources: {}");
        Assert.Single(Problems(Run(("app.yaml", app), ("rbac.yaml", Binding), ("limits.yaml", LimitRange.Replace("NS", "other"))), "MS114"));
        Assert.Single(Problems(Run(("app.yaml", app), ("rbac.yaml", Binding), ("limits.yaml", LimitRange.Replace("NS", "media").Replace("type: Container", "type: Pod"))), "MS114"));
    }

    [Fact]
    public void MS114_a_ResourceQuota_on_limits_makes_a_missing_limit_an_admission_error()
    {
        var quota = """
            apiVersion: v1
            kind: ResourceQuota
            metadata: {name: media-quota, namespace: media}
            spec: {hard: {limits.cpu: "8", limits.memory: 16Gi}}
            """;
        var app = Change(NoLimits, "resources: {limits: {cpu: \"1\"}}");

        var finding = Assert.Single(Problems(Run(("app.yaml", app), ("rbac.yaml", Binding), ("quota.yaml", quota)), "MS114"));

        Assert.Equal(Severity.Error, finding.Severity);
        Assert.Contains("ResourceQuota/media-quota requires one: the pod is refused", finding.Message);
        Assert.Empty(Problems(Run(("app.yaml", app), ("rbac.yaml", Binding), ("quota.yaml", quota), ("limits.yaml", LimitRange.Replace("NS", "media"))), "MS114"));
    }
}
