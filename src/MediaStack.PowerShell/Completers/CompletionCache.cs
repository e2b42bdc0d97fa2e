using System.Collections.Concurrent;

namespace MediaStack.PowerShell.Completers;

// Live lookups for Tab completion: answered from a short-lived cache, and never allowed
// to block Tab for more than two seconds (a slow cluster simply completes nothing).
internal static class CompletionCache
{
    public static readonly TimeSpan Budget = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(30);
    private static readonly ConcurrentDictionary<string, (DateTime At, IReadOnlyList<string> Values)> Entries = new();

    public static IReadOnlyList<string> Get(string key, Func<CancellationToken, Task<IReadOnlyList<string>>> fetch)
    {
        if (Entries.TryGetValue(key, out var entry) && DateTime.UtcNow - entry.At < Lifetime)
        {
            return entry.Values;
        }
        using var budget = new CancellationTokenSource(Budget);
        try
        {
            var task = Task.Run(() => fetch(budget.Token), budget.Token);
            if (!task.Wait(Budget))
            {
                return [];
            }
            Entries[key] = (DateTime.UtcNow, task.Result);
            return task.Result;
        }
        catch (Exception)
        {
            // Completion must never throw at the user.
            return [];
        }
    }
}
