using System.Net.Http;
using MediaStack.Core.Errors;

namespace MediaStack.Core.Checks.Notify;

// POSTs an alert when something changed. A failed POST is reported to the caller as a
// warning, never as a failed check; its text names the webhook only by scheme and host.
public sealed class CheckNotifier(Uri uri, NotifyFormat format = NotifyFormat.Auto, TimeSpan? timeout = null)
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);

    public Uri Uri { get; } = Validate(uri);

    public NotifyFormat Format { get; } = CheckAlert.Resolve(format, uri);

    public string Display => $"{SecretText.MaskUri(Uri)} ({Format})";

    public static Uri Validate(Uri uri)
    {
        if (!uri.IsAbsoluteUri || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            throw new MediaStackException(ErrorIds.InvalidNotifyUri, ErrorCategory.InvalidArgument,
                "-NotifyUri must be an absolute http or https URL.", SecretText.Mask,
                "Pass the webhook URL, e.g. https://ntfy.sh/<topic> or a Discord/Slack webhook URL.");
        }
        return uri;
    }

    // Sends the alert; returns null when it was delivered, else why not (for a warning).
    public async Task<string?> SendAsync(CheckAlert alert, CancellationToken ct)
    {
        using var handler = new SocketsHttpHandler { AllowAutoRedirect = false, UseProxy = true };
        using var http = new HttpClient(handler) { Timeout = timeout ?? DefaultTimeout };
        http.DefaultRequestHeaders.UserAgent.ParseAdd("MediaStack-Check/1");
        try
        {
            using var body = alert.Body(Format);
            using var response = await http.PostAsync(Uri, body, ct).ConfigureAwait(false);
            return response.IsSuccessStatusCode
                ? null
                : $"The alert to {Display} was refused: HTTP {(int)response.StatusCode} {response.ReasonPhrase}.";
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            return $"The alert to {Display} could not be sent: {SecretText.Redact(Innermost(exception).Message)}";
        }
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
