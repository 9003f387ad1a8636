namespace EventChat.Contracts;

/// <summary>Moderation refused a message. Only its sender is told; it is never stored or delivered.</summary>
public sealed record MessageRejected(
    Guid MessageId,
    Guid RoomId,
    string ClientMessageId,
    Guid SenderId,
    string Reason,
    DateTimeOffset RejectedAt);
