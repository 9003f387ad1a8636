using EventChat.Contracts;

namespace EventChat.Api.History;

/// <summary>
/// A slice of one room's stream after a client's last known number: one entry of a <c>Sync</c> answer, and the
/// body of <c>GET /api/rooms/{roomId}/events</c>. <see cref="Truncated"/> is set when retention removed events
/// the client has not seen; the slice then starts at the first one still stored.
/// </summary>
public sealed record EventPage(
    Guid RoomId,
    IReadOnlyList<RoomEvent> Events,
    long LastSeq,
    bool HasMore,
    Truncation? Truncated,
    string? Error = null)
{
    public static EventPage Failed(Guid roomId, string error) => new(roomId, [], 0, false, null, error);
}

/// <summary>Events before <see cref="FirstAvailableSeq"/> are gone; the client should reload the room's history.</summary>
public sealed record Truncation(long FirstAvailableSeq);
