using EventChat.Api.Limits;
using Microsoft.AspNetCore.SignalR;

namespace EventChat.Api.Chat;

/// <summary>
/// Logs hub failures by kind. A <see cref="HubException"/> is the client's mistake, answered with its reason, so it
/// is logged at Debug, and so is a call over a rate limit, which the client is told as a <see cref="HubException"/>
/// with the wait; anything else is ours and logged as an error. SignalR's own per-invocation error log is
/// switched off in appsettings.json, since it logged every client mistake with a stack trace.
/// </summary>
public sealed partial class HubErrorFilter(ILogger<HubErrorFilter> logger) : IHubFilter
{
    public async ValueTask<object?> InvokeMethodAsync(
        HubInvocationContext invocationContext, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        try
        {
            return await next(invocationContext);
        }
        catch (RateLimitedException ex)
        {
            Log.Refused(logger, invocationContext.HubMethodName, invocationContext.Context.ConnectionId, ex.Message);
            throw new HubException(ex.Message);
        }
        catch (HubException ex)
        {
            Log.Refused(logger, invocationContext.HubMethodName, invocationContext.Context.ConnectionId, ex.Message);
            throw;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.Failed(logger, ex, invocationContext.HubMethodName, invocationContext.Context.ConnectionId);
            throw;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 5201, EventName = "InvocationRefused", Level = LogLevel.Debug,
            Message = "{Method} from {ConnectionId} refused: {Reason}")]
        public static partial void Refused(ILogger logger, string method, string connectionId, string reason);

        [LoggerMessage(EventId = 5202, EventName = "InvocationFailed", Level = LogLevel.Error,
            Message = "{Method} from {ConnectionId} failed")]
        public static partial void Failed(ILogger logger, Exception exception, string method, string connectionId);
    }
}
