namespace EventChat.IntegrationTests.Support;

/// <summary>One room's part of a <c>Sync</c> answer, and the body of <c>GET /api/rooms/{roomId}/events</c>.</summary>
public sealed record StreamPage(
    Guid RoomId,
    IReadOnlyList<RoomEvent>? Events,
    long LastSeq,
    bool HasMore,
    Truncation? Truncated,
    string? Error = null)
{
    public IReadOnlyList<RoomEvent> EventsOrEmpty => Events ?? [];
}
