namespace EventChat.Infrastructure.Data.Entities;

/// <summary>One pass of the retention job, kept so operators can see what it removed and when.</summary>
public sealed class RetentionRun
{
    public long Id { get; set; }

    public DateTimeOffset StartedAt { get; set; }

    public DateTimeOffset FinishedAt { get; set; }

    public int RoomsTruncated { get; set; }

    public long EventsDeleted { get; set; }

    public long MessagesDeleted { get; set; }
}
