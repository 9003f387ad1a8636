using System.Text.Json;

namespace EventChat.LoadTest.Common;

public sealed record LoginAnswer(string AccessToken, Guid UserId, string Username);

public sealed record CreatedRoom(Guid RoomId, string Name);

public sealed record RoomInfo(Guid RoomId, long LastSeq, long FirstSeq);

public sealed record JoinAnswer(Guid RoomId, long LastSeq);

public sealed record SendAnswer(Guid MessageId, string ClientMessageId);

public sealed record HistoryMessage(Guid RoomId, long Seq, Guid MessageId, string ClientMessageId, Guid SenderId);

public sealed record MessagePage(IReadOnlyList<HistoryMessage> Messages);

/// <summary>The fields of a room event the checks need; the rest of the payload is ignored.</summary>
public sealed record RoomEventView(
    Guid RoomId, long Seq, string Type, Guid? MessageId, string? ClientMessageId, Guid? ActorId, string? Text);

public sealed record EventPage(IReadOnlyList<RoomEventView> Events, long LastSeq, bool HasMore);

public sealed record SyncRequest(string RoomId, long AfterSeq);

/// <summary>One room's entry of a <c>Sync</c> answer.</summary>
public sealed record SyncPage(
    Guid RoomId, IReadOnlyList<RoomEventView> Events, long LastSeq, bool HasMore, string? Error);

public sealed record Rejection(Guid RoomId, string? ClientMessageId, Guid? MessageId, string? Reason, string? Request);

public static class Json
{
    public static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);
}
