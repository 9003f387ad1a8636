using EventChat.Api.Limits;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.Json;

namespace EventChat.Api.Errors;

public static class ErrorServiceExtensions
{
    /// <summary>Every error answer is RFC 9457 problem details; a bad request is never a 500, in any environment.</summary>
    public static IServiceCollection AddChatErrors(this IServiceCollection services)
    {
        services.AddProblemDetails(o => o.CustomizeProblemDetails = c =>
            c.ProblemDetails.Detail ??= Problems.DetailFor(c.ProblemDetails.Status ?? c.HttpContext.Response.StatusCode));
        services.AddExceptionHandler<BadRequestExceptionHandler>();
        services.AddExceptionHandler<UnavailableExceptionHandler>();
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.Configure<JsonOptions>(o =>
        {
            o.SerializerOptions.AllowTrailingCommas = false;

            // The web defaults read "5" as the number 5; a field of the wrong type is the client's mistake to hear of.
            o.SerializerOptions.NumberHandling = JsonNumberHandling.Strict;
        });
        services.Configure<ExceptionHandlerOptions>(o =>
            o.SuppressDiagnosticsCallback = c => c.Exception is BadHttpRequestException or RateLimitedException
                || c.HttpContext.Response.StatusCode == StatusCodes.Status503ServiceUnavailable);
        return services;
    }
}
