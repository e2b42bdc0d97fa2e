using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Security.Authentication;
using k8s.Autorest;
using k8s.Models;
using MediaStack.Core.Cluster;
using MediaStack.Core.Errors;

namespace MediaStack.Core.Tests.Cluster;

public class ClusterErrorsTests
{
    private static HttpOperationException Http(HttpStatusCode code, string? message = null) => new($"status {(int)code}")
    {
        Response = new HttpResponseMessageWrapper(new HttpResponseMessage(code), ""),
        Body = message is null ? null : new V1Status { Message = message, Code = (int)code },
    };

    [Theory]
    [InlineData(HttpStatusCode.Unauthorized, ErrorIds.ClusterUnauthorized, ErrorCategory.AuthenticationError, true)]
    [InlineData(HttpStatusCode.Forbidden, ErrorIds.ClusterForbidden, ErrorCategory.PermissionDenied, false)]
    [InlineData(HttpStatusCode.NotFound, ErrorIds.ClusterObjectNotFound, ErrorCategory.ObjectNotFound, false)]
    [InlineData(HttpStatusCode.Conflict, ErrorIds.ClusterConflict, ErrorCategory.ResourceExists, false)]
    [InlineData(HttpStatusCode.InternalServerError, ErrorIds.ClusterRequestFailed, ErrorCategory.NotSpecified, false)]
    public void Http_statuses_map_to_ids_and_categories(HttpStatusCode code, string id, ErrorCategory category, bool terminating)
    {
        var error = ClusterErrors.Map(Http(code, "pods \"x\" is forbidden: User \"u\" cannot list"), "list pods", "x");

        Assert.Equal(id, error.ErrorId);
        Assert.Equal(category, error.Category);
        Assert.Equal("x", error.Target);
        Assert.Equal(terminating, ClusterErrors.IsTerminating(error));
        Assert.IsType<HttpOperationException>(error.InnerException);
    }

    [Fact]
    public void The_servers_message_is_kept()
    {
        var error = ClusterErrors.Map(Http(HttpStatusCode.Forbidden, "pods \"plex\" is forbidden: User \"viewer\" cannot create resource \"pods/exec\""), "exec into plex", "plex");

        Assert.Contains("cannot create resource \"pods/exec\"", error.Message);
    }

    [Fact]
    public void A_refused_connection_is_ClusterUnreachable_and_terminating()
    {
        var error = ClusterErrors.Map(new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused (127.0.0.1:1)", new SocketException((int)SocketError.ConnectionRefused)), "list pods", null, "https://127.0.0.1:1");

        Assert.Equal(ErrorIds.ClusterUnreachable, error.ErrorId);
        Assert.Equal(ErrorCategory.ConnectionError, error.Category);
        Assert.True(ClusterErrors.IsTerminating(error));
        Assert.Contains("https://127.0.0.1:1", error.Message);
    }

    [Fact]
    public void A_tls_failure_is_ClusterTlsError_with_a_clear_message()
    {
        var error = ClusterErrors.Map(new HttpRequestException(HttpRequestError.SecureConnectionError, "The SSL connection could not be established", new AuthenticationException("The remote certificate is invalid because of errors in the certificate chain: UntrustedRoot")), "list pods", null, "https://10.0.0.1:6443");

        Assert.Equal(ErrorIds.ClusterTlsError, error.ErrorId);
        Assert.Equal(ErrorCategory.ConnectionError, error.Category);
        Assert.Contains("UntrustedRoot", error.Message);
        Assert.Contains("certificate-authority", error.Message);
        Assert.True(ClusterErrors.IsTerminating(error));
    }

    [Fact]
    public void Exit_codes_come_from_the_status_channel()
    {
        Assert.Equal(0, PodExec.ExitCodeOf(new V1Status { Status = "Success" }));
        Assert.Equal(3, PodExec.ExitCodeOf(new V1Status
        {
            Status = "Failure",
            Reason = "NonZeroExitCode",
            Details = new V1StatusDetails { Causes = [new V1StatusCause { Reason = "ExitCode", Message = "3" }] },
        }));
        Assert.Null(PodExec.ExitCodeOf(new V1Status { Status = "Failure", Reason = "InternalError", Message = "container not found" }));
    }
}
