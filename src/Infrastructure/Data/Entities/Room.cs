namespace EventChat.Infrastructure.Data.Entities;

public sealed class Room
{
    public Guid Id { get; set; }

    public required string Name { get; set; }

    /// <summary>Lower-case invariant form of <see cref="Name"/>, for finding public rooms by name.</summary>
    public required string NormalizedName { get; set; }

    public RoomKind Kind { get; set; }

    public RoomVisibility Visibility { get; set; }

    /// <summary>For a direct message between two users, both ids in order; one such room per pair.</summary>
    public string? DirectKey { get; set; }

    public Guid OwnerId { get; set; }

    /// <summary>The sequence number of the room's newest event; 0 while it has none.</summary>
    public long LastSeq { get; set; }

    /// <summary>The oldest sequence number still stored; retention raises it when it removes older events.</summary>
    public long FirstSeq { get; set; } = 1;

    /// <summary>Events older than this many days are removed; null keeps them forever.</summary>
    public int? RetentionDays { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}
