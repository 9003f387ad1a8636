using EventChat.Infrastructure.Data;
using Microsoft.AspNetCore.Diagnostics;

namespace EventChat.Api.Errors;

/// <summary>
/// Answers a request that failed because PostgreSQL or Redis could not be reached (down, restarting, or out of
/// connection slots) with 503 and <c>Retry-After</c>, so clients retry instead of treating it as a bug.
/// </summary>
public sealed partial class UnavailableExceptionHandler(
    IProblemDetailsService problems, ILogger<UnavailableExceptionHandler> logger) : IExceptionHandler
{
    public const int RetryAfterSeconds = 2;

    public async ValueTask<bool> TryHandleAsync(
        HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (!TransientFailures.IsStoreUnavailable(exception))
        {
            return false;
        }

        Log.Unavailable(logger, exception, httpContext.Request.Method, httpContext.Request.Path);
        httpContext.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return await problems.WriteAsync(httpContext, exception, StatusCodes.Status503ServiceUnavailable,
            "Service unavailable", "A data store is unavailable right now. Try again shortly.");
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 9101, EventName = "StoreUnavailable", Level = LogLevel.Warning,
            Message = "{Method} {Path} failed because a data store could not be reached; answered 503")]
        public static partial void Unavailable(ILogger logger, Exception exception, string method, string path);
    }
}
