namespace EventChat.Infrastructure.Data.Entities;

public sealed class StoredMessage
{
    public Guid RoomId { get; set; }

    public long Seq { get; set; }

    public Guid MessageId { get; set; }

    public required string ClientMessageId { get; set; }

    public Guid SenderId { get; set; }

    public required string SenderName { get; set; }

    public required string Text { get; set; }

    public DateTimeOffset SentAt { get; set; }

    public DateTimeOffset PostedAt { get; set; }
}
