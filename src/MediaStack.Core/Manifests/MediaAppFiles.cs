namespace MediaStack.Core.Manifests;

// The layout of one app in a GitOps repository: apps/<name>/base/ with one file per object
// (the layout SKILL.md promised; the seed script wrote a single file).
public static class MediaAppFiles
{
    public const string Deployment = "deployment.yaml";
    public const string Service = "service.yaml";
    public const string Route = "route.yaml";
    public const string Kustomization = "kustomization.yaml";
    public const string Readme = "README.md";
    public const string AppsFolder = "apps";
    public const string BaseFolder = "base";
    public const string ArgoFolder = "argocd-apps";

    public static IReadOnlyList<string> Manifests { get; } = [Deployment, Service, Route];

    // The app name becomes apps/<name>/ and argocd-apps/<name>.yaml. Windows cannot create
    // files or folders named after its devices, with or without an extension, so a repo
    // holding one could not be checked out there.
    public static bool IsReservedOnWindows(string name) =>
        name.ToLowerInvariant() is "con" or "prn" or "aux" or "nul"
        || (name.Length == 4 && (name.StartsWith("com", StringComparison.OrdinalIgnoreCase) || name.StartsWith("lpt", StringComparison.OrdinalIgnoreCase)) && char.IsAsciiDigit(name[3]));
}
