namespace EventChat.Infrastructure.Data.Entities;

public sealed class Notification
{
    public Guid Id { get; set; }

    public Guid UserId { get; set; }

    public Guid RoomId { get; set; }

    public Guid MessageId { get; set; }

    public long Seq { get; set; }

    public required string Kind { get; set; }

    public Guid SenderId { get; set; }

    public required string SenderName { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? ReadAt { get; set; }
}
