namespace EventChat.LoadTest.Chat;

/// <summary>A message its sender got an acknowledgement for.</summary>
public sealed record AckedMessage(long Counter, string ClientMessageId, Guid MessageId);
