using System.Collections.Concurrent;

namespace EventChat.Infrastructure.Redis;

public sealed class InMemoryRateCounter(TimeProvider clock) : IRateCounter
{
    private readonly ConcurrentDictionary<(string Key, long Window), Counted> _windows = new();
    private long _nextSweepTicks;

    public Task<long> CountAsync(
        string key, string eventId, DateTimeOffset at, TimeSpan window, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var counted = _windows.GetOrAdd((key, at.ToUnixTimeMilliseconds() / (long)window.TotalMilliseconds), _ => new());
        long count;
        lock (counted)
        {
            counted.Events.Add(eventId);
            counted.KeepUntil = now + window + window;
            count = counted.Events.Count;
        }

        Forget(now);
        return Task.FromResult(count);
    }

    /// <summary>Drops windows nobody has counted in for two window lengths, as the Redis keys expire.</summary>
    private void Forget(DateTimeOffset now)
    {
        var next = Interlocked.Read(ref _nextSweepTicks);
        if (now.UtcTicks < next
            || Interlocked.CompareExchange(ref _nextSweepTicks, now.UtcTicks + TimeSpan.TicksPerSecond, next) != next)
        {
            return;
        }

        foreach (var (key, counted) in _windows)
        {
            if (counted.KeepUntil < now)
            {
                _windows.TryRemove(key, out _);
            }
        }
    }

    private sealed class Counted
    {
        public HashSet<string> Events { get; } = [];

        public DateTimeOffset KeepUntil { get; set; }
    }
}
