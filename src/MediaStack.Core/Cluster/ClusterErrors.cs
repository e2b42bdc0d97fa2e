using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Security.Authentication;
using System.Text.Json;
using k8s;
using k8s.Autorest;
using k8s.Models;
using MediaStack.Core.Errors;

namespace MediaStack.Core.Cluster;

// Turns what the client throws (HTTP status, TLS, socket, timeout) into a MediaStackException
// with a stable id and category. Terminating ones (401, unreachable, TLS) are flagged so the
// cmdlet can stop at once instead of repeating the same failure for every object.
public static partial class ClusterErrors
{
    // The request was about `target` (a pod, a deployment, a namespace) at `server`.
    public static MediaStackException Map(Exception exception, string action, object? target, string? server = null)
    {
        if (exception is MediaStackException known)
        {
            return known;
        }
        var status = StatusCodeOf(exception);
        if (status is not null)
        {
            return FromStatus(status.Value, StatusMessageOf(exception), exception, action, target);
        }
        if (FindInner<AuthenticationException>(exception) is { } tls)
        {
            return new MediaStackException(
                ErrorIds.ClusterTlsError,
                ErrorCategory.ConnectionError,
                $"The TLS connection to {server ?? "the API server"} failed while trying to {action}: {tls.Message} " +
                "The server certificate is not trusted by the kubeconfig's certificate-authority data, or its name does not match the server address.",
                target,
                "Check certificate-authority-data of the cluster in the kubeconfig (or log in again to refresh it).",
                exception);
        }
        if (IsUnreachable(exception))
        {
            return new MediaStackException(
                ErrorIds.ClusterUnreachable,
                ErrorCategory.ConnectionError,
                $"The API server {server ?? ""} cannot be reached while trying to {action}: {KubeConfigSource.FirstLine(Innermost(exception).Message)}",
                target,
                "Check the server address in the kubeconfig, the VPN or network, and that the cluster is up.",
                exception);
        }
        if (exception is TimeoutException || exception is TaskCanceledException { InnerException: TimeoutException })
        {
            return new MediaStackException(
                ErrorIds.ClusterTimeout,
                ErrorCategory.OperationTimeout,
                $"The API server did not answer in time while trying to {action}.",
                target,
                null,
                exception);
        }
        return new MediaStackException(
            ErrorIds.ClusterRequestFailed,
            ErrorCategory.NotSpecified,
            $"Could not {action}: {KubeConfigSource.FirstLine(exception.Message)}",
            target,
            null,
            exception);
    }

    // 401, TLS and unreachable mean nothing else will work either.
    public static bool IsTerminating(MediaStackException exception) =>
        exception.ErrorId is ErrorIds.ClusterUnauthorized or ErrorIds.ClusterTlsError or ErrorIds.ClusterUnreachable
            or ErrorIds.KubeConfigInvalid or ErrorIds.KubeConfigNotFound or ErrorIds.KubeContextNotFound;

    public static MediaStackException FromStatus(HttpStatusCode code, string? serverMessage, Exception? inner, string action, object? target)
    {
        var detail = string.IsNullOrWhiteSpace(serverMessage) ? $"HTTP {(int)code} {code}" : serverMessage!;
        return code switch
        {
            HttpStatusCode.Unauthorized => new MediaStackException(
                ErrorIds.ClusterUnauthorized, ErrorCategory.AuthenticationError,
                $"The API server rejected the credentials (401 Unauthorized) while trying to {action}.",
                target, "Log in again ('oc login' / refresh the token in the kubeconfig).", inner),
            HttpStatusCode.Forbidden => new MediaStackException(
                ErrorIds.ClusterForbidden, ErrorCategory.PermissionDenied,
                $"Permission denied (403) to {action}: {detail}",
                target, "Ask for a Role that allows this verb on this resource in the namespace.", inner),
            HttpStatusCode.NotFound => new MediaStackException(
                ErrorIds.ClusterObjectNotFound, ErrorCategory.ObjectNotFound,
                $"Not found (404) while trying to {action}: {detail}",
                target, null, inner),
            HttpStatusCode.Conflict => new MediaStackException(
                ErrorIds.ClusterConflict, ErrorCategory.ResourceExists,
                $"Conflict (409) while trying to {action}: {detail}",
                target, "Read the object again and retry.", inner),
            _ => new MediaStackException(
                ErrorIds.ClusterRequestFailed, ErrorCategory.NotSpecified,
                $"The API server answered {(int)code} while trying to {action}: {detail}",
                target, null, inner),
        };
    }

    private static HttpStatusCode? StatusCodeOf(Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            switch (current)
            {
                case HttpOperationException { Response: not null } http:
                    return http.Response.StatusCode;
                case KubernetesException { Status.Code: { } code }:
                    return (HttpStatusCode)code;
                case HttpRequestException { StatusCode: { } code }:
                    return code;
                // A refused exec upgrade: .NET reports the status only in its message.
                case WebSocketException { WebSocketErrorCode: WebSocketError.NotAWebSocket } socket
                    when UpgradeStatus().Match(socket.Message) is { Success: true } match:
                    return (HttpStatusCode)int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            }
        }
        return null;
    }

    private static string? StatusMessageOf(Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            switch (current)
            {
                case HttpOperationException { Body: V1Status status }:
                    return status.Message;
                case HttpOperationException { Response.Content: { Length: > 0 } content }:
                    return MessageFromJson(content);
                case KubernetesException { Status.Message: { } message }:
                    return message;
            }
        }
        return null;
    }

    private static string? MessageFromJson(string content)
    {
        try
        {
            return KubernetesJson.Deserialize<V1Status>(content)?.Message;
        }
        catch (JsonException)
        {
            return KubeConfigSource.FirstLine(content);
        }
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"status code '(\d{3})'")]
    private static partial System.Text.RegularExpressions.Regex UpgradeStatus();

    private static bool IsUnreachable(Exception exception) =>
        FindInner<SocketException>(exception) is not null
        || FindInner<HttpRequestException>(exception) is { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError or HttpRequestError.ProxyTunnelError }
        || FindInner<WebSocketException>(exception) is { WebSocketErrorCode: WebSocketError.Faulted } && FindInner<HttpRequestException>(exception) is not null;

    private static T? FindInner<T>(Exception exception)
        where T : Exception
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is T match)
            {
                return match;
            }
        }
        return null;
    }

    private static Exception Innermost(Exception exception)
    {
        while (exception.InnerException is not null)
        {
            exception = exception.InnerException;
        }
        return exception;
    }
}
