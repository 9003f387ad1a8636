namespace EventChat.IntegrationTests.Support;

/// <summary>The hub's <c>MessageRejected</c>: for a change, <see cref="ClientMessageId"/> is the change id.</summary>
public sealed record Rejection(Guid RoomId, string ClientMessageId, Guid MessageId, string Reason, string? Request);
