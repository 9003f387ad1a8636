namespace EventChat.Infrastructure.Data.Entities;

/// <summary>One user's reaction of one kind on one message.</summary>
public sealed class MessageReaction
{
    public Guid MessageId { get; set; }

    public required string Emoji { get; set; }

    public Guid UserId { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}
