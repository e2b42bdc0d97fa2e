namespace MediaStack.Core.Checks;

public enum CheckChangeKind
{
    // An app (or a Deployment without pods) was healthy, or not seen before, and is not now.
    Unhealthy,
    // An app that was unhealthy is healthy again.
    Recovered,
    // An app that was unhealthy is no longer checked (deleted, scaled to 0, or excluded).
    Gone,
    // The round could not see the cluster (unreachable, refused credentials, bad config).
    ClusterUnavailable,
    // The cluster answers again after ClusterUnavailable.
    ClusterAvailable,
}

// One difference between the last result and this one: what alerts are made of.
public sealed record CheckChange(CheckChangeKind Kind, string? Namespace, string? App, string? Before, string? After, string Reason)
{
    public bool IsProblem => Kind is CheckChangeKind.Unhealthy or CheckChangeKind.ClusterUnavailable;

    public string Subject => App is null ? "cluster" : $"{Namespace}/{App}";

    public override string ToString() => Kind switch
    {
        CheckChangeKind.Unhealthy => $"{Subject} is unhealthy ({After}): {Reason}",
        CheckChangeKind.Recovered => $"{Subject} is healthy again",
        CheckChangeKind.Gone => $"{Subject} is no longer checked (it was {Before})",
        CheckChangeKind.ClusterUnavailable => $"the check cannot see the cluster ({After}): {Reason}",
        _ => "the cluster answers again",
    };
}
