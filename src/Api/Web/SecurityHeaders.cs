namespace EventChat.Api.Web;

/// <summary>
/// Headers for every answer, the page's and the API's alike. The policy allows what the page at <c>/</c> uses
/// (its own scripts, styles and the hub's WebSocket, all same-origin) and nothing else; no site may frame it.
/// </summary>
public static class SecurityHeaders
{
    public const string ContentSecurityPolicy =
        "default-src 'self'; connect-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; " +
        "form-action 'none'; frame-ancestors 'none'";

    /// <summary>Set as the answer starts, so that an error answer, whose headers the exception handler clears, has them too.</summary>
    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) =>
        app.Use((context, next) =>
        {
            context.Response.OnStarting(Apply, context.Response.Headers);
            return next(context);
        });

    private static Task Apply(object state)
    {
        var headers = (IHeaderDictionary)state;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        headers["Cross-Origin-Opener-Policy"] = "same-origin";
        headers["Cross-Origin-Resource-Policy"] = "same-origin";
        headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), payment=()";
        return Task.CompletedTask;
    }
}
