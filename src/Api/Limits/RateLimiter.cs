using EventChat.Infrastructure.Data;

namespace EventChat.Api.Limits;

/// <summary>
/// The edge's limits, and what happens when the shared store is unreachable. Sending, joining and creating rooms
/// fail open: an outage of Redis must not stop a chat that PostgreSQL and RabbitMQ can still carry, and the
/// moderation worker's flood rule still applies to messages. Logins fail closed (503 with <c>Retry-After</c>):
/// letting guesses through unlimited while nobody is counting is what an attacker would wait for.
/// </summary>
public sealed partial class RateLimiter(IRateLimitStore store, LimitsOptions options, ILogger<RateLimiter> logger)
{
    /// <summary>A store that does not answer within this is treated as unreachable, so a request never hangs on it.</summary>
    public static readonly TimeSpan StoreTimeout = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How long a store that is still connected may take in all. On a busy machine an answer can come late without
    /// the store being gone, and a login refused for that would be an outage the store never had.
    /// </summary>
    public static readonly TimeSpan BusyStoreTimeout = TimeSpan.FromSeconds(5);

    private long _nextOutageLogTicks;

    public RateLimit Messages { get; } = new("messages", "messages", options.Messages, FailOpen: true);

    public RateLimit Joins { get; } = new("joins", "rooms joined", options.Joins, FailOpen: true);

    public RateLimit RoomCreations { get; } = new("rooms", "rooms created", options.RoomCreations, FailOpen: true);

    public RateLimit LoginsPerAccount { get; } =
        new("login-account", "login attempts for this account", options.LoginsPerAccount, FailOpen: false);

    public RateLimit LoginsPerAddress { get; } =
        new("login-address", "login attempts from this address", options.LoginsPerAddress, FailOpen: false);

    public RateLimit RegistrationsPerAddress { get; } =
        new("register-address", "accounts registered from this address", options.RegistrationsPerAddress, FailOpen: true);

    public Task EnsureAsync(RateLimit limit, Guid userId, CancellationToken cancellationToken) =>
        EnsureAsync(limit, userId.ToString("N"), cancellationToken);

    /// <summary>Takes a permit for <paramref name="subject"/>, or throws <see cref="RateLimitedException"/>.</summary>
    public async Task EnsureAsync(RateLimit limit, string subject, CancellationToken cancellationToken)
    {
        RateDecision decision;
        try
        {
            decision = await WaitForStoreAsync(
                store.TakeAsync($"{limit.Name}:{subject}", limit.Rule, cancellationToken), cancellationToken);
        }
        catch (Exception ex) when (limit.FailOpen && IsOutage(ex))
        {
            LogOutage(ex, limit);
            return;
        }

        if (!decision.Allowed)
        {
            Log.Limited(logger, limit.Name, decision.RetryAfter.TotalMilliseconds);
            throw new RateLimitedException(limit.What, decision.RetryAfter);
        }
    }

    private async Task<RateDecision> WaitForStoreAsync(Task<RateDecision> answer, CancellationToken cancellationToken)
    {
        try
        {
            return await answer.WaitAsync(StoreTimeout, cancellationToken);
        }
        catch (TimeoutException) when (store.IsConnected)
        {
            return await answer.WaitAsync(BusyStoreTimeout - StoreTimeout, cancellationToken);
        }
    }

    private static bool IsOutage(Exception exception) => TransientFailures.IsStoreUnavailable(exception);

    /// <summary>One warning per ten seconds: during an outage every request would log otherwise.</summary>
    private void LogOutage(Exception exception, RateLimit limit)
    {
        var now = DateTime.UtcNow.Ticks;
        var next = Interlocked.Read(ref _nextOutageLogTicks);
        if (now >= next
            && Interlocked.CompareExchange(ref _nextOutageLogTicks, now + TimeSpan.TicksPerSecond * 10, next) == next)
        {
            Log.FailedOpen(logger, exception, limit.Name);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 9201, EventName = "RateLimited", Level = LogLevel.Debug,
            Message = "Refused over the {Limit} limit; the next permit is free in {RetryAfterMs} ms")]
        public static partial void Limited(ILogger logger, string limit, double retryAfterMs);

        [LoggerMessage(EventId = 9202, EventName = "RateLimitFailedOpen", Level = LogLevel.Warning,
            Message = "The rate limit store is unreachable; the {Limit} limit lets requests through meanwhile")]
        public static partial void FailedOpen(ILogger logger, Exception exception, string limit);
    }
}
