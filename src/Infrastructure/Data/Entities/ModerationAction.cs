namespace EventChat.Infrastructure.Data.Entities;

/// <summary>One row of the append-only moderation log; the database refuses to change or delete it.</summary>
public sealed class ModerationAction
{
    public long Id { get; set; }

    public Guid ActionId { get; set; }

    public Guid RoomId { get; set; }

    public required string Action { get; set; }

    /// <summary>Null for an action the moderation worker took on its own.</summary>
    public Guid? ActorId { get; set; }

    public string? ActorName { get; set; }

    public Guid? UserId { get; set; }

    public Guid? MessageId { get; set; }

    public Guid? ReportId { get; set; }

    public string? Reason { get; set; }

    public DateTimeOffset? Until { get; set; }

    public DateTimeOffset OccurredAt { get; set; }
}
