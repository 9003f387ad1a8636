namespace EventChat.Infrastructure.Redis;

/// <summary>
/// Counts distinct events per key in fixed windows, shared by every process that uses the same store. An event
/// is placed in the window of the time it happened, not of the time it is counted, so a backlog that is worked
/// off late is judged by when it was sent; and counting the same event twice changes nothing.
/// </summary>
public interface IRateCounter
{
    /// <summary>Counts <paramref name="eventId"/> for <paramref name="key"/>; returns the distinct count in its window.</summary>
    Task<long> CountAsync(
        string key, string eventId, DateTimeOffset at, TimeSpan window, CancellationToken cancellationToken);
}
