namespace EventChat.Infrastructure.Data.Entities;

/// <summary>A member's report of a message, open until a room admin resolves it with an outcome.</summary>
public sealed class MessageReport
{
    public Guid Id { get; set; }

    public Guid RoomId { get; set; }

    public Guid MessageId { get; set; }

    public Guid SenderId { get; set; }

    public Guid ReporterId { get; set; }

    public string? Reason { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public Guid? ResolvedBy { get; set; }

    public DateTimeOffset? ResolvedAt { get; set; }

    public string? Outcome { get; set; }
}
