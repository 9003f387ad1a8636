namespace EventChat.Api.Auth;

public sealed class AuthOptions
{
    /// <summary>
    /// The HMAC key that signs access tokens, base64, at least 32 bytes. Every edge needs the same one. Required
    /// with PostgreSQL; the embedded default makes one and keeps it in <see cref="KeyFile"/>.
    /// </summary>
    public string? SigningKey { get; set; }

    public string KeyFile { get; set; } = "data/signing-key";

    public string Issuer { get; set; } = "eventchat";

    public string Audience { get; set; } = "eventchat";

    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromMinutes(15);

    public TimeSpan RefreshTokenLifetime { get; set; } = TimeSpan.FromDays(30);
}
