namespace EventChat.Infrastructure.Data.Entities;

/// <summary>Records that a consumer has already handled a message, so a redelivery changes nothing.</summary>
public sealed class InboxMessage
{
    public required string Consumer { get; set; }

    public Guid MessageId { get; set; }

    public DateTimeOffset ProcessedAt { get; set; }
}
