namespace EventChat.IntegrationTests.Support;

/// <summary>What a <c>message.posted</c> event and the message's history entry must agree on.</summary>
public sealed record PostedMessage(
    Guid RoomId,
    long Seq,
    Guid MessageId,
    string ClientMessageId,
    Guid SenderId,
    string SenderName,
    string? Text,
    Guid? ReplyToMessageId,
    DateTimeOffset SentAt);
