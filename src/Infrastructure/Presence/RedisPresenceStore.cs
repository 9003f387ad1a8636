using EventChat.Infrastructure.Redis;
using StackExchange.Redis;

namespace EventChat.Infrastructure.Presence;

/// <summary>
/// Presence in Redis. Each edge renews <c>edge:&lt;id&gt;</c> with a time to live; a room's hash and a user's
/// hash map <c>&lt;edge&gt;|&lt;connection&gt;</c> to the user. Readers drop the fields of edges whose key has
/// expired, so a killed edge leaves no ghosts for longer than <see cref="PresenceOptions.EdgeTimeout"/>.
/// </summary>
public sealed class RedisPresenceStore(IConnectionMultiplexer redis, RedisOptions redisOptions, PresenceOptions options)
    : IPresenceStore
{
    public string EdgeId { get; } = $"{options.EdgeName}-{Guid.NewGuid():N}";

    private IDatabase Db => redis.GetDatabase();

    public Task HeartbeatAsync(CancellationToken cancellationToken) =>
        Db.StringSetAsync(EdgeKey(EdgeId), "1", options.EdgeTimeout);

    public Task ConnectedAsync(Guid userId, string connectionId, CancellationToken cancellationToken) =>
        Db.HashSetAsync(UserKey(userId), Field(connectionId), "1");

    public async Task DisconnectedAsync(
        Guid userId, string connectionId, IReadOnlyCollection<Guid> rooms, CancellationToken cancellationToken)
    {
        var batch = Db.CreateBatch();
        var field = Field(connectionId);
        var writes = new List<Task> { batch.HashDeleteAsync(UserKey(userId), field) };
        writes.AddRange(rooms.Select(room => batch.HashDeleteAsync(RoomKey(room), field)));
        batch.Execute();
        await Task.WhenAll(writes);
    }

    public Task JoinedAsync(Guid roomId, Guid userId, string connectionId, CancellationToken cancellationToken) =>
        Db.HashSetAsync(RoomKey(roomId), Field(connectionId), userId.ToString("D"));

    public Task LeftAsync(Guid roomId, Guid userId, string connectionId, CancellationToken cancellationToken) =>
        Db.HashDeleteAsync(RoomKey(roomId), Field(connectionId));

    public async Task<IReadOnlyList<Guid>> OnlineInRoomAsync(Guid roomId, CancellationToken cancellationToken)
    {
        var entries = await Db.HashGetAllAsync(RoomKey(roomId));
        var live = await LiveEdgesAsync(RoomKey(roomId), entries.Select(e => (string)e.Name!));
        return entries
            .Where(e => live.Contains(EdgeOf(e.Name!)))
            .Select(e => Guid.Parse((string)e.Value!))
            .Distinct()
            .ToList();
    }

    public async Task<bool> IsOnlineAsync(Guid userId, CancellationToken cancellationToken)
    {
        var fields = await Db.HashKeysAsync(UserKey(userId));
        var live = await LiveEdgesAsync(UserKey(userId), fields.Select(f => (string)f!));
        return fields.Any(f => live.Contains(EdgeOf(f!)));
    }

    /// <summary>Returns the edges among <paramref name="fields"/> that are alive, deleting the others' fields.</summary>
    private async Task<HashSet<string>> LiveEdgesAsync(RedisKey hash, IEnumerable<string> fields)
    {
        var byEdge = fields.GroupBy(EdgeOf).ToList();
        var alive = await Task.WhenAll(byEdge.Select(g => Db.KeyExistsAsync(EdgeKey(g.Key))));
        var dead = byEdge.Where((_, i) => !alive[i]).SelectMany(g => g).Select(f => (RedisValue)f).ToArray();
        if (dead.Length > 0)
        {
            await Db.HashDeleteAsync(hash, dead);
        }

        return byEdge.Where((_, i) => alive[i]).Select(g => g.Key).ToHashSet();
    }

    private static string EdgeOf(string field) => field[..field.IndexOf('|', StringComparison.Ordinal)];

    private string Field(string connectionId) => $"{EdgeId}|{connectionId}";

    private RedisKey EdgeKey(string edgeId) => $"{redisOptions.Prefix}:edge:{edgeId}";

    private RedisKey RoomKey(Guid roomId) => $"{redisOptions.Prefix}:presence:room:{roomId:N}";

    private RedisKey UserKey(Guid userId) => $"{redisOptions.Prefix}:presence:user:{userId:N}";
}
