using EventChat.Api.Auth;
using EventChat.Infrastructure.Data;
using EventChat.Infrastructure.Presence;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.SignalR;

namespace EventChat.Api.Limits;

/// <summary>
/// Refuses a new hub connection, before it is made, when the user already holds
/// <see cref="LimitsOptions.ConnectionsPerUser"/> on all edges together, as presence counts them. A new connection
/// starts with a negotiate request, or with a WebSocket request that skips it; the requests that carry an existing
/// connection's id (the socket after negotiate, server-sent events, long polling, a stateful reconnect) are not new.
/// </summary>
/// <remarks>
/// Counting and connecting are two steps, so connections opened at the same instant on several edges can pass
/// the limit by their number; each of them still counts against the next one.
/// The hub's endpoints are told apart by the metadata routing chose, not by the path, which routing matches more
/// loosely (a trailing slash, any case). The WebSocket handshake is read from the request's headers and method:
/// SignalR installs its WebSocket feature only once its own endpoint runs, so until then
/// <c>HttpContext.WebSockets</c> knows nothing of an upgrade.
/// </remarks>
public sealed partial class ConnectionLimitMiddleware(
    RequestDelegate next, IPresenceStore presence, LimitsOptions options, ILogger<ConnectionLimitMiddleware> logger)
{
    /// <summary>Connections end whenever a device goes away; a few seconds is a fair time to look again.</summary>
    public static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(10);

    public async Task InvokeAsync(HttpContext context)
    {
        if (IsNewConnection(context) && context.User.Identity?.IsAuthenticated == true)
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

    /// <summary>
    /// Whether the request would open a new hub connection: a negotiate, or a WebSocket handshake without the id of
    /// a negotiated connection (SignalR creates a connection for an empty id as for none).
    /// </summary>
    public static bool IsNewConnection(HttpContext context)
    {
        var metadata = context.GetEndpoint()?.Metadata;
        if (metadata?.GetMetadata<HubMetadata>() is null)
        {
            return false;
        }

        if (metadata.GetMetadata<NegotiateMetadata>() is not null)
        {
            return true;
        }

        return string.IsNullOrEmpty(context.Request.Query["id"]) && IsWebSocketHandshake(context);
    }

    /// <summary>
    /// An HTTP/1.1 upgrade to WebSocket, or an extended CONNECT (HTTP/2 and later), which is the only CONNECT that
    /// names a path and so reaches the hub. Looser than the WebSocket middleware's own test, never stricter.
    /// </summary>
    private static bool IsWebSocketHandshake(HttpContext context)
    {
        if (HttpMethods.IsConnect(context.Request.Method)
            || context.Features.Get<IHttpExtendedConnectFeature>()?.IsExtendedConnect == true
            || context.WebSockets.IsWebSocketRequest)
        {
            return true;
        }

        foreach (var value in context.Request.Headers.Upgrade)
        {
            foreach (var protocol in (value ?? string.Empty).Split(',', StringSplitOptions.TrimEntries))
            {
                if (protocol.Equals("websocket", StringComparison.OrdinalIgnoreCase)
                    || protocol.StartsWith("websocket/", StringComparison.OrdinalIgnoreCase))
                {
                    return true;
                }
            }
        }

        return false;
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
