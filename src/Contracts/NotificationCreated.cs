namespace EventChat.Contracts;

/// <summary>A notification was stored for a user who was online; the edges push it to that user.</summary>
public sealed record NotificationCreated(
    Guid NotificationId,
    Guid UserId,
    Guid RoomId,
    Guid MessageId,
    long Seq,
    string Kind,
    Guid SenderId,
    string SenderName,
    DateTimeOffset CreatedAt);
