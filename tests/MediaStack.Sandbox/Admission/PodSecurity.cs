using System.Text.Json.Nodes;
using MediaStack.Sandbox.Api;
using MediaStack.Sandbox.Json;
using MediaStack.Sandbox.Rbac;
using MediaStack.Sandbox.Store;

namespace MediaStack.Sandbox.Admission;

// Who may run privileged containers. OpenShift: SecurityContextConstraints (users/groups
// lists, or RBAC `use`), the admitted pod annotated with openshift.io/scc. Kubernetes:
// Pod Security Admission by the namespace's pod-security.kubernetes.io/enforce label.
public sealed class PodSecurity(ObjectStore store, RbacAuthorizer rbac)
{
    public const string SccAnnotation = "openshift.io/scc";

    sealed record Container(string Field, int Index, JsonObject Spec);

    static List<Container> Containers(JsonObject pod)
    {
        var list = new List<Container>();
        foreach (var field in new[] { "initContainers", "containers" })
        {
            var i = 0;
            foreach (var c in pod.Objects("spec", field)) list.Add(new(field, i++, c));
        }
        return list;
    }

    static string DisplayName(JsonObject pod) => pod.Name() is { Length: > 0 } n ? n : pod.Str("metadata", "generateName") ?? "";

    public void AdmitOpenShift(JsonObject pod, Identity requester)
    {
        var privileged = Containers(pod).Where(c => c.Spec.Bool("securityContext", "privileged") == true).ToList();
        var ns = pod.Namespace();
        var sa = Identity.ServiceAccount(ns, pod.Str("spec", "serviceAccountName") ?? "default");
        var problems = new List<string>();
        foreach (var scc in store.List(ResourceCatalog.Sccs, null).Items.OrderByDescending(s => s.Long("priority") ?? 0).ThenBy(Restrictiveness))
        {
            var name = scc.Name();
            if (!Usable(scc, requester, ns) && !Usable(scc, sa, ns))
            {
                problems.Add($"provider \"{name}\": Forbidden: not usable by user or serviceaccount");
                continue;
            }
            var volumes = ForbiddenVolumes(pod, scc);
            if (volumes.Count > 0) problems.Add($"provider {name}: " + string.Join(", ", volumes));
            if (privileged.Count > 0 && scc.Bool("allowPrivilegedContainer") != true)
                problems.Add($"provider {name}: " + string.Join(", ", privileged.Select(c =>
                    $".{c.Field}[{c.Index}].privileged: Invalid value: true: Privileged containers are not allowed")));
            if (volumes.Count > 0 || (privileged.Count > 0 && scc.Bool("allowPrivilegedContainer") != true)) continue;
            pod.Ensure("metadata", "annotations")[SccAnnotation] = name;
            return;
        }
        throw ApiException.Forbidden("", "pods", DisplayName(pod),
            $"pods \"{DisplayName(pod)}\" is forbidden: unable to validate against any security context constraint: [{string.Join(", ", problems)}]");
    }

    // The volume types an SCC's `volumes` list does not allow ("*" allows all), as the SCC
    // admission words them.
    static List<string> ForbiddenVolumes(JsonObject pod, JsonObject scc)
    {
        var allowed = scc.Arr("volumes")?.Select(v => v?.ToString()).ToHashSet() ?? [];
        var problems = new List<string>();
        if (allowed.Contains("*")) return problems;
        var i = 0;
        foreach (var volume in pod.Objects("spec", "volumes"))
        {
            if (VolumeType(volume) is { } type && !allowed.Contains(type))
                problems.Add($"spec.volumes[{i}]: Invalid value: \"{type}\": {type} volumes are not allowed to be used");
            i++;
        }
        return problems;
    }

    // The volume source a volume uses: the one key besides its name.
    static string? VolumeType(JsonObject volume) => volume.Select(p => p.Key).FirstOrDefault(k => k != "name");

    // Fewer powers first, so an unprivileged pod lands on restricted-v2 as on a real cluster.
    static int Restrictiveness(JsonObject scc) =>
        (scc.Bool("allowPrivilegedContainer") == true ? 2 : 0) + (scc.Str("runAsUser", "type") == "RunAsAny" ? 1 : 0);

    bool Usable(JsonObject scc, Identity who, string ns)
    {
        var users = scc.Arr("users")?.Select(u => u?.ToString()).ToList() ?? [];
        var groups = scc.Arr("groups")?.Select(g => g?.ToString()).ToList() ?? [];
        if (users.Contains(who.User) || who.Groups.Any(g => groups.Contains(g))) return true;
        return rbac.Authorize(who, new AccessRequest("use", "security.openshift.io", "securitycontextconstraints", "", ns, scc.Name())).Allowed;
    }

