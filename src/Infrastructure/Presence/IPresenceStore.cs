namespace EventChat.Infrastructure.Presence;

/// <summary>
/// Who is connected, and to which rooms, across all edges. Each entry belongs to one edge's connection; an
/// edge that stops renewing its heartbeat takes all of its entries with it.
/// </summary>
public interface IPresenceStore
{
    /// <summary>Identifies this process in the store; unique per start, so a restarted edge is a new one.</summary>
    string EdgeId { get; }

    Task HeartbeatAsync(CancellationToken cancellationToken);

    Task ConnectedAsync(Guid userId, string connectionId, CancellationToken cancellationToken);

    Task DisconnectedAsync(
        Guid userId, string connectionId, IReadOnlyCollection<Guid> rooms, CancellationToken cancellationToken);

    Task JoinedAsync(Guid roomId, Guid userId, string connectionId, CancellationToken cancellationToken);

    Task LeftAsync(Guid roomId, Guid userId, string connectionId, CancellationToken cancellationToken);

    Task<IReadOnlyList<Guid>> OnlineInRoomAsync(Guid roomId, CancellationToken cancellationToken);

    Task<bool> IsOnlineAsync(Guid userId, CancellationToken cancellationToken);
}
