namespace EventChat.Api.Errors;

public static class Problems
{
    /// <summary>Answers an exception as RFC 9457 problem details with the given status, title and client-facing detail.</summary>
    public static ValueTask<bool> WriteAsync(
        this IProblemDetailsService problems, HttpContext httpContext, Exception exception, int status, string title,
        string detail)
    {
        httpContext.Response.StatusCode = status;
        return problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails =
            {
                Status = status,
                Title = title,
                Detail = detail,
            },
        });
    }
}
