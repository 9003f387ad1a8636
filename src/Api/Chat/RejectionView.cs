namespace EventChat.Api.Chat;

/// <summary>
/// Sent to the sender alone (<c>MessageRejected</c>) when a request is refused after it was accepted.
/// <see cref="Request"/> is <c>send</c>, or the kind of change; for a change, <see cref="ClientMessageId"/> holds
/// the change id that the hub returned.
/// </summary>
public sealed record RejectionView(Guid RoomId, string ClientMessageId, Guid MessageId, string Reason, string Request);
