using EventChat.Api.Errors;
using Microsoft.AspNetCore.Diagnostics;

namespace EventChat.Api.Limits;

/// <summary>Answers a request over a limit with 429, <c>Retry-After</c> and problem details saying how long to wait.</summary>
public sealed class TooManyRequestsExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(
        HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not RateLimitedException limited)
        {
            return false;
        }

        httpContext.Response.Headers.RetryAfter = limited.RetryAfterHeader;
        return await problems.WriteAsync(httpContext, exception, StatusCodes.Status429TooManyRequests,
            "Too many requests", limited.Message);
    }
}
