namespace EventChat.Infrastructure.Data.Entities;

/// <summary>A room event as stored: its number, its type and the JSON of the whole event.</summary>
public sealed class StoredEvent
{
    public Guid RoomId { get; set; }

    public long Seq { get; set; }

    public required string Type { get; set; }

    /// <summary>The message the event is about, if any; a delete finds the events whose text it must erase by it.</summary>
    public Guid? MessageId { get; set; }

    public required string Payload { get; set; }

    /// <summary>When it happened, in Unix milliseconds, so retention can compare it in every database.</summary>
    public long OccurredUnixMs { get; set; }
}
