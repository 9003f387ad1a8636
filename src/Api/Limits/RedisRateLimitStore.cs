using EventChat.Infrastructure.Redis;
using StackExchange.Redis;

namespace EventChat.Api.Limits;

/// <summary>
/// Buckets in Redis, one hash per key under <c>&lt;prefix&gt;:limit:</c>, taken by one script so that edges racing
/// for the last permit cannot both get it. The script reads Redis's own clock, so edges whose clocks differ agree.
/// A bucket's key expires once it would be full again.
/// </summary>
public sealed class RedisRateLimitStore(IConnectionMultiplexer redis, RedisOptions options) : IRateLimitStore
{
    // KEYS: the bucket. ARGV: permits, period in ms. Returns 0 when a permit was taken, else the ms to wait.
    private const string TakeScript = """
        local time = redis.call('TIME')
        local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
        local permits = tonumber(ARGV[1])
        local period = tonumber(ARGV[2])
        local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
        local tokens = tonumber(state[1]) or permits
        local at = tonumber(state[2]) or now
        if now > at then tokens = tokens + (now - at) * permits / period end
        if tokens > permits then tokens = permits end
        if tokens < 1 then return math.ceil((1 - tokens) * period / permits) end
        redis.call('HSET', KEYS[1], 'tokens', string.format('%.17g', tokens - 1), 'at', now)
        redis.call('PEXPIRE', KEYS[1], period)
        return 0
        """;

    public bool IsConnected => redis.IsConnected;

    public async Task<RateDecision> TakeAsync(string key, RateRule rule, CancellationToken cancellationToken)
    {
        var waitMs = (long)await redis.GetDatabase().ScriptEvaluateAsync(
            TakeScript, [(RedisKey)$"{options.Prefix}:limit:{key}"],
            [rule.Permits, (long)rule.Period.TotalMilliseconds]);
        return waitMs == 0 ? RateDecision.Allow : RateDecision.Wait(TimeSpan.FromMilliseconds(waitMs));
    }
}
