using System.Collections.Concurrent;

namespace EventChat.Infrastructure.Presence;

/// <summary>Presence for the embedded default, where every connection lives in this one process.</summary>
public sealed class InMemoryPresenceStore : IPresenceStore
{
    private readonly ConcurrentDictionary<(Guid Room, string Connection), Guid> _rooms = new();
    private readonly ConcurrentDictionary<string, Guid> _connections = new();

    public string EdgeId { get; } = $"embedded-{Guid.NewGuid():N}";

    public Task HeartbeatAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task ConnectedAsync(Guid userId, string connectionId, CancellationToken cancellationToken)
    {
        _connections[connectionId] = userId;
        return Task.CompletedTask;
    }

    public Task DisconnectedAsync(
        Guid userId, string connectionId, IReadOnlyCollection<Guid> rooms, CancellationToken cancellationToken)
    {
        _connections.TryRemove(connectionId, out _);
        foreach (var room in rooms)
        {
            _rooms.TryRemove((room, connectionId), out _);
        }

        return Task.CompletedTask;
    }

    public Task JoinedAsync(Guid roomId, Guid userId, string connectionId, CancellationToken cancellationToken)
    {
        _rooms[(roomId, connectionId)] = userId;
        return Task.CompletedTask;
    }

    public Task LeftAsync(Guid roomId, Guid userId, string connectionId, CancellationToken cancellationToken)
    {
        _rooms.TryRemove((roomId, connectionId), out _);
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<Guid>> OnlineInRoomAsync(Guid roomId, CancellationToken cancellationToken)
    {
        IReadOnlyList<Guid> users = _rooms.Where(e => e.Key.Room == roomId).Select(e => e.Value).Distinct().ToList();
        return Task.FromResult(users);
    }

    public Task<bool> IsOnlineAsync(Guid userId, CancellationToken cancellationToken) =>
        Task.FromResult(_connections.Values.Contains(userId));
}
