namespace MediaStack.Sandbox.Controllers;

// After a refused pod creation a controller waits a few seconds before it tries again (the
// real ones requeue with a rate limit), so a refusal gives an event now and then, not per pass.
public sealed class RetryGate
{
    static readonly TimeSpan Wait = TimeSpan.FromSeconds(5);

    readonly Dictionary<string, DateTimeOffset> _notBefore = new(StringComparer.Ordinal);

    public bool Open(string key) => !_notBefore.TryGetValue(key, out var when) || when <= DateTimeOffset.UtcNow;

    public void Failed(string key) => _notBefore[key] = DateTimeOffset.UtcNow + Wait;

    public void Succeeded(string key) => _notBefore.Remove(key);
}
