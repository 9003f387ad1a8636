using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace EventChat.Api.Auth;

/// <summary>Issues the short-lived JWT access tokens and the opaque refresh tokens.</summary>
public sealed class TokenService(AuthOptions options, SigningKeys keys, TimeProvider clock)
{
    private readonly JsonWebTokenHandler _handler = new();

    public int AccessTokenSeconds => (int)options.AccessTokenLifetime.TotalSeconds;

    public string CreateAccessToken(Guid userId, string userName)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        return _handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = options.Issuer,
            Audience = options.Audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now + options.AccessTokenLifetime,
            Subject = new ClaimsIdentity(
            [
                new Claim(JwtRegisteredClaimNames.Sub, userId.ToString("D")),
                new Claim(JwtRegisteredClaimNames.Name, userName),
            ]),
            SigningCredentials = new SigningCredentials(keys.Current, SecurityAlgorithms.HmacSha256),
        });
    }

    /// <summary>
    /// A random refresh token and the hash under which it is stored. It has 256 random bits, so a fast hash is
    /// enough: there is nothing to guess, and whoever reads the table cannot turn a hash back into a token.
    /// </summary>
    public static (string Token, string Hash) CreateRefreshToken()
    {
        var token = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32));
        return (token, HashRefreshToken(token));
    }

    public static string HashRefreshToken(string token) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
}
