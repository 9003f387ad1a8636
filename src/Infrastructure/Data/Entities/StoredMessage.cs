namespace EventChat.Infrastructure.Data.Entities;

/// <summary>A message in its current state. <see cref="Seq"/> is the number of the event that posted it.</summary>
public sealed class StoredMessage
{
    public Guid RoomId { get; set; }

    public long Seq { get; set; }

    public Guid MessageId { get; set; }

    public required string ClientMessageId { get; set; }

    public Guid SenderId { get; set; }

    public required string SenderName { get; set; }

    /// <summary>The current text; empty once the message is deleted.</summary>
    public required string Text { get; set; }

    public Guid? ReplyToMessageId { get; set; }

    public DateTimeOffset SentAt { get; set; }

    public DateTimeOffset PostedAt { get; set; }

    public DateTimeOffset? EditedAt { get; set; }

    public DateTimeOffset? DeletedAt { get; set; }
}
