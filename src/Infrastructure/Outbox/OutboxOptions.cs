namespace EventChat.Infrastructure.Outbox;

public sealed class OutboxOptions
{
    /// <summary>How many rows one relay pass reads and publishes.</summary>
    public int BatchSize { get; set; } = 200;

    /// <summary>
    /// A safety net only: writers wake the relay directly. The poll finds rows left by a process that died
    /// between its commit and its publish, or written by another process.
    /// </summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>How long to wait before trying again while another process's relay holds the lock.</summary>
    public TimeSpan BusyRetry { get; set; } = TimeSpan.FromMilliseconds(20);
}
