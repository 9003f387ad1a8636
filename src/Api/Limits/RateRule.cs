namespace EventChat.Api.Limits;

/// <summary>
/// A token bucket: up to <see cref="Permits"/> at once, refilled evenly so that <see cref="Permits"/> more are
/// allowed every <see cref="Period"/>. A quiet client may burst to the full count; a busy one settles at the rate.
/// </summary>
public sealed class RateRule
{
    public int Permits { get; set; }

    public TimeSpan Period { get; set; }

    public RateRule()
    {
    }

    public RateRule(int permits, TimeSpan period)
    {
        Permits = permits;
        Period = period;
    }

    /// <summary>How long one permit takes to come back.</summary>
    public TimeSpan RefillInterval => Period / Permits;

    public void Validate(string name)
    {
        if (Permits is < 1 or > 100_000_000 || Period < TimeSpan.FromSeconds(1) || Period > TimeSpan.FromDays(1))
        {
            throw new InvalidOperationException(
                $"Limits:{name} needs Permits from 1 to 100000000 and a Period from 1 second to 1 day.");
        }
    }
}
