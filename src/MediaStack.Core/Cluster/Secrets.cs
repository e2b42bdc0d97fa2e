using System.Net;
using k8s;
using k8s.Autorest;

namespace MediaStack.Core.Cluster;

// Whether a secret exists: the one check the preflight and the diagnosis share.
public static class Secrets
{
    // true/false when known; null when the answer was neither found nor not found (403, say).
    // The secret's data comes back with it, as with kubectl get; it is never printed or kept.
    public static async Task<bool?> ExistsAsync(IKubernetes client, string @namespace, string name, CancellationToken ct)
    {
        try
        {
            await client.CoreV1.ReadNamespacedSecretAsync(name, @namespace, cancellationToken: ct).ConfigureAwait(false);
            return true;
        }
        catch (HttpOperationException error) when (error.Response?.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
        catch (HttpOperationException)
        {
            return null;
        }
    }
}
