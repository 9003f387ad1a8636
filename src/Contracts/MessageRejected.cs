namespace EventChat.Contracts;

/// <summary>
/// A request was refused after it was accepted: by moderation, or because the message it changes was deleted
/// meanwhile. Only its sender is told; nothing is stored or delivered. <see cref="Request"/> is <c>send</c> for a
/// new message, else the <see cref="MessageChanges"/> kind, and <see cref="ClientMessageId"/> is then the change id.
/// </summary>
public sealed record MessageRejected(
    Guid MessageId,
    Guid RoomId,
    string ClientMessageId,
    Guid SenderId,
    string Reason,
    DateTimeOffset RejectedAt,
    string Request = "send");
