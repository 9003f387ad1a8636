namespace EventChat.Contracts;

/// <summary>A message was stored as number <see cref="Seq"/> of its room. This is what clients see.</summary>
public sealed record MessagePosted(
    Guid MessageId,
    Guid RoomId,
    long Seq,
    string ClientMessageId,
    Guid SenderId,
    string SenderName,
    string Text,
    DateTimeOffset SentAt,
    DateTimeOffset PostedAt);
