using MediaStack.Core.Errors;

namespace MediaStack.Core.Checks;

// How an unattended round ended, from best to worst for a wrapper to act on.
public enum CheckOutcome
{
    // Every checked pod healthy, no Deployment without its pods.
    Healthy,
    // At least one pod or Deployment is not healthy.
    Unhealthy,
    // The API server could not be reached (network, TLS, timeout, server errors).
    Unreachable,
    // The credentials were refused (401) or lack a permission the check needs (403).
    Unauthorized,
    // Bad arguments or configuration: kubeconfig, context, stack config, mount names.
    InvalidConfiguration,
}

// The documented exit codes: 0 healthy, 1 unhealthy, 2 cluster unreachable or unauthorised,
// 3 bad arguments or config (also when the check could not run at all).
public static class CheckExitCode
{
    public const int Healthy = 0;
    public const int Unhealthy = 1;
    public const int ClusterUnavailable = 2;
    public const int InvalidConfiguration = 3;

    public static int For(CheckOutcome outcome) => outcome switch
    {
        CheckOutcome.Healthy => Healthy,
        CheckOutcome.Unhealthy => Unhealthy,
        CheckOutcome.Unreachable or CheckOutcome.Unauthorized => ClusterUnavailable,
        _ => InvalidConfiguration,
    };

    // The outcome of a failure that stopped the round before it could judge the pods.
    public static CheckOutcome OutcomeOf(MediaStackException error) => error.ErrorId switch
    {
        ErrorIds.ClusterUnauthorized or ErrorIds.ClusterForbidden or ErrorIds.CheckPermissionMissing => CheckOutcome.Unauthorized,
        ErrorIds.KubeConfigNotFound or ErrorIds.KubeConfigInvalid or ErrorIds.KubeContextNotFound
            or ErrorIds.UnknownMount or ErrorIds.ConfigFileInvalid or ErrorIds.ConfigFileNotFound or ErrorIds.ConfigInvalid
            or ErrorIds.InvalidThrottleLimit or ErrorIds.InvalidNamespace or ErrorIds.InvalidNotifyUri or ErrorIds.StateFileInvalid
            => CheckOutcome.InvalidConfiguration,
        _ => CheckOutcome.Unreachable,
    };
}
