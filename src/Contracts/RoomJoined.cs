namespace EventChat.Contracts;

/// <summary>A user became a member of a room.</summary>
public sealed record RoomJoined(Guid RoomId, Guid UserId, string UserName, DateTimeOffset JoinedAt);
