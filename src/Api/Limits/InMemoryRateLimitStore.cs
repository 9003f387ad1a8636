namespace EventChat.Api.Limits;

/// <summary>The embedded default's buckets, in this process only, which is the whole deployment there.</summary>
public sealed class InMemoryRateLimitStore(TimeProvider clock) : IRateLimitStore
{
    private readonly Dictionary<string, (TokenBucket Bucket, long ForgetAtMs)> _buckets = new(StringComparer.Ordinal);
    private long _nextSweepMs;

    public bool IsConnected => true;

    public Task<RateDecision> TakeAsync(string key, RateRule rule, CancellationToken cancellationToken)
    {
        var nowMs = clock.GetUtcNow().ToUnixTimeMilliseconds();
        lock (_buckets)
        {
            Sweep(nowMs);
            var bucket = _buckets.TryGetValue(key, out var held) && held.ForgetAtMs > nowMs
                ? held.Bucket
                : TokenBucket.Full(rule, nowMs);
            var (next, decision) = bucket.Take(rule, nowMs);
            _buckets[key] = (next, next.AtMs + (long)rule.Period.TotalMilliseconds);
            return Task.FromResult(decision);
        }
    }

    /// <summary>Drops buckets that have been full again for a while, as their Redis keys expire.</summary>
    private void Sweep(long nowMs)
    {
        if (nowMs < _nextSweepMs)
        {
            return;
        }

        _nextSweepMs = nowMs + 10_000;
        foreach (var (key, held) in _buckets)
        {
            if (held.ForgetAtMs <= nowMs)
            {
                _buckets.Remove(key);
            }
        }
    }
}
