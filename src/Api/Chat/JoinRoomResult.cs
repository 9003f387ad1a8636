namespace EventChat.Api.Chat;

public sealed record JoinRoomResult(Guid RoomId, long LastSeq);