    public void AdmitPodSecurityStandard(JsonObject pod)
    {
        if (Violation(pod.Obj("spec"), pod.Namespace()) is { } violation)
            throw ApiException.Forbidden("", "pods", DisplayName(pod), $"pods \"{DisplayName(pod)}\" is forbidden: violates {violation}");
    }

    // What PSA would say of a workload's pod template ("would violate ..."), as the
    // Warning header kube-apiserver adds when a Deployment or ReplicaSet is written.
    public string? TemplateWarning(JsonObject workload) =>
        Violation(workload.Obj("spec", "template", "spec"), workload.Namespace()) is { } v ? $"would violate {v}" : null;

    // `PodSecurity "level:version": check (detail), ...` for a pod spec, or null.
    string? Violation(JsonObject? spec, string ns)
    {
        var pod = new JsonObject { ["spec"] = spec?.DeepClone() };
        var nsObject = store.Get(ResourceCatalog.Namespaces, null, ns);
        var level = nsObject?.StringMap("metadata", "labels").GetValueOrDefault("pod-security.kubernetes.io/enforce") ?? "privileged";
        if (level == "privileged") return null;
        var version = nsObject?.StringMap("metadata", "labels").GetValueOrDefault("pod-security.kubernetes.io/enforce-version") ?? "latest";
        var containers = Containers(pod);
        var violations = new List<string>();
        var hostPaths = pod.Objects("spec", "volumes").Where(v => v.Obj("hostPath") is not null).Select(v => v.Str("name") ?? "").ToList();
        if (hostPaths.Count > 0)
            violations.Add($"hostPath volumes ({(hostPaths.Count == 1 ? "volume" : "volumes")} {string.Join(", ", hostPaths.Select(n => $"\"{n}\""))})");
        var privileged = containers.Where(c => c.Spec.Bool("securityContext", "privileged") == true).Select(c => c.Spec.Str("name") ?? "").ToList();
        if (privileged.Count > 0)
            violations.Add($"privileged ({Plural(privileged)} must not set securityContext.privileged=true)");
        if (level == "restricted")
        {
            var escalation = containers.Where(c => c.Spec.Bool("securityContext", "allowPrivilegeEscalation") != false).Select(c => c.Spec.Str("name") ?? "").ToList();
            if (escalation.Count > 0)
                violations.Add($"allowPrivilegeEscalation != false ({Plural(escalation)} must set securityContext.allowPrivilegeEscalation=false)");
            var caps = containers.Where(c => !(c.Spec.Arr("securityContext", "capabilities", "drop")?.Any(d => d?.ToString() == "ALL") ?? false)).Select(c => c.Spec.Str("name") ?? "").ToList();
            if (caps.Count > 0)
                violations.Add($"unrestricted capabilities ({Plural(caps)} must set securityContext.capabilities.drop=[\"ALL\"])");
            var podNonRoot = pod.Bool("spec", "securityContext", "runAsNonRoot") == true;
            var root = containers.Where(c => !podNonRoot && c.Spec.Bool("securityContext", "runAsNonRoot") != true).Select(c => c.Spec.Str("name") ?? "").ToList();
            if (root.Count > 0)
                violations.Add($"runAsNonRoot != true (pod or {Plural(root)} must set securityContext.runAsNonRoot=true)");
            var podSeccomp = pod.Str("spec", "securityContext", "seccompProfile", "type") is "RuntimeDefault" or "Localhost";
            var seccomp = containers.Where(c => !podSeccomp && c.Spec.Str("securityContext", "seccompProfile", "type") is not ("RuntimeDefault" or "Localhost")).Select(c => c.Spec.Str("name") ?? "").ToList();
            if (seccomp.Count > 0)
                violations.Add($"seccompProfile (pod or {Plural(seccomp)} must set securityContext.seccompProfile.type to \"RuntimeDefault\" or \"Localhost\")");
        }
        return violations.Count == 0 ? null : $"PodSecurity \"{level}:{version}\": {string.Join(", ", violations)}";
    }

    static string Plural(List<string> names) =>
        names.Count == 1 ? $"container \"{names[0]}\"" : $"containers {string.Join(", ", names.Select(n => $"\"{n}\""))}";
}
