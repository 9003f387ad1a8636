namespace EventChat.IntegrationTests.Support;

public sealed record ReadReceipt(Guid RoomId, Guid UserId, string UserName, long LastReadSeq);
