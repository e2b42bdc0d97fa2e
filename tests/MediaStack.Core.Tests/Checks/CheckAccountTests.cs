using k8s.KubeConfigModels;
using MediaStack.Core.Checks.Access;

namespace MediaStack.Core.Tests.Checks;

// The account's Role is the check's permission list, nothing more.
public sealed class CheckAccountTests
{
    [Fact]
    public void The_read_only_role_reads_and_execs_and_never_sees_secrets()
    {
        var lines = CheckAccount.RuleLines(new CheckAccountSpec("mediastack-check", "media-stack", false, false));

        Assert.Equal(
        [
            "list events",
            "list pods",
            "create pods/exec",
            "get pods/log",
            "get,list daemonsets.apps",
            "get,list deployments.apps",
            "get replicasets.apps",
            "get,list statefulsets.apps",
        ], lines);
    }

    [Fact]
    public void Repair_adds_patch_delete_and_listing_secrets_and_all_namespaces_a_cluster_role()
    {
        var repair = CheckAccount.RuleLines(new CheckAccountSpec("c", "media-stack", false, true));
        Assert.Contains("delete,get,list pods", repair);
        Assert.Contains("get,list,patch deployments.apps", repair);
        Assert.Contains("get,list,patch statefulsets.apps", repair);
        Assert.Contains("get,list,patch daemonsets.apps", repair);
        Assert.Contains("list secrets", repair);
        Assert.Contains("get,list replicasets.apps", repair);

        var spec = new CheckAccountSpec("c", "media-stack", true, false);
        var objects = CheckAccount.Objects(spec);
        Assert.Equal(["ServiceAccount", "ClusterRole", "ClusterRoleBinding"], objects.Select(o => (string)o["kind"]!));
        Assert.Null(objects[1]["metadata"]!["namespace"]);
        Assert.Equal("media-stack", (string?)objects[2]["subjects"]![0]!["namespace"]);
        Assert.Contains("get securitycontextconstraints.security.openshift.io privileged", CheckAccount.RuleLines(spec));
        Assert.DoesNotContain(CheckAccount.RuleLines(spec), line => line.Contains("secrets"));
        var yaml = CheckAccount.Yaml(spec);
        Assert.Contains("kind: ClusterRoleBinding\n", yaml);
        Assert.Contains("- create\n", yaml);
    }

    [Fact]
    public void Every_permission_the_round_checks_is_granted_by_the_role()
    {
        foreach (var (repair, all) in new[] { (false, false), (true, false), (false, true), (true, true) })
        {
            var lines = CheckAccount.RuleLines(new CheckAccountSpec("c", "ns", all, repair));
            foreach (var permission in CheckPermissions.For(repair, all).Where(p => p.Required))
            {
                Assert.Contains(lines, line => line.Split(' ')[0].Split(',').Contains(permission.Verb)
                    && line.Split(' ')[1] == permission.ResourceText + (permission.Group.Length > 0 ? "." + permission.Group : ""));
            }
        }
    }

    [Fact]
    public void The_kubeconfig_carries_the_cluster_entry_the_token_and_the_namespace()
    {
        var folder = Directory.CreateTempSubdirectory("mediastack-account-").FullName;
        try
        {
            var ca = Path.Combine(folder, "ca.crt");
            File.WriteAllText(ca, "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n");
            var source = new K8SConfiguration
            {
                CurrentContext = "admin",
                Clusters = [new k8s.KubeConfigModels.Cluster { Name = "lab", ClusterEndpoint = new ClusterEndpoint { Server = "https://api.lab.example:6443", CertificateAuthority = ca } }],
                Contexts = [new Context { Name = "admin", ContextDetails = new ContextDetails { Cluster = "lab", User = "admin", Namespace = "default" } }],
                Users = [new User { Name = "admin", UserCredentials = new UserCredentials { Token = "admin-token" } }],
            };
            var text = CheckAccount.KubeConfig(source, "admin", new CheckAccountSpec("mediastack-check", "media-stack", false, false), "sa-token");

            Assert.Contains("server: https://api.lab.example:6443\n", text);
            Assert.Contains($"certificate-authority-data: {Convert.ToBase64String(File.ReadAllBytes(ca))}\n", text);
            Assert.Contains("token: sa-token\n", text);
            Assert.Contains("namespace: media-stack\n", text);
            Assert.Contains("current-context: mediastack-check@admin\n", text);
            Assert.DoesNotContain("admin-token", text);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
