using System.Net;
using System.Net.Http;

namespace MediaStack.Core.Cluster;

// Retries what kubectl (client-go) would retry, within a small budget, so one throttled or
// failed answer of a busy API server does not fail a whole run:
//   429 Too Many Requests, any verb (the server did not act on it): up to 5 more tries,
//       each after the answer's Retry-After (1 s when it gives none).
//   500, 502, 503, 504 on GET and HEAD (reads, safe to repeat): up to 3 more tries, after
//       Retry-After when given, else after 0.25 s, 0.5 s, 1 s.
// No single wait is longer than 10 s and no request waits more than 30 s in all; when the
// budget is spent, the last answer is returned as it came (and mapped to an error as usual).
// Connection failures are not retried: an unreachable server fails at once.
public sealed class RetryHandler : DelegatingHandler
{
    public const int MaxThrottledRetries = 5;
    public const int MaxServerErrorRetries = 3;
    public static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan MaxTotalWait = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan[] ServerErrorBackoff = [TimeSpan.FromMilliseconds(250), TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(1)];

    private readonly Func<TimeSpan, CancellationToken, Task> _delay;

    public RetryHandler()
        : this(Task.Delay)
    {
    }

    // Tests pass a delay that records the waits instead of sleeping.
    internal RetryHandler(Func<TimeSpan, CancellationToken, Task> delay, HttpMessageHandler? inner = null)
    {
        _delay = delay;
        if (inner is not null)
        {
            InnerHandler = inner;
        }
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var throttled = 0;
        var failed = 0;
        var waited = TimeSpan.Zero;
        while (true)
        {
            var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            var wait = WaitBeforeRetry(request, response, ref throttled, ref failed);
            if (wait is null || waited + wait.Value > MaxTotalWait)
            {
                return response;
            }
            response.Dispose();
            waited += wait.Value;
            await _delay(wait.Value, cancellationToken).ConfigureAwait(false);
        }
    }

    // How long to wait before the next try, or null when this answer is final.
    private static TimeSpan? WaitBeforeRetry(HttpRequestMessage request, HttpResponseMessage response, ref int throttled, ref int failed)
    {
        var retryAfter = RetryAfter(response);
        if (response.StatusCode == HttpStatusCode.TooManyRequests)
        {
            return ++throttled <= MaxThrottledRetries ? Cap(retryAfter ?? TimeSpan.FromSeconds(1)) : null;
        }
        var serverError = response.StatusCode is HttpStatusCode.InternalServerError or HttpStatusCode.BadGateway
            or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout;
        if (serverError && (request.Method == HttpMethod.Get || request.Method == HttpMethod.Head) && failed < MaxServerErrorRetries)
        {
            return Cap(retryAfter ?? ServerErrorBackoff[failed++]);
        }
        return null;
    }

    private static TimeSpan? RetryAfter(HttpResponseMessage response) => response.Headers.RetryAfter switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date - DateTimeOffset.UtcNow,
        _ => null,
    };

    private static TimeSpan Cap(TimeSpan wait) => wait < TimeSpan.Zero ? TimeSpan.Zero : wait > MaxWait ? MaxWait : wait;
}
