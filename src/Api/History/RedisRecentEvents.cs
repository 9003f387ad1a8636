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

    // KEYS: the list, the last number. ARGV: seq and JSON of each event in turn, then the capacity and the lifetime
    // in seconds. Returns 1 for each event added, 0 for each already there.
    private const string AppendScript = """
        local last = tonumber(redis.call('GET', KEYS[2]) or '0')
        local added = {}
        local capacity = tonumber(ARGV[#ARGV - 1])
        local ttl = ARGV[#ARGV]
        for i = 1, #ARGV - 2, 2 do
            local seq = tonumber(ARGV[i])
            if seq <= last then
                added[#added + 1] = 0
            else
                if seq ~= last + 1 then redis.call('DEL', KEYS[1]) end
                redis.call('RPUSH', KEYS[1], ARGV[i + 1])
                last = seq
                added[#added + 1] = 1
            end
        end
        redis.call('LTRIM', KEYS[1], -capacity, -1)
        redis.call('SET', KEYS[2], last, 'EX', ttl)
        redis.call('EXPIRE', KEYS[1], ttl)
        return added
        """;

    public async Task<IReadOnlyList<bool>> AppendAsync(
        IReadOnlyList<RoomEvent> roomEvents, CancellationToken cancellationToken)
    {
        if (roomEvents.Count == 0)
        {
            return [];
        }

        var list = ListKey(roomEvents[0].RoomId);
        var values = new RedisValue[roomEvents.Count * 2 + 2];
        for (var i = 0; i < roomEvents.Count; i++)
        {
            values[2 * i] = roomEvents[i].Seq;
            values[2 * i + 1] = JsonSerializer.Serialize(roomEvents[i], RoomStream.Json);
        }

        values[^2] = IRecentEvents.Capacity;
        values[^1] = (long)KeepFor.TotalSeconds;
        var result = await redis.GetDatabase().ScriptEvaluateAsync(AppendScript, [list, $"{list}:last"], values);
        return ((long[])result!).Select(added => added == 1).ToList();
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
