namespace EventChat.Infrastructure.Data.Entities;

/// <summary>
/// A member whose messages a room refuses until <see cref="Until"/>. Not to be confused with
/// <see cref="RoomMember.Muted"/>, which is a member silencing a room's notifications for themselves.
/// </summary>
public sealed class RoomMute
{
    public Guid RoomId { get; set; }

    public Guid UserId { get; set; }

    public DateTimeOffset Until { get; set; }

    /// <summary>The owner or admin who muted the member; null for a mute the moderation worker imposed.</summary>
    public Guid? MutedBy { get; set; }

    public DateTimeOffset MutedAt { get; set; }

    public string? Reason { get; set; }
}
