namespace EventChat.Infrastructure.Data.Entities;

public enum RoomVisibility
{
    Public = 0,
    Private = 1,
}
