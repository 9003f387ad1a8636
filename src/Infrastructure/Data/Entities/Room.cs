namespace EventChat.Infrastructure.Data.Entities;

public sealed class Room
{
    public Guid Id { get; set; }

    public required string Name { get; set; }

    public RoomVisibility Visibility { get; set; }

    public Guid OwnerId { get; set; }

    /// <summary>The sequence number of the room's newest stored message; 0 while it has none.</summary>
    public long LastSeq { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}
