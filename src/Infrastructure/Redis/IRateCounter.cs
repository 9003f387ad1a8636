namespace EventChat.Infrastructure.Redis;

/// <summary>Counts events per key in fixed windows, shared by every process that uses the same store.</summary>
public interface IRateCounter
{
    /// <summary>Counts one event for <paramref name="key"/> and returns the count in the current window.</summary>
    Task<long> IncrementAsync(string key, TimeSpan window, CancellationToken cancellationToken);
}
