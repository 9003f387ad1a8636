using System.Globalization;

namespace EventChat.Api.Limits;

/// <summary>A request over a limit: answered 429 with <c>Retry-After</c> over HTTP, as a <c>HubException</c> on the hub.</summary>
public sealed class RateLimitedException(string what, TimeSpan retryAfter)
    : Exception($"Too many {what}: try again in {Seconds(retryAfter)} s.")
{
    /// <summary>The wait in whole seconds, rounded up and at least one, as <c>Retry-After</c> takes it.</summary>
    public int RetryAfterSeconds { get; } = Seconds(retryAfter);

    public string RetryAfterHeader => RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);

    private static int Seconds(TimeSpan wait) => Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
}
