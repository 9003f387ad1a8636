using EventChat.Contracts;

namespace EventChat.Api.History;

/// <summary>
/// The last <see cref="Capacity"/> events of each room, in the order the edges delivered them. The cache only ever
/// holds a gap-free run of sequence numbers, so any catch-up it can answer it answers exactly; older ranges come
/// from the database.
/// </summary>
public interface IRecentEvents
{
    const int Capacity = 200;

    /// <summary>
    /// Adds a run of one room's events, ascending by sequence number, in one round trip; for each, false when that
    /// sequence number was already there.
    /// </summary>
    Task<IReadOnlyList<bool>> AppendAsync(IReadOnlyList<RoomEvent> roomEvents, CancellationToken cancellationToken);

    /// <summary>Erases a deleted message's text from the cached events that carried it.</summary>
    /// <remarks>Only the delivering edge writes the cache, one room's events after another, so nothing appends meanwhile.</remarks>
    Task EraseTextAsync(Guid roomId, Guid messageId, CancellationToken cancellationToken);

    /// <summary>The cached run of the room's newest events, ascending by sequence number.</summary>
    Task<IReadOnlyList<RoomEvent>> ReadAsync(Guid roomId, CancellationToken cancellationToken);
}
