namespace EventChat.Api.Auth;

public sealed class AuthOptions
{
    /// <summary>
    /// The HMAC key that signs access tokens, base64, at least 32 bytes. Every edge needs the same one. Required in
    /// production; the embedded default makes one and keeps it in <see cref="KeyFile"/>.
    /// </summary>
    public string? SigningKey { get; set; }

    /// <summary>
    /// Keys that signed before <see cref="SigningKey"/> took over: tokens they signed are still accepted, so a key
    /// can be replaced without signing anyone out. Remove one once an access token lifetime has passed.
    /// </summary>
    public string[] PreviousSigningKeys { get; set; } = [];

    public string KeyFile { get; set; } = "data/signing-key";

    /// <summary>The issuer of the access tokens EventChat signs itself.</summary>
    public string Issuer { get; set; } = "eventchat";

    /// <summary>The audience access tokens must name, whether EventChat or an external issuer signed them.</summary>
    public string Audience { get; set; } = "eventchat";

    /// <summary>
    /// An external OpenID Connect issuer to trust instead of EventChat's own accounts, for example
    /// <c>https://login.example.com/realms/chat</c>. Its discovery document and signing keys are read from there.
    /// </summary>
    public string? Authority { get; set; }

    /// <summary>
    /// Whether the external issuer's metadata must come over HTTPS. Only an issuer on a loopback address may turn
    /// it off, for tests and local development.
    /// </summary>
    public bool RequireHttpsMetadata { get; set; } = true;

    /// <summary>The external token's claim that names a user the first time EventChat sees them.</summary>
    public string NameClaim { get; set; } = "preferred_username";

    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromMinutes(15);

    public TimeSpan RefreshTokenLifetime { get; set; } = TimeSpan.FromDays(30);

    public bool UseExternalIssuer => !string.IsNullOrWhiteSpace(Authority);

    public void Validate()
    {
        if (AccessTokenLifetime < TimeSpan.FromSeconds(1) || AccessTokenLifetime > TimeSpan.FromDays(1))
        {
            throw new InvalidOperationException("Auth:AccessTokenLifetime must be between 1 second and 1 day.");
        }

        if (RefreshTokenLifetime < AccessTokenLifetime)
        {
            throw new InvalidOperationException("Auth:RefreshTokenLifetime must be at least Auth:AccessTokenLifetime.");
        }

        if (!UseExternalIssuer)
        {
            return;
        }

        if (!Uri.TryCreate(Authority, UriKind.Absolute, out var authority)
            || authority.Scheme is not ("https" or "http"))
        {
            throw new InvalidOperationException("Auth:Authority must be an absolute http or https URL.");
        }

        if (!RequireHttpsMetadata && !authority.IsLoopback)
        {
            throw new InvalidOperationException(
                "Auth:RequireHttpsMetadata may be false only for an issuer on a loopback address.");
        }

        if (RequireHttpsMetadata && authority.Scheme != "https")
        {
            throw new InvalidOperationException(
                "Auth:Authority must be https (Auth:RequireHttpsMetadata=false is allowed for a loopback issuer " +
                "only).");
        }
    }
}
