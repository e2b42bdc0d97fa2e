using System.Collections.Concurrent;

namespace MediaStack.PowerShell.Completers;

// Live lookups for Tab completion: answered from a short-lived cache, and never allowed
// to block Tab for more than two seconds (a slow cluster simply completes nothing). A
// lookup that failed or ran out of time is remembered briefly too, so the next Tab answers
// at once instead of waiting again; a slow answer that arrives later still fills the cache.
internal static class CompletionCache
{
    public static readonly TimeSpan Budget = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan FailureLifetime = TimeSpan.FromSeconds(10);
    private static readonly ConcurrentDictionary<string, Entry> Entries = new();

    private sealed record Entry(DateTime Until, IReadOnlyList<string> Values);

    public static IReadOnlyList<string> Get(string key, Func<CancellationToken, Task<IReadOnlyList<string>>> fetch)
    {
        if (Entries.TryGetValue(key, out var entry) && DateTime.UtcNow < entry.Until)
        {
            return entry.Values;
        }
        var budget = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            var task = Task.Run(() => fetch(budget.Token), budget.Token);
            if (!task.Wait(Budget))
            {
                Remember(key, [], FailureLifetime);
                _ = task.ContinueWith(late =>
                {
                    if (late.IsCompletedSuccessfully)
                    {
                        Remember(key, late.Result, Lifetime);
                    }
                    budget.Dispose();
                }, TaskScheduler.Default);
                return [];
            }
            budget.Dispose();
            Remember(key, task.Result, Lifetime);
            return task.Result;
        }
        catch (Exception)
        {
            // Completion must never throw at the user.
            budget.Dispose();
            Remember(key, [], FailureLifetime);
            return [];
        }
    }

    private static void Remember(string key, IReadOnlyList<string> values, TimeSpan lifetime) =>
        Entries[key] = new Entry(DateTime.UtcNow + lifetime, values);
}
