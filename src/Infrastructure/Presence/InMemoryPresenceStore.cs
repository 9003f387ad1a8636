namespace EventChat.Infrastructure.Presence;

/// <summary>
/// Presence for the embedded default, where every connection lives in this one process: no other edge can die
/// under it, so there is nothing to sweep. One lock keeps each change and its decision to report atomic.
/// </summary>
public sealed class InMemoryPresenceStore(TimeProvider clock) : IPresenceStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<Guid, UserPresence> _users = [];
    private readonly Dictionary<string, HashSet<Guid>> _connectionRooms = new(StringComparer.Ordinal);
    private readonly Dictionary<Guid, Dictionary<string, Guid>> _rooms = [];

    public string EdgeId { get; } = $"embedded-{Guid.NewGuid():N}";

    public Task<IReadOnlyList<PresenceStatus>> HeartbeatAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<PresenceStatus>>([]);

    public Task ResignAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task<PresenceStatus?> ConnectedAsync(
        Guid userId,
        string connectionId,
        Func<CancellationToken, Task<bool>> loadInvisible,
        CancellationToken cancellationToken)
    {
        bool known;
        lock (_gate)
        {
            known = _users.TryGetValue(userId, out var found) && found.Invisible.HasValue;
        }

        bool? loaded = known ? null : await loadInvisible(cancellationToken);
        lock (_gate)
        {
            var user = UserOf(userId);
            user.Invisible ??= loaded;
            var wasConnected = user.Connections.Count > 0;
            user.Connections.Add(connectionId);
            _connectionRooms[connectionId] = [];
            return wasConnected || user.Invisible == true ? null : PresenceStatus.CameOnline(userId);
        }
    }

    public Task<PresenceStatus?> DisconnectedAsync(
        Guid userId, string connectionId, IReadOnlyCollection<Guid> rooms, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var subscribed = _connectionRooms.Remove(connectionId, out var known) ? known.Union(rooms) : rooms;
            foreach (var room in subscribed)
            {
                LeaveRoom(room, connectionId);
            }

            var user = UserOf(userId);
            if (!user.Connections.Remove(connectionId) || user.Connections.Count > 0 || user.Invisible == true)
            {
                return Task.FromResult<PresenceStatus?>(null);
            }

            user.LastSeenAt = clock.GetUtcNow();
            return Task.FromResult<PresenceStatus?>(PresenceStatus.WentOffline(userId, user.LastSeenAt.Value));
        }
    }

    public Task JoinedAsync(Guid roomId, Guid userId, string connectionId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (!_rooms.TryGetValue(roomId, out var members))
            {
                members = new Dictionary<string, Guid>(StringComparer.Ordinal);
                _rooms[roomId] = members;
            }

            members[connectionId] = userId;
            if (_connectionRooms.TryGetValue(connectionId, out var subscribed))
            {
                subscribed.Add(roomId);
            }
        }

        return Task.CompletedTask;
    }

    public Task LeftAsync(Guid roomId, Guid userId, string connectionId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            LeaveRoom(roomId, connectionId);
            if (_connectionRooms.TryGetValue(connectionId, out var subscribed))
            {
                subscribed.Remove(roomId);
            }
        }

        return Task.CompletedTask;
    }

    public Task<PresenceStatus?> SetInvisibleAsync(Guid userId, bool invisible, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var user = UserOf(userId);
            var changed = user.Invisible != invisible;
            user.Invisible = invisible;
            if (!changed || user.Connections.Count == 0)
            {
                return Task.FromResult<PresenceStatus?>(null);
            }

            if (!invisible)
            {
                return Task.FromResult<PresenceStatus?>(PresenceStatus.CameOnline(userId));
            }

            user.LastSeenAt = clock.GetUtcNow();
            return Task.FromResult<PresenceStatus?>(PresenceStatus.WentOffline(userId, user.LastSeenAt.Value));
        }
    }

    public Task<IReadOnlyList<PresenceStatus>> GetAsync(
        IReadOnlyList<Guid> userIds, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            IReadOnlyList<PresenceStatus> statuses = userIds.Select(StatusOf).ToList();
            return Task.FromResult(statuses);
        }
    }

    public Task<PresenceSweep> SweepDeadEdgesAsync(CancellationToken cancellationToken) =>
        Task.FromResult(PresenceSweep.Nothing);

    public Task<IReadOnlyList<Guid>> OnlineInRoomAsync(Guid roomId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            IReadOnlyList<Guid> users = _rooms.TryGetValue(roomId, out var members)
                ? members.Values.Distinct().Where(u => StatusOf(u).Online).ToList()
                : [];
            return Task.FromResult(users);
        }
    }

    public Task<IReadOnlyList<string>> ConnectionsInRoomAsync(
        Guid roomId, Guid userId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            IReadOnlyList<string> connections = _rooms.TryGetValue(roomId, out var members)
                ? members.Where(m => m.Value == userId).Select(m => m.Key).ToList()
                : [];
            return Task.FromResult(connections);
        }
    }

    public async Task<bool> IsOnlineAsync(Guid userId, CancellationToken cancellationToken) =>
        await ConnectionCountAsync(userId, cancellationToken) > 0;

    public Task<int> ConnectionCountAsync(Guid userId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(_users.TryGetValue(userId, out var user) ? user.Connections.Count : 0);
        }
    }

    private PresenceStatus StatusOf(Guid userId)
    {
        if (!_users.TryGetValue(userId, out var user))
        {
            return new PresenceStatus(userId, false, null);
        }

        var online = user.Connections.Count > 0 && user.Invisible != true;
        return new PresenceStatus(userId, online, online ? null : user.LastSeenAt);
    }

    private UserPresence UserOf(Guid userId)
    {
        if (!_users.TryGetValue(userId, out var user))
        {
            user = new UserPresence();
            _users[userId] = user;
        }

        return user;
    }

    private void LeaveRoom(Guid roomId, string connectionId)
    {
        if (_rooms.TryGetValue(roomId, out var members) && members.Remove(connectionId) && members.Count == 0)
        {
            _rooms.Remove(roomId);
        }
    }

    /// <summary>Kept after the last device goes, for the last-seen time, as Redis keeps it.</summary>
    private sealed class UserPresence
    {
        public HashSet<string> Connections { get; } = new(StringComparer.Ordinal);

        /// <summary>Null until first needed, then read once from the database.</summary>
        public bool? Invisible { get; set; }

        public DateTimeOffset? LastSeenAt { get; set; }
    }
}
