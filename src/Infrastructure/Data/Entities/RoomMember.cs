namespace EventChat.Infrastructure.Data.Entities;

public sealed class RoomMember
{
    public Guid RoomId { get; set; }

    public Guid UserId { get; set; }

    public RoomRole Role { get; set; }

    public DateTimeOffset JoinedAt { get; set; }

    /// <summary>The member's read watermark: every event up to this number counts as read.</summary>
    public long LastReadSeq { get; set; }

    /// <summary>A muted room creates no notifications for this member.</summary>
    public bool Muted { get; set; }
}
