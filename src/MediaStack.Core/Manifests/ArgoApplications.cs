using System.Text.Json.Nodes;
using MediaStack.Core.Errors;

namespace MediaStack.Core.Manifests;

// The ArgoCD Application that syncs apps/<name>/base, pruning and self-healing.
public static class ArgoApplications
{
    public const string DefaultRevision = "main";
    public const string DefaultNamespace = "openshift-gitops";
    public const string DefaultProject = "default";
    public const string InClusterServer = "https://kubernetes.default.svc";

    public static string SourcePath(string appName) => $"apps/{appName}/base";

    // syncPolicy: the repository's own (learned from its Applications), else automated
    // prune and self-heal.
    public static JsonObject Build(MediaApp app, string repoUrl, string targetRevision, string argoNamespace, string project, JsonObject? syncPolicy = null)
    {
        if (!GitRepoUrl.IsValid(repoUrl))
        {
            throw new MediaStackException(
                ErrorIds.InvalidRepoUrl,
                ErrorCategory.InvalidArgument,
                string.IsNullOrWhiteSpace(repoUrl)
                    ? "An ArgoCD Application needs the Git repository URL."
                    : $"'{repoUrl}' is not a Git repository URL.",
                target: repoUrl,
                recommendedAction: "Pass -RepoUrl https://host/org/repo.git (or git@host:org/repo.git), or save RepoUrl with Set-MediaStackConfig.");
        }
        if (string.IsNullOrWhiteSpace(targetRevision) || targetRevision.Any(char.IsWhiteSpace))
        {
            throw new MediaStackException(
                ErrorIds.InvalidTargetRevision,
                ErrorCategory.InvalidArgument,
                $"'{targetRevision}' is not a Git revision (branch, tag or commit).",
                target: targetRevision,
                recommendedAction: "Pass -TargetRevision with a branch, tag or commit, like main or v1.2.0.");
        }
        return new JsonObject
        {
            ["apiVersion"] = "argoproj.io/v1alpha1",
            ["kind"] = "Application",
            ["metadata"] = new JsonObject
            {
                ["name"] = app.Name,
                ["namespace"] = argoNamespace,
            },
            ["spec"] = new JsonObject
            {
                ["project"] = project,
                ["source"] = new JsonObject
                {
                    ["repoURL"] = repoUrl,
                    ["path"] = SourcePath(app.Name),
                    ["targetRevision"] = targetRevision,
                },
                ["destination"] = new JsonObject
                {
                    ["server"] = InClusterServer,
                    ["namespace"] = app.Namespace,
                },
                ["syncPolicy"] = syncPolicy?.DeepClone() ?? new JsonObject
                {
                    ["automated"] = new JsonObject { ["prune"] = true, ["selfHeal"] = true },
                },
            },
        };
    }
}
