namespace EventChat.Contracts;

/// <summary>Moderation let a message through; persistence gives it the room's next sequence number.</summary>
public sealed record MessageApproved(
    Guid MessageId,
    Guid RoomId,
    string ClientMessageId,
    Guid SenderId,
    string SenderName,
    string Text,
    DateTimeOffset SentAt,
    Guid? ReplyToMessageId = null);
