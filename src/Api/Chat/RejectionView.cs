namespace EventChat.Api.Chat;

/// <summary>Sent to the sender alone (<c>MessageRejected</c>) when moderation refuses a message.</summary>
public sealed record RejectionView(Guid RoomId, string ClientMessageId, Guid MessageId, string Reason);
