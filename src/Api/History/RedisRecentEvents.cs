using System.Text.Json;
using EventChat.Contracts;
using EventChat.Infrastructure.Redis;
using EventChat.Infrastructure.Streams;
using StackExchange.Redis;

namespace EventChat.Api.History;

/// <summary>
/// A Redis list of a room's newest events beside a key holding the last sequence number. The append script
/// ignores a number already present, and starts the list afresh when a number would leave a gap.
/// </summary>
public sealed class RedisRecentEvents(IConnectionMultiplexer redis, RedisOptions options) : IRecentEvents
{
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

    public async Task<bool> AppendAsync(RoomEvent roomEvent, CancellationToken cancellationToken)
    {
        var list = ListKey(roomEvent.RoomId);
        var result = await redis.GetDatabase().ScriptEvaluateAsync(
            AppendScript,
            [list, $"{list}:last"],
            [roomEvent.Seq, JsonSerializer.Serialize(roomEvent, RoomStream.Json), IRecentEvents.Capacity,
                (long)KeepFor.TotalSeconds]);
        return (long)result == 1;
    }

    public async Task EraseTextAsync(Guid roomId, Guid messageId, CancellationToken cancellationToken)
    {
        var db = redis.GetDatabase();
        var list = ListKey(roomId);
        var items = await db.ListRangeAsync(list);
        for (var i = 0; i < items.Length; i++)
        {
            var cached = JsonSerializer.Deserialize<RoomEvent>((string)items[i]!, RoomStream.Json)!;
            if (cached.MessageId == messageId && cached.Text is not null)
            {
                await db.ListSetByIndexAsync(list, i, JsonSerializer.Serialize(cached with { Text = null }, RoomStream.Json));
            }
        }
    }

    public async Task<IReadOnlyList<RoomEvent>> ReadAsync(Guid roomId, CancellationToken cancellationToken)
    {
        var items = await redis.GetDatabase().ListRangeAsync(ListKey(roomId));
        return items.Select(i => JsonSerializer.Deserialize<RoomEvent>((string)i!, RoomStream.Json)!).ToList();
    }

    private string ListKey(Guid roomId) => $"{options.Prefix}:events:{roomId:N}";
}
