namespace EventChat.Api.Rooms;

public sealed record CreateRoomRequest(string? Name, string? Visibility);
