namespace EventChat.Workers.Retention;

public sealed class RetentionOptions
{
    /// <summary>How long the job waits between two runs.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How many sequence numbers of one room one transaction removes; small enough that the room's row lock,
    /// which writers to that room wait for, is held only briefly.
    /// </summary>
    public int BatchSize { get; set; } = 1000;

    public void Validate()
    {
        if (Interval <= TimeSpan.Zero)
        {
            throw new InvalidOperationException("Retention:Interval must be positive.");
        }

        if (BatchSize is < 1 or > 100_000)
        {
            throw new InvalidOperationException("Retention:BatchSize must be between 1 and 100000.");
        }
    }
}
