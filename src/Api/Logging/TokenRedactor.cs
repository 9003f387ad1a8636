using System.Text.RegularExpressions;

namespace EventChat.Api.Logging;

/// <summary>
/// Finds tokens in text that is about to be logged: the value of an <c>access_token</c> (or <c>refresh_token</c>,
/// <c>id_token</c>) query parameter, which browsers put in the URL of WebSocket and server-sent-event requests, and
/// anything shaped like a JWT, wherever it appears.
/// </summary>
public static partial class TokenRedactor
{
    public const string Redacted = "[redacted]";

    /// <summary>A cheap first look: text without either sign holds no token.</summary>
    public static bool MayHoldToken(string text) =>
        text.Contains("_token=", StringComparison.OrdinalIgnoreCase) || text.Contains("eyJ", StringComparison.Ordinal);

    public static string Redact(string text) =>
        MayHoldToken(text)
            ? Tokens().Replace(text, m => m.Groups["name"].Success ? m.Groups["name"].Value + Redacted : Redacted)
            : text;

    // A JWT is base64url JSON, so each of its parts before the signature starts with "eyJ" ('{"').
    [GeneratedRegex(
        @"(?<name>(?i:\b(?:access|refresh|id)_token)=)[^&\s""'#]*" +
        @"|eyJ[A-Za-z0-9_-]+\.eyJ[A-Za-z0-9_-]*(?:\.[A-Za-z0-9_-]*)?")]
    private static partial Regex Tokens();
}
