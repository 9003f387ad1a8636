using StackExchange.Redis;

namespace EventChat.Infrastructure.Redis;

public sealed class RedisDecisionMemory(IConnectionMultiplexer redis, RedisOptions options) : IDecisionMemory
{
    private const string RememberScript = """
        if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'EX', ARGV[2]) then return ARGV[1] end
        return redis.call('GET', KEYS[1])
        """;

    public async Task<string> RememberAsync(
        string key, string decision, TimeSpan keepFor, CancellationToken cancellationToken)
    {
        var stored = await redis.GetDatabase().ScriptEvaluateAsync(
            RememberScript, [(RedisKey)$"{options.Prefix}:decision:{key}"], [decision, (long)keepFor.TotalSeconds]);
        return (string)stored!;
    }
}
