using System.Collections.Concurrent;

namespace EventChat.Infrastructure.Redis;

public sealed class InMemoryRateCounter(TimeProvider clock) : IRateCounter
{
    private readonly ConcurrentDictionary<string, (long Window, long Count)> _counts = new();

    public Task<long> IncrementAsync(string key, TimeSpan window, CancellationToken cancellationToken)
    {
        var windowIndex = clock.GetUtcNow().ToUnixTimeMilliseconds() / (long)window.TotalMilliseconds;
        var entry = _counts.AddOrUpdate(
            key,
            _ => (windowIndex, 1),
            (_, old) => old.Window == windowIndex ? (windowIndex, old.Count + 1) : (windowIndex, 1));
        return Task.FromResult(entry.Count);
    }
}
