namespace MediaStack.Core.Errors;

// The stable error ids; scripts match on them, so never rename one.
public static class ErrorIds
{
    public const string InvalidAppName = nameof(InvalidAppName);
    public const string InvalidPort = nameof(InvalidPort);
    public const string UnknownZone = nameof(UnknownZone);
    public const string InvalidQuantity = nameof(InvalidQuantity);
    public const string RequestAboveLimit = nameof(RequestAboveLimit);
    public const string InvalidImageReference = nameof(InvalidImageReference);
    public const string InvalidReplicas = nameof(InvalidReplicas);
    public const string InvalidEnvironment = nameof(InvalidEnvironment);
    public const string InvalidNamespace = nameof(InvalidNamespace);
    public const string InvalidServiceAccount = nameof(InvalidServiceAccount);
    public const string InvalidRouteHost = nameof(InvalidRouteHost);
    public const string InvalidTimeZone = nameof(InvalidTimeZone);
    public const string InvalidTargetRevision = nameof(InvalidTargetRevision);
    public const string InvalidRepoUrl = nameof(InvalidRepoUrl);
    public const string AppFolderExists = nameof(AppFolderExists);
    public const string PathNotWritable = nameof(PathNotWritable);
    public const string ExportFailed = nameof(ExportFailed);
    public const string ConfigFileInvalid = nameof(ConfigFileInvalid);
    public const string ConfigInvalid = nameof(ConfigInvalid);
    public const string ConfigFileNotFound = nameof(ConfigFileNotFound);
    public const string ArgoApplicationExists = nameof(ArgoApplicationExists);
    public const string YamlSyntaxError = nameof(YamlSyntaxError);
    public const string KubeConfigNotFound = nameof(KubeConfigNotFound);
    public const string KubeConfigInvalid = nameof(KubeConfigInvalid);
    public const string KubeContextNotFound = nameof(KubeContextNotFound);
    public const string ClusterUnreachable = nameof(ClusterUnreachable);
    public const string ClusterTlsError = nameof(ClusterTlsError);
    public const string ClusterTimeout = nameof(ClusterTimeout);
    public const string ClusterUnauthorized = nameof(ClusterUnauthorized);
    public const string ClusterForbidden = nameof(ClusterForbidden);
    public const string ClusterObjectNotFound = nameof(ClusterObjectNotFound);
    public const string ClusterConflict = nameof(ClusterConflict);
    public const string ClusterRequestFailed = nameof(ClusterRequestFailed);
    public const string PodExecFailed = nameof(PodExecFailed);
    public const string InvalidThrottleLimit = nameof(InvalidThrottleLimit);
    public const string NoPodsMatched = nameof(NoPodsMatched);
    public const string AppContainerNotFound = nameof(AppContainerNotFound);
    public const string UnknownMount = nameof(UnknownMount);
    public const string NotADeployment = nameof(NotADeployment);
    public const string DeploymentNotFound = nameof(DeploymentNotFound);
    public const string NoDeploymentInFile = nameof(NoDeploymentInFile);
    public const string ManifestPathNotFound = nameof(ManifestPathNotFound);
    public const string ManagedByArgoCD = nameof(ManagedByArgoCD);
    public const string RolloutFailed = nameof(RolloutFailed);
    public const string RolloutTimedOut = nameof(RolloutTimedOut);
    public const string RcloneSecretMissing = nameof(RcloneSecretMissing);
    public const string PrivilegeMissing = nameof(PrivilegeMissing);
    public const string FileEncodingInvalid = nameof(FileEncodingInvalid);
    public const string FileInUse = nameof(FileInUse);
    public const string FileReadFailed = nameof(FileReadFailed);
    public const string FileAccessFailed = nameof(FileAccessFailed);
}
