using StackExchange.Redis;

namespace EventChat.Infrastructure.Redis;

public sealed class RedisRateCounter(IConnectionMultiplexer redis, RedisOptions options, TimeProvider clock)
    : IRateCounter
{
    public async Task<long> IncrementAsync(string key, TimeSpan window, CancellationToken cancellationToken)
    {
        var windowIndex = clock.GetUtcNow().ToUnixTimeMilliseconds() / (long)window.TotalMilliseconds;
        RedisKey redisKey = $"{options.Prefix}:rate:{key}:{windowIndex}";
        var db = redis.GetDatabase();
        var count = await db.StringIncrementAsync(redisKey);
        if (count == 1)
        {
            await db.KeyExpireAsync(redisKey, window + window);
        }

        return count;
    }
}
