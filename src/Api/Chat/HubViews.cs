namespace EventChat.Api.Chat;

public sealed record JoinRoomResult(Guid RoomId, long LastSeq);

public sealed record SendMessageResult(Guid MessageId, string ClientMessageId);

/// <summary>The id of an accepted change; a later <c>MessageRejected</c> for it carries the same id.</summary>
public sealed record ChangeResult(Guid ChangeId);

public sealed record MarkReadResult(Guid RoomId, long LastReadSeq);

/// <summary>One room of a <c>Sync</c> call: catch up on it from just after <see cref="AfterSeq"/>.</summary>
public sealed record SyncRequest(string? RoomId, long AfterSeq);

/// <summary>Pushed to the room (<c>ReadReceipt</c>) when a member's read watermark moves.</summary>
public sealed record ReadReceiptView(Guid RoomId, Guid UserId, string UserName, long LastReadSeq);

/// <summary>Pushed to the room's other connections (<c>UserTyping</c>); never stored.</summary>
public sealed record TypingView(Guid RoomId, Guid UserId, string UserName);
