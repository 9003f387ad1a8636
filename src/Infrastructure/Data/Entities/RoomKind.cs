namespace EventChat.Infrastructure.Data.Entities;

public enum RoomKind
{
    /// <summary>A named room, public or private.</summary>
    Channel = 0,

    /// <summary>The one private room of two users.</summary>
    Direct = 1,

    /// <summary>A private conversation of several users, opened without a name.</summary>
    Group = 2,
}
