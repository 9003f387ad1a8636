using StackExchange.Redis;

namespace EventChat.Infrastructure.Redis;

public sealed class RedisRateCounter(IConnectionMultiplexer redis, RedisOptions options) : IRateCounter
{
    private const string CountScript = """
        redis.call('SADD', KEYS[1], ARGV[1])
        redis.call('EXPIRE', KEYS[1], ARGV[2])
        return redis.call('SCARD', KEYS[1])
        """;

    public async Task<long> CountAsync(
        string key, string eventId, DateTimeOffset at, TimeSpan window, CancellationToken cancellationToken)
    {
        var windowIndex = at.ToUnixTimeMilliseconds() / (long)window.TotalMilliseconds;
        RedisKey redisKey = $"{options.Prefix}:rate:{key}:{windowIndex}";
        var keepFor = (long)Math.Ceiling((window + window).TotalSeconds);
        var count = await redis.GetDatabase().ScriptEvaluateAsync(CountScript, [redisKey], [eventId, keepFor]);
        return (long)count;
    }
}
