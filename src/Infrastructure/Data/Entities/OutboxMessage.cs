namespace EventChat.Infrastructure.Data.Entities;

/// <summary>An event written in the same transaction as the state change it announces, published later.</summary>
public sealed class OutboxMessage
{
    /// <summary>Assigned by the database; the relay publishes in this order.</summary>
    public long Id { get; set; }

    public Guid MessageId { get; set; }

    public required string MessageType { get; set; }

    public required string Payload { get; set; }

    /// <summary>Events with the same key (the room) are published one after another, in id order.</summary>
    public required string PartitionKey { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}
