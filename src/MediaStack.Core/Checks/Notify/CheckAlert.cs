using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace MediaStack.Core.Checks.Notify;

// One alert: the changes of a round rendered in the chosen preset. Only the summary's data
// goes in (apps, statuses, reasons, all redacted); never a token or the webhook URI.
public sealed class CheckAlert
{
    private const int DiscordLimit = 2000;

    public CheckAlert(CheckSummary summary, IReadOnlyList<CheckChange> changes)
    {
        Summary = summary;
        Changes = changes;
    }

    public CheckSummary Summary { get; }

    public IReadOnlyList<CheckChange> Changes { get; }

    // "problem" when anything got worse, else "recovery".
    public string Event => Changes.Any(change => change.IsProblem) ? "problem" : "recovery";

    public string Title => Event == "problem"
        ? $"MediaStack: {Summary.Outcome} ({Summary.Scope})"
        : $"MediaStack: recovered ({Summary.Scope})";

    // The text of the chat presets: a headline, then one line per change.
    public string Text
    {
        get
        {
            var text = new StringBuilder();
            text.Append(Event == "problem" ? "🔴 " : "🟢 ").Append(SecretText.Redact(Summary.Headline));
            foreach (var change in Changes)
            {
                text.Append("\n- ").Append(SecretText.Redact(change.ToString()));
            }
            if (Summary.Context is not null)
            {
                text.Append("\n(context ").Append(Summary.Context).Append(')');
            }
            return text.ToString();
        }
    }

    public static NotifyFormat Resolve(NotifyFormat format, Uri uri)
    {
        if (format != NotifyFormat.Auto)
        {
            return format;
        }
        var host = uri.Host.ToLowerInvariant();
        if (host is "discord.com" or "discordapp.com" or "canary.discord.com" or "ptb.discord.com")
        {
            return NotifyFormat.Discord;
        }
        if (host == "hooks.slack.com")
        {
            return NotifyFormat.Slack;
        }
        return host == "ntfy.sh" || host.StartsWith("ntfy.", StringComparison.Ordinal) ? NotifyFormat.Ntfy : NotifyFormat.Json;
    }

    public HttpContent Body(NotifyFormat format)
    {
        switch (format)
        {
            case NotifyFormat.Ntfy:
                var content = new StringContent(Text, new UTF8Encoding(false), "text/plain");
                content.Headers.Add("Title", Title);
                content.Headers.Add("Priority", Event == "problem" ? "high" : "default");
                content.Headers.Add("Tags", Event == "problem" ? "warning" : "white_check_mark");
                return content;
            case NotifyFormat.Discord:
                var message = Text.Length > DiscordLimit ? Text[..(DiscordLimit - 1)] + "…" : Text;
                return Json(new JsonObject { ["username"] = "MediaStack", ["content"] = message });
            case NotifyFormat.Slack:
                return Json(new JsonObject { ["text"] = Text });
            default:
                return Json(Generic());
        }
    }

    public JsonObject Generic()
    {
        var body = new JsonObject { ["source"] = "MediaStack", ["event"] = Event, ["title"] = Title };
        foreach (var (key, value) in Reports.CheckReport.Head(Summary))
        {
            body[key] = value?.DeepClone();
        }
        body["time"] = Summary.StartedAt.ToString("o", CultureInfo.InvariantCulture);
        body["changes"] = Reports.CheckReport.Changes(Changes);
        body["unhealthy"] = new JsonArray(Summary.Unhealthy.Select(pod => (JsonNode)new JsonObject
        {
            ["namespace"] = pod.Namespace,
            ["app"] = pod.App,
            ["name"] = pod.Name,
            ["status"] = pod.Status,
            ["reason"] = SecretText.Redact(pod.Reason),
        }).ToArray());
        return body;
    }

    private static StringContent Json(JsonObject body)
    {
        var content = new StringContent(body.ToJsonString(), new UTF8Encoding(false));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        return content;
    }
}
