namespace EventChat.IntegrationTests.Support;

public sealed record UserTyping(Guid RoomId, Guid UserId, string UserName);
