using System.Collections.Concurrent;
using EventChat.Infrastructure.Redis;
using StackExchange.Redis;

namespace EventChat.Infrastructure.Presence;

/// <summary>
/// Presence in Redis, shared by every edge. Keys (under the configured prefix):
/// <list type="bullet">
/// <item><c>edge:&lt;edge&gt;</c> lives for <see cref="PresenceOptions.EdgeTimeout"/> and is renewed by the
/// edge's heartbeat; <c>presence:edges</c> is the set of edges that registered, which the sweep walks instead of
/// scanning the keyspace.</item>
/// <item><c>presence:user:{&lt;user&gt;}</c> holds the user's connections as <c>&lt;edge&gt;|&lt;connection&gt;</c>,
/// and <c>presence:user:{&lt;user&gt;}:state</c> holds <c>online</c> (as last reported to others),
/// <c>invisible</c> and <c>seen</c> (last seen, Unix ms). Both share a hash slot, so the scripts that decide a
/// change are atomic, in a cluster too; that decides which of several racing edges reports it.</item>
/// <item><c>presence:room:&lt;room&gt;</c> maps <c>&lt;edge&gt;|&lt;connection&gt;</c> to the subscribed user.</item>
/// <item><c>presence:edge:&lt;edge&gt;:connections</c> and <c>:rooms</c> index an edge's own entries, so that a
/// sweep finds a dead edge's entries directly.</item>
/// </list>
/// Readers ignore the entries of edges whose heartbeat has expired, so reads are right within
/// <see cref="PresenceOptions.EdgeTimeout"/> of an edge's death; the sweep deletes those entries and reports who
/// went offline within <see cref="PresenceOptions.OfflineBound"/>.
/// </summary>
public sealed class RedisPresenceStore(
    IConnectionMultiplexer redis, RedisOptions redisOptions, PresenceOptions options, TimeProvider clock)
    : IPresenceStore
{
    // KEYS: the user's connections, the user's state. ARGV: field, invisible flag to seed ('' when unknown).
    // Returns {-1, 0} and writes nothing when the flag is unknown, else {1 when now visibly online or 0, flag}.
    private const string ConnectScript = """
        if ARGV[2] ~= '' then redis.call('HSETNX', KEYS[2], 'invisible', ARGV[2]) end
        local invisible = redis.call('HGET', KEYS[2], 'invisible')
        if not invisible then return {-1, 0} end
        redis.call('HSET', KEYS[1], ARGV[1], '1')
        if redis.call('HGET', KEYS[2], 'online') == '1' then return {0, tonumber(invisible)} end
        redis.call('HSET', KEYS[2], 'online', '1')
        if invisible == '1' then return {0, 1} end
        return {1, 0}
        """;

    // Ends a script whose KEYS are the user's connections and state and whose ARGV[1] is now: when no connection
    // is left and others saw the user online, they are offline now (last seen stays frozen while invisible).
    private const string GoOfflineIfLast = """
        if redis.call('HLEN', KEYS[1]) > 0 or redis.call('HGET', KEYS[2], 'online') ~= '1' then return 0 end
        redis.call('HSET', KEYS[2], 'online', '0')
        if redis.call('HGET', KEYS[2], 'invisible') == '1' then return 0 end
        redis.call('HSET', KEYS[2], 'seen', ARGV[1])
        return 1
        """;

    // ARGV: now, field. A retry carries the time of the first attempt; when that attempt went through but its
    // answer was lost, the retry finds the user offline since exactly then, and reports the change nobody reported.
    private const string DisconnectScript = """
        redis.call('HDEL', KEYS[1], ARGV[2])
        if redis.call('HLEN', KEYS[1]) == 0 and redis.call('HGET', KEYS[2], 'online') == '0'
            and redis.call('HGET', KEYS[2], 'seen') == ARGV[1] then return 1 end

        """ + GoOfflineIfLast;

    // ARGV: now, dead edge ids. Only the caller that removes a field can report the change.
    private const string SweepUserScript = """
        local dead = {}
        for i = 2, #ARGV do dead[ARGV[i]] = true end
        local removed = 0
        for _, field in ipairs(redis.call('HKEYS', KEYS[1])) do
            if dead[string.match(field, '^(.*)|')] then removed = removed + redis.call('HDEL', KEYS[1], field) end
        end
        if removed == 0 then return 0 end

        """ + GoOfflineIfLast;

    // KEYS: the user's state. ARGV: now, flag. Returns 1 when a connected user's visible status changed.
    private const string SetInvisibleScript = """
        local was = redis.call('HGET', KEYS[1], 'invisible')
        redis.call('HSET', KEYS[1], 'invisible', ARGV[2])
        if was == ARGV[2] or redis.call('HGET', KEYS[1], 'online') ~= '1' then return 0 end
        if ARGV[2] == '1' then redis.call('HSET', KEYS[1], 'seen', ARGV[1]) end
        return 1
        """;

    private static readonly RedisValue InvisibleField = "invisible";
    private static readonly RedisValue SeenField = "seen";

    /// <summary>This edge's own connections, to register again after other edges gave this one up.</summary>
    private readonly ConcurrentDictionary<string, LocalConnection> _local = new(StringComparer.Ordinal);
    /// <summary>Connections that closed while Redis could not be reached, with what removing them needs.</summary>
    private readonly ConcurrentDictionary<string, UnrecordedDisconnect> _unrecorded = new(StringComparer.Ordinal);
    private volatile bool _registered;

    public string EdgeId { get; } = $"{options.EdgeName}-{Guid.NewGuid():N}";

    private IDatabase Db => redis.GetDatabase();

    private RedisKey EdgesKey => $"{redisOptions.Prefix}:presence:edges";

    public async Task<IReadOnlyList<PresenceStatus>> HeartbeatAsync(CancellationToken cancellationToken)
    {
        var batch = Db.CreateBatch();
        var renewed = batch.StringSetAsync(EdgeKey(EdgeId), "1", options.EdgeTimeout);
        var added = batch.SetAddAsync(EdgesKey, EdgeId);
        batch.Execute();
        await renewed;
        var wasMissing = await added;
        _registered = true;

        // Missing from the set: a sweep gave this edge up while its heartbeat lapsed, or Redis lost its data.
        var changes = wasMissing && !_local.IsEmpty ? [.. await RegisterAgainAsync()] : new List<PresenceStatus>();
        foreach (var (connectionId, gone) in _unrecorded)
        {
            if (await RemoveConnectionAsync(connectionId, gone) is PresenceStatus change)
            {
                changes.Add(change);
            }

            _unrecorded.TryRemove(connectionId, out _);
        }

        return changes;
    }

    public Task ResignAsync(CancellationToken cancellationToken) => Db.KeyDeleteAsync(EdgeKey(EdgeId));

    public async Task<PresenceStatus?> ConnectedAsync(
        Guid userId,
        string connectionId,
        Func<CancellationToken, Task<bool>> loadInvisible,
        CancellationToken cancellationToken)
    {
        if (!_registered)
        {
            // A connection of an edge the sweep does not know about would never be swept.
            await HeartbeatAsync(cancellationToken);
        }

        var local = new LocalConnection(userId);
        _local[connectionId] = local;
        var (state, invisible) = await AddConnectionAsync(userId, connectionId, null);
        if (state < 0)
        {
            (state, invisible) = await AddConnectionAsync(userId, connectionId, await loadInvisible(cancellationToken));
        }

        local.Invisible = invisible;
        return state == 1 ? PresenceStatus.CameOnline(userId) : null;
    }

    public async Task<PresenceStatus?> DisconnectedAsync(
        Guid userId, string connectionId, IReadOnlyCollection<Guid> rooms, CancellationToken cancellationToken)
    {
        var subscribed = _local.TryRemove(connectionId, out var local) ? local.Rooms.Union(rooms).ToList() : rooms;
        var gone = new UnrecordedDisconnect(userId, subscribed, Now());
        try
        {
            return await RemoveConnectionAsync(connectionId, gone);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            // This edge lives on, so nothing would sweep the entry: the heartbeat removes it once Redis answers.
            _unrecorded[connectionId] = gone;
            throw;
        }
    }

    /// <summary>Removes a closed connection's entries; reports the user offline when it was their last one.</summary>
    private async Task<PresenceStatus?> RemoveConnectionAsync(string connectionId, UnrecordedDisconnect gone)
    {
        var (userId, subscribed, now) = gone;
        var field = Field(EdgeId, connectionId);
        var batch = Db.CreateBatch();
        var writes = new List<Task> { batch.HashDeleteAsync(EdgeConnectionsKey(EdgeId), connectionId) };
        foreach (var room in subscribed)
        {
            writes.Add(batch.HashDeleteAsync(RoomKey(room), field));
            writes.Add(batch.SetRemoveAsync(EdgeRoomsKey(EdgeId), RoomEntry(room, connectionId)));
        }

        var decision = batch.ScriptEvaluateAsync(
            DisconnectScript,
            [UserConnectionsKey(userId), UserStateKey(userId)],
            [now.ToUnixTimeMilliseconds(), field]);
        batch.Execute();
        await Task.WhenAll(writes);
        return (int)await decision == 1 ? PresenceStatus.WentOffline(userId, now) : null;
    }

    public async Task JoinedAsync(Guid roomId, Guid userId, string connectionId, CancellationToken cancellationToken)
    {
        if (_local.TryGetValue(connectionId, out var local))
        {
            local.Join(roomId);
        }

        var batch = Db.CreateBatch();
        var writes = new List<Task>();
        AddSubscription(batch, writes, roomId, userId, connectionId);
        batch.Execute();
        await Task.WhenAll(writes);
    }

    public async Task LeftAsync(Guid roomId, Guid userId, string connectionId, CancellationToken cancellationToken)
    {
        if (_local.TryGetValue(connectionId, out var local))
        {
            local.Leave(roomId);
        }

        var batch = Db.CreateBatch();
        var removed = batch.HashDeleteAsync(RoomKey(roomId), Field(EdgeId, connectionId));
        var unindexed = batch.SetRemoveAsync(EdgeRoomsKey(EdgeId), RoomEntry(roomId, connectionId));
        batch.Execute();
        await Task.WhenAll(removed, unindexed);
    }

    public async Task<PresenceStatus?> SetInvisibleAsync(
        Guid userId, bool invisible, CancellationToken cancellationToken)
    {
        // A walk over this edge's connections: switching invisibility is rare, and over the 20,000 sockets one
        // process can hold here the walk takes well under a millisecond.
        foreach (var local in _local.Values.Where(l => l.UserId == userId))
        {
            local.Invisible = invisible;
        }

        var now = Now();
        var changed = await Db.ScriptEvaluateAsync(
            SetInvisibleScript, [UserStateKey(userId)], [now.ToUnixTimeMilliseconds(), invisible ? "1" : "0"]);
        if ((int)changed != 1)
        {
            return null;
        }

        return invisible ? PresenceStatus.WentOffline(userId, now) : PresenceStatus.CameOnline(userId);
    }

    public async Task<IReadOnlyList<PresenceStatus>> GetAsync(
        IReadOnlyList<Guid> userIds, CancellationToken cancellationToken)
    {
        if (userIds.Count == 0)
        {
            return [];
        }

        var batch = Db.CreateBatch();
        var reads = userIds
            .Select(u => (
                Fields: batch.HashKeysAsync(UserConnectionsKey(u)),
                State: batch.HashGetAsync(UserStateKey(u), [InvisibleField, SeenField])))
            .ToList();
        batch.Execute();

        var users = new List<(RedisValue[] Fields, RedisValue[] State)>(reads.Count);
        foreach (var (fields, state) in reads)
        {
            users.Add((await fields, await state));
        }

        var live = await LiveEdgesAsync(users.SelectMany(u => u.Fields).Select(f => EdgeOf(f!)));
        return userIds
            .Select((userId, i) =>
            {
                var (fields, state) = users[i];
                var online = state[0] != "1" && fields.Any(f => live.Contains(EdgeOf(f!)));
                DateTimeOffset? seen = online || state[1].IsNull
                    ? null
                    : DateTimeOffset.FromUnixTimeMilliseconds((long)state[1]);
                return new PresenceStatus(userId, online, seen);
            })
            .ToList();
    }

    public async Task<PresenceSweep> SweepDeadEdgesAsync(CancellationToken cancellationToken)
    {
        var known = await Db.SetMembersAsync(EdgesKey);
        var others = known.Select(e => (string)e!).Where(e => e != EdgeId).ToList();
        var live = await LiveEdgesAsync(others);
        var dead = others.Where(e => !live.Contains(e)).ToList();
        if (dead.Count == 0)
        {
            return PresenceSweep.Nothing;
        }

        var now = Now();
        var changes = new List<PresenceStatus>();
        foreach (var edge in dead)
        {
            cancellationToken.ThrowIfCancellationRequested();
            changes.AddRange(await SweepEdgeAsync(edge, dead, now));
        }

        return new PresenceSweep(dead, changes);
    }

    public async Task<IReadOnlyList<Guid>> OnlineInRoomAsync(Guid roomId, CancellationToken cancellationToken)
    {
        var entries = await Db.HashGetAllAsync(RoomKey(roomId));
        var live = await LiveEdgesAsync(entries.Select(e => EdgeOf(e.Name!)));
        var users = entries
            .Where(e => live.Contains(EdgeOf(e.Name!)))
            .Select(e => Guid.Parse((string)e.Value!))
            .Distinct()
            .ToList();
        if (users.Count == 0)
        {
            return [];
        }

        var batch = Db.CreateBatch();
        var flags = users.Select(u => batch.HashGetAsync(UserStateKey(u), InvisibleField)).ToList();
        batch.Execute();
        var visible = new List<Guid>(users.Count);
        for (var i = 0; i < users.Count; i++)
        {
            if (await flags[i] != "1")
            {
                visible.Add(users[i]);
            }
        }

        return visible;
    }

    public async Task<IReadOnlyList<string>> ConnectionsInRoomAsync(
        Guid roomId, Guid userId, CancellationToken cancellationToken)
    {
        var entries = await Db.HashGetAllAsync(RoomKey(roomId));
        var user = userId.ToString("D");
        var fields = entries.Where(e => e.Value == user).Select(e => (string)e.Name!).ToList();
        var live = await LiveEdgesAsync(fields.Select(EdgeOf));
        return fields.Where(f => live.Contains(EdgeOf(f))).Select(ConnectionOf).ToList();
    }

    public async Task<bool> IsOnlineAsync(Guid userId, CancellationToken cancellationToken) =>
        await ConnectionCountAsync(userId, cancellationToken) > 0;

    public async Task<int> ConnectionCountAsync(Guid userId, CancellationToken cancellationToken)
    {
        var fields = (await Db.HashKeysAsync(UserConnectionsKey(userId))).Select(f => (string)f!).ToList();
        var live = await LiveEdgesAsync(fields.Select(EdgeOf));
        return fields.Count(f => live.Contains(EdgeOf(f)));
    }

    /// <summary>
    /// Removes one dead edge's entries. Every step may be repeated by another edge at the same time or by a later
    /// sweep; the edge leaves the set of known edges last, so a sweep that stops half-way is finished by the next.
    /// </summary>
    private async Task<List<PresenceStatus>> SweepEdgeAsync(string edge, List<string> dead, DateTimeOffset now)
    {
        var db = Db;
        var batch = db.CreateBatch();
        var connectionsRead = batch.HashGetAllAsync(EdgeConnectionsKey(edge));
        var roomsRead = batch.SetMembersAsync(EdgeRoomsKey(edge));
        batch.Execute();
        var connections = await connectionsRead;
        var rooms = await roomsRead;

        RedisValue[] args = [now.ToUnixTimeMilliseconds(), .. dead.Select(e => (RedisValue)e)];
        batch = db.CreateBatch();
        var decisions = connections
            .Select(c => Guid.Parse((string)c.Value!))
            .Distinct()
            .Select(u => (User: u, Decision: batch.ScriptEvaluateAsync(
                SweepUserScript, [UserConnectionsKey(u), UserStateKey(u)], args)))
            .ToList();
        var writes = rooms
            .Select(r => ParseRoomEntry(r!))
            .GroupBy(r => r.Room, r => (RedisValue)Field(edge, r.Connection))
            .Select(g => batch.HashDeleteAsync(RoomKey(g.Key), g.ToArray()))
            .ToList();
        batch.Execute();
        await Task.WhenAll(writes);
        var changes = new List<PresenceStatus>();
        foreach (var (user, decision) in decisions)
        {
            if ((int)await decision == 1)
            {
                changes.Add(PresenceStatus.WentOffline(user, now));
            }
        }

        batch = db.CreateBatch();
        Task[] cleanup =
        [
            batch.KeyDeleteAsync(EdgeConnectionsKey(edge)),
            batch.KeyDeleteAsync(EdgeRoomsKey(edge)),
            batch.SetRemoveAsync(EdgesKey, edge),
        ];
        batch.Execute();
        await Task.WhenAll(cleanup);
        return changes;
    }

    private async Task<List<PresenceStatus>> RegisterAgainAsync()
    {
        var batch = Db.CreateBatch();
        var writes = new List<Task>();
        var decisions = new List<(Guid User, Task<RedisResult> Decision)>();
        foreach (var (connectionId, local) in _local)
        {
            decisions.Add((local.UserId, AddConnection(batch, writes, local.UserId, connectionId, local.Invisible)));
            foreach (var room in local.Rooms)
            {
                AddSubscription(batch, writes, room, local.UserId, connectionId);
            }
        }

        batch.Execute();
        await Task.WhenAll(writes);
        var changes = new List<PresenceStatus>();
        foreach (var (user, decision) in decisions)
        {
            if (ParseConnect(await decision).State == 1)
            {
                changes.Add(PresenceStatus.CameOnline(user));
            }
        }

        return changes;
    }

    private async Task<(int State, bool Invisible)> AddConnectionAsync(Guid userId, string connectionId, bool? seed)
    {
        var batch = Db.CreateBatch();
        var writes = new List<Task>();
        var decision = AddConnection(batch, writes, userId, connectionId, seed);
        batch.Execute();
        await Task.WhenAll(writes);
        return ParseConnect(await decision);
    }

    /// <summary>Indexes the connection under this edge first, so that a sweep can find whatever follows.</summary>
    private Task<RedisResult> AddConnection(
        IBatch batch, List<Task> writes, Guid userId, string connectionId, bool? seed)
    {
        writes.Add(batch.HashSetAsync(EdgeConnectionsKey(EdgeId), connectionId, userId.ToString("D")));
        RedisValue flag = seed switch
        {
            true => "1",
            false => "0",
            null => "",
        };
        return batch.ScriptEvaluateAsync(
            ConnectScript, [UserConnectionsKey(userId), UserStateKey(userId)], [Field(EdgeId, connectionId), flag]);
    }

    private void AddSubscription(IBatch batch, List<Task> writes, Guid roomId, Guid userId, string connectionId)
    {
        writes.Add(batch.SetAddAsync(EdgeRoomsKey(EdgeId), RoomEntry(roomId, connectionId)));
        writes.Add(batch.HashSetAsync(RoomKey(roomId), Field(EdgeId, connectionId), userId.ToString("D")));
    }

    private static (int State, bool Invisible) ParseConnect(RedisResult result)
    {
        var values = (RedisResult[])result!;
        return ((int)values[0], (int)values[1] == 1);
    }

    /// <summary>Whole milliseconds, as stored, so that a pushed time and a later read of it are equal.</summary>
    private DateTimeOffset Now() =>
        DateTimeOffset.FromUnixTimeMilliseconds(clock.GetUtcNow().ToUnixTimeMilliseconds());

    private async Task<HashSet<string>> LiveEdgesAsync(IEnumerable<string> edges)
    {
        var distinct = edges.Distinct(StringComparer.Ordinal).ToList();
        var live = new HashSet<string>(StringComparer.Ordinal);
        if (distinct.Count == 0)
        {
            return live;
        }

        var batch = Db.CreateBatch();
        var checks = distinct.Select(e => batch.KeyExistsAsync(EdgeKey(e))).ToList();
        batch.Execute();
        for (var i = 0; i < distinct.Count; i++)
        {
            if (await checks[i])
            {
                live.Add(distinct[i]);
            }
        }

        return live;
    }

    private static string Field(string edgeId, string connectionId) => $"{edgeId}|{connectionId}";

    // Connection ids never contain '|'; an edge name might.
    private static string EdgeOf(string field) => field[..field.LastIndexOf('|')];

    private static string ConnectionOf(string field) => field[(field.LastIndexOf('|') + 1)..];

    private static string RoomEntry(Guid roomId, string connectionId) => $"{roomId:N}|{connectionId}";

    private static (Guid Room, string Connection) ParseRoomEntry(string entry) =>
        (Guid.ParseExact(entry[..32], "N"), entry[33..]);

    private RedisKey EdgeKey(string edgeId) => $"{redisOptions.Prefix}:edge:{edgeId}";

    private RedisKey EdgeConnectionsKey(string edgeId) => $"{redisOptions.Prefix}:presence:edge:{edgeId}:connections";

    private RedisKey EdgeRoomsKey(string edgeId) => $"{redisOptions.Prefix}:presence:edge:{edgeId}:rooms";

    private RedisKey RoomKey(Guid roomId) => $"{redisOptions.Prefix}:presence:room:{roomId:N}";

    private RedisKey UserConnectionsKey(Guid userId) => $"{redisOptions.Prefix}:presence:user:{{{userId:N}}}";

    private RedisKey UserStateKey(Guid userId) => $"{redisOptions.Prefix}:presence:user:{{{userId:N}}}:state";

    private sealed record UnrecordedDisconnect(Guid UserId, IReadOnlyCollection<Guid> Rooms, DateTimeOffset At);

    private sealed class LocalConnection(Guid userId)
    {
        public Guid UserId { get; } = userId;

        // Made at the first join: an edge holds one of these per open connection, most of them idle.
        private ConcurrentDictionary<Guid, byte>? _rooms;

        public ICollection<Guid> Rooms => _rooms?.Keys ?? [];

        public void Join(Guid roomId) => LazyInitializer.EnsureInitialized(ref _rooms)[roomId] = 0;

        public void Leave(Guid roomId) => _rooms?.TryRemove(roomId, out _);

        /// <summary>The flag as last known here; seeds Redis only if Redis lost its own copy.</summary>
        public bool? Invisible { get; set; }
    }
}
