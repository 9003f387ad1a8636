namespace EventChat.Api.Limits;

/// <summary>Token buckets that every edge sharing the store draws from, so a client gains nothing by moving edges.</summary>
public interface IRateLimitStore
{
    /// <summary>Takes one permit from the bucket <paramref name="key"/> under <paramref name="rule"/>, atomically.</summary>
    Task<RateDecision> TakeAsync(string key, RateRule rule, CancellationToken cancellationToken);

    /// <summary>Whether the store is connected, so that a late answer means it is busy rather than gone.</summary>
    bool IsConnected { get; }
}
