using Microsoft.AspNetCore.Diagnostics;

namespace EventChat.Api.Errors;

/// <summary>
/// Turns a request the framework could not bind (malformed JSON, a field of the wrong type, a query value that is
/// not a number) into a problem details answer with the framework's reason, instead of a bare 400 or a 500.
/// </summary>
public sealed class BadRequestExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(
        HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException bad)
        {
            return false;
        }

        httpContext.Response.StatusCode = bad.StatusCode;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails =
            {
                Status = bad.StatusCode,
                Title = "Invalid request",
                Detail = bad.InnerException is { } inner ? $"{bad.Message} {inner.Message}" : bad.Message,
            },
        });
    }
}
