using System.Text.Json;
using EventChat.Api.Chat;
using EventChat.Infrastructure.Redis;
using StackExchange.Redis;

namespace EventChat.Api.History;

/// <summary>
/// A Redis list of a room's newest messages beside a key holding the last sequence number. The append script
/// ignores a number already present, and starts the list afresh when a number would leave a gap.
/// </summary>
public sealed class RedisRecentMessages(IConnectionMultiplexer redis, RedisOptions options) : IRecentMessages
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private static readonly TimeSpan KeepFor = TimeSpan.FromDays(7);

    private const string AppendScript = """
        local last = tonumber(redis.call('GET', KEYS[2]) or '0')
        local seq = tonumber(ARGV[1])
        if seq <= last then return 0 end
        if seq ~= last + 1 then redis.call('DEL', KEYS[1]) end
        redis.call('RPUSH', KEYS[1], ARGV[2])
        redis.call('LTRIM', KEYS[1], -tonumber(ARGV[3]), -1)
        redis.call('SET', KEYS[2], ARGV[1], 'EX', ARGV[4])
        redis.call('EXPIRE', KEYS[1], ARGV[4])
        return 1
        """;

    public async Task<bool> AppendAsync(MessageView message, CancellationToken cancellationToken)
    {
        var list = ListKey(message.RoomId);
        var result = await redis.GetDatabase().ScriptEvaluateAsync(
            AppendScript,
            [list, $"{list}:last"],
            [message.Seq, JsonSerializer.Serialize(message, Json), IRecentMessages.Capacity, (long)KeepFor.TotalSeconds]);
        return (long)result == 1;
    }

    public async Task<IReadOnlyList<MessageView>> ReadAsync(Guid roomId, CancellationToken cancellationToken)
    {
        var items = await redis.GetDatabase().ListRangeAsync(ListKey(roomId));
        return items.Select(i => JsonSerializer.Deserialize<MessageView>((string)i!, Json)!).ToList();
    }

    private string ListKey(Guid roomId) => $"{options.Prefix}:recent:{roomId:N}";
}
