namespace EventChat.Infrastructure.Data.Entities;

public enum RoomRole
{
    Member = 0,
    Admin = 1,
    Owner = 2,
}
