namespace EventChat.Contracts;

/// <summary>A client asked to post a message. Moderation decides on it before anyone sees it.</summary>
/// <remarks>
/// <see cref="MessageId"/> is derived from the sender and the client's id, so retries share it.
/// <see cref="ReplyToMessageId"/> names the message this one answers, when it is a reply.
/// </remarks>
public sealed record MessageSent(
    Guid MessageId,
    Guid RoomId,
    string ClientMessageId,
    Guid SenderId,
    string SenderName,
    string Text,
    DateTimeOffset SentAt,
    Guid? ReplyToMessageId = null);
