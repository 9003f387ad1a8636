namespace EventChat.LoadTest.Common;

/// <summary>
/// How registration and login retry an edge that answers 503 (unavailable) or 429 (too many requests):
/// <see cref="Attempts"/> tries in all, waiting the answer's <c>Retry-After</c> when it gives one (capped at
/// <see cref="MaxRetryAfter"/>), else an exponential backoff from <see cref="FirstDelay"/> up to
/// <see cref="MaxDelay"/>, with jitter so many simulated users do not retry in step.
/// </summary>
public sealed record RetryPolicy(int Attempts, TimeSpan FirstDelay, TimeSpan MaxDelay, TimeSpan MaxRetryAfter)
{
    public static RetryPolicy Default { get; } =
        new(6, TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(8), TimeSpan.FromSeconds(30));

    /// <summary>The wait after try number <paramref name="attempt"/> failed.</summary>
    public TimeSpan Delay(int attempt, TimeSpan? retryAfter)
    {
        if (retryAfter is { } asked)
        {
            return asked < TimeSpan.Zero ? TimeSpan.Zero : asked > MaxRetryAfter ? MaxRetryAfter : asked;
        }

        var backoff = FirstDelay * Math.Pow(2, Math.Min(attempt - 1, 16));
        var capped = backoff > MaxDelay ? MaxDelay : backoff;
        return capped * (0.5 + (Random.Shared.NextDouble() / 2));
    }
}
