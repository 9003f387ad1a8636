namespace EventChat.Api.Limits;

/// <summary>
/// The state of one bucket: the permits left, as a fraction, at a time in Unix milliseconds. The Redis script
/// does the same arithmetic; a bucket that has not been touched for a whole period is full, so it can be forgotten.
/// </summary>
public readonly record struct TokenBucket(double Tokens, long AtMs)
{
    public static TokenBucket Full(RateRule rule, long nowMs) => new(rule.Permits, nowMs);

    /// <summary>Refills for the time passed, then takes one permit if there is a whole one.</summary>
    public (TokenBucket Next, RateDecision Decision) Take(RateRule rule, long nowMs)
    {
        var periodMs = rule.Period.TotalMilliseconds;
        var tokens = Math.Min(rule.Permits, Tokens + (Math.Max(0, nowMs - AtMs) * rule.Permits / periodMs));
        if (tokens >= 1)
        {
            return (new TokenBucket(tokens - 1, nowMs), RateDecision.Allow);
        }

        var waitMs = Math.Ceiling((1 - tokens) * periodMs / rule.Permits);
        return (this, RateDecision.Wait(TimeSpan.FromMilliseconds(waitMs)));
    }
}
