namespace MediaStack.Core.Checks.Notify;

// The body an alert is sent as. Auto picks the preset from the webhook's host
// (discord.com, hooks.slack.com, ntfy.sh) and falls back to the generic JSON.
public enum NotifyFormat
{
    Auto,
    // {"event","outcome","exitCode","headline","changes",...}: for scripts, n8n, Home Assistant.
    Json,
    // ntfy: the text as body, Title, Priority and Tags headers.
    Ntfy,
    // Discord webhooks: {"username","content"} (content at most 2000 characters).
    Discord,
    // Slack and the webhooks that copy it (Mattermost, Rocket.Chat, Zulip's Slack endpoint): {"text"}.
    Slack,
}
