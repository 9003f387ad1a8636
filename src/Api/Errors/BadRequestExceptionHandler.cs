using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Diagnostics;

namespace EventChat.Api.Errors;

/// <summary>
/// Turns a request the framework could not bind (malformed JSON, a field of the wrong type, a query value that is
/// not a number) into a problem details answer with the framework's reason, instead of a bare 400 or a 500.
/// </summary>
public sealed partial class BadRequestExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(
        HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException bad)
        {
            return false;
        }

        return await problems.WriteAsync(httpContext, exception, bad.StatusCode, "Invalid request", Explain(bad));
    }

    /// <summary>The framework's reason in the client's terms, without the server's type names.</summary>
    private static string Explain(BadHttpRequestException bad)
    {
        if (bad.InnerException is JsonException json)
        {
            return json.Path is { Length: > 1 } path
                ? $"The JSON body could not be read at {path}: a value is missing, malformed or of the wrong type."
                : "The request body is not a JSON object of the expected shape.";
        }

        if (Problems.DetailFor(bad.StatusCode) is string detail)
        {
            return detail;
        }

        if (BindFailure().Match(bad.Message) is { Success: true } match)
        {
            return $"{match.Groups["name"].Value}: \"{match.Groups["value"].Value}\" is not a valid value.";
        }

        return bad.StatusCode == StatusCodes.Status400BadRequest && bad.Message.Contains("body", StringComparison.Ordinal)
            ? "The request needs a JSON body."
            : "The request could not be read.";
    }

    [GeneratedRegex("^Failed to bind parameter \"(?:[^\"]* )?(?<name>\\w+)\" from \"(?<value>.*)\"\\.$")]
    private static partial Regex BindFailure();
}
