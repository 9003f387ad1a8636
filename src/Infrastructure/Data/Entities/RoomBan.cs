namespace EventChat.Infrastructure.Data.Entities;

/// <summary>A user who may not join or be added to a room until <see cref="Until"/>, or ever when it is null.</summary>
public sealed class RoomBan
{
    public Guid RoomId { get; set; }

    public Guid UserId { get; set; }

    public DateTimeOffset? Until { get; set; }

    public Guid BannedBy { get; set; }

    public DateTimeOffset BannedAt { get; set; }

    public string? Reason { get; set; }

    public bool ActiveAt(DateTimeOffset now) => Until is null || Until > now;
}
