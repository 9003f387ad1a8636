namespace EventChat.Api.Limits;

/// <summary>Whether a permit was taken, and if not, how long until the next one is free.</summary>
public readonly record struct RateDecision(bool Allowed, TimeSpan RetryAfter)
{
    public static RateDecision Allow { get; } = new(true, TimeSpan.Zero);

    public static RateDecision Wait(TimeSpan retryAfter) => new(false, retryAfter);
}
