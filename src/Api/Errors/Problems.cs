namespace EventChat.Api.Errors;

public static class Problems
{
    /// <summary>
    /// The reason for a status the framework answers by itself, with no detail of its own: a body over the limit is
    /// refused while it is read, and a body that is not JSON before the endpoint runs.
    /// </summary>
    public static string? DetailFor(int status) => status switch
    {
        StatusCodes.Status413PayloadTooLarge => "The request body is larger than this server accepts.",
        StatusCodes.Status415UnsupportedMediaType =>
            "The request body must be JSON, sent with Content-Type: application/json.",
        _ => null,
    };

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
