namespace EventChat.Api.Chat;

public sealed record SendMessageResult(Guid MessageId, string ClientMessageId);
