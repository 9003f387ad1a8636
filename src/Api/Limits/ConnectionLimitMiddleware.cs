using EventChat.Api.Auth;
using EventChat.Infrastructure.Data;
using EventChat.Infrastructure.Presence;

namespace EventChat.Api.Limits;

/// <summary>
/// Refuses a new hub connection, before it is made, when the user already holds
/// <see cref="LimitsOptions.ConnectionsPerUser"/> on all edges together, as presence counts them. A new connection
/// starts with a negotiate request, or with a WebSocket request that skips it; the requests that carry an existing
/// connection's id (the socket after negotiate, long polling, a stateful reconnect) are not new.
/// </summary>
/// <remarks>
/// Counting and connecting are two steps, so connections opened at the same instant on several edges can pass
/// the limit by their number; each of them still counts against the next one.
/// </remarks>
public sealed partial class ConnectionLimitMiddleware(
    RequestDelegate next, IPresenceStore presence, LimitsOptions options, ILogger<ConnectionLimitMiddleware> logger)
{
    public const string HubPath = "/hubs/chat";

    /// <summary>Connections end whenever a device goes away; a few seconds is a fair time to look again.</summary>
    public static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(10);

    public async Task InvokeAsync(HttpContext context)
    {
        if (IsNewConnection(context.Request) && context.User.Identity?.IsAuthenticated == true)
        {
            var userId = context.User.UserId();
            var held = await CountAsync(userId, context.RequestAborted);
            if (held >= options.ConnectionsPerUser)
            {
                Log.Refused(logger, userId, held);
                throw new RateLimitedException(
                    $"open connections (at most {options.ConnectionsPerUser} per user)", RetryAfter);
            }
        }

        await next(context);
    }

    private static bool IsNewConnection(HttpRequest request)
    {
        if (!request.Path.StartsWithSegments(HubPath, out var rest))
        {
            return false;
        }

        return rest.Equals("/negotiate", StringComparison.OrdinalIgnoreCase)
            || (!rest.HasValue && request.HttpContext.WebSockets.IsWebSocketRequest && !request.Query.ContainsKey("id"));
    }

    /// <summary>Fails open: presence in Redis being out of reach is no reason to keep users from connecting.</summary>
    private async Task<int> CountAsync(Guid userId, CancellationToken cancellationToken)
    {
        try
        {
            return await presence.ConnectionCountAsync(userId, cancellationToken)
                .WaitAsync(RateLimiter.StoreTimeout, cancellationToken);
        }
        catch (Exception ex) when (TransientFailures.IsStoreUnavailable(ex))
        {
            Log.FailedOpen(logger, ex, userId);
            return 0;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 9203, EventName = "ConnectionLimited", Level = LogLevel.Debug,
            Message = "Refused a new connection of user {UserId}, who holds {Held}")]
        public static partial void Refused(ILogger logger, Guid userId, int held);

        [LoggerMessage(EventId = 9204, EventName = "ConnectionLimitFailedOpen", Level = LogLevel.Warning,
            Message = "Could not count the connections of user {UserId}; let the new one through")]
        public static partial void FailedOpen(ILogger logger, Exception exception, Guid userId);
    }
}
