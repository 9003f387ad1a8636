namespace EventChat.Infrastructure.Presence;

/// <summary>
/// Who is connected, and to which rooms, across all edges, and what others may see of it. Each connection entry
/// belongs to one edge; an edge that stops renewing its heartbeat takes all of its entries with it: reads ignore
/// them once its heartbeat has expired, and the next sweep by a live edge removes them (see
/// <see cref="PresenceOptions.OfflineBound"/>).
/// </summary>
/// <remarks>
/// Methods that can change what others see return the new <see cref="PresenceStatus"/> when, and only when, it
/// changed, so that exactly one caller pushes each change even when several edges race.
/// </remarks>
public interface IPresenceStore
{
    /// <summary>Identifies this process in the store; unique per start, so a restarted edge is a new one.</summary>
    string EdgeId { get; }

    /// <summary>
    /// Renews this edge's heartbeat. When other edges had already given this edge up for dead (its heartbeat
    /// lapsed, or the store lost its data), it registers its live connections again. It also removes connections
    /// whose <see cref="DisconnectedAsync"/> could not reach the store. Returns the users whose status that changed.
    /// </summary>
    Task<IReadOnlyList<PresenceStatus>> HeartbeatAsync(CancellationToken cancellationToken);

    /// <summary>Declares this edge gone, so that the other edges sweep whatever it leaves behind at once.</summary>
    Task ResignAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Records a connection. <paramref name="loadInvisible"/> reads the durable invisible flag; it is called only
    /// when the hot state does not know it. Returns the user's status when this was their first device.
    /// </summary>
    Task<PresenceStatus?> ConnectedAsync(
        Guid userId,
        string connectionId,
        Func<CancellationToken, Task<bool>> loadInvisible,
        CancellationToken cancellationToken);

    /// <summary>
    /// Removes a connection and its room entries; returns the user's status when it was their last device. If the
    /// store cannot be reached, it throws, and the next heartbeat finishes the removal.
    /// </summary>
    Task<PresenceStatus?> DisconnectedAsync(
        Guid userId, string connectionId, IReadOnlyCollection<Guid> rooms, CancellationToken cancellationToken);

    Task JoinedAsync(Guid roomId, Guid userId, string connectionId, CancellationToken cancellationToken);

    Task LeftAsync(Guid roomId, Guid userId, string connectionId, CancellationToken cancellationToken);

    /// <summary>
    /// Sets the hot copy of the invisible flag (the caller stores the durable one). Returns the status others now
    /// see when the user is connected and the flag changed; going invisible freezes the last-seen time at now.
    /// </summary>
    Task<PresenceStatus?> SetInvisibleAsync(Guid userId, bool invisible, CancellationToken cancellationToken);

    /// <summary>What others see of each of <paramref name="userIds"/>, in the same order.</summary>
    Task<IReadOnlyList<PresenceStatus>> GetAsync(IReadOnlyList<Guid> userIds, CancellationToken cancellationToken);

    /// <summary>
    /// Removes the entries of every other edge whose heartbeat has expired, and records the users who thereby
    /// went offline. Safe to run on every edge at once: each change is returned to one caller only.
    /// </summary>
    Task<PresenceSweep> SweepDeadEdgesAsync(CancellationToken cancellationToken);

    /// <summary>Visible users with a connection subscribed to the room; invisible users are left out.</summary>
    Task<IReadOnlyList<Guid>> OnlineInRoomAsync(Guid roomId, CancellationToken cancellationToken);

    /// <summary>The live connections of <paramref name="userId"/> subscribed to the room, on any edge.</summary>
    Task<IReadOnlyList<string>> ConnectionsInRoomAsync(Guid roomId, Guid userId, CancellationToken cancellationToken);

    /// <summary>
    /// Whether the user has a live connection, invisible or not: this is for deciding whether a push can reach
    /// them, not for showing to others (use <see cref="GetAsync"/> for that).
    /// </summary>
    Task<bool> IsOnlineAsync(Guid userId, CancellationToken cancellationToken);

    /// <summary>How many live connections <paramref name="userId"/> has, on every edge together.</summary>
    Task<int> ConnectionCountAsync(Guid userId, CancellationToken cancellationToken);
}
