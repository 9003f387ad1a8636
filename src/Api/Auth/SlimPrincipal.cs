using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;

namespace EventChat.Api.Auth;

/// <summary>
/// The principal the edge keeps for an authenticated request or hub connection: the user's id as subject and the
/// name only, without the parsed token and its other claims that the validated identity refers to. The token's
/// expiry is not needed here: the authentication result carries it, and SignalR reads it from there to close a
/// connection whose token expired.
/// </summary>
public static class SlimPrincipal
{
    /// <summary>
    /// The principal of a validated token of EventChat's own, or null if its subject is not a user id. Everything
    /// downstream reads the subject as one, so such a token must not authenticate; the id is written in one form,
    /// the one <c>Clients.User</c> is called with.
    /// </summary>
    public static ClaimsPrincipal? From(ClaimsPrincipal validated, string authenticationType)
    {
        if (!Guid.TryParse(validated.FindFirstValue(JwtRegisteredClaimNames.Sub), out var userId))
        {
            return null;
        }

        var claims = new List<Claim>(2) { Subject(userId) };
        if (validated.FindFirst(JwtRegisteredClaimNames.Name) is { } name)
        {
            claims.Add(new Claim(JwtRegisteredClaimNames.Name, name.Value));
        }

        return Create(claims, authenticationType);
    }

    /// <summary>The principal of a local user, whoever vouched for them.</summary>
    public static ClaimsPrincipal For(Guid userId, string userName, string authenticationType) =>
        Create(
            [
                Subject(userId),
                new Claim(JwtRegisteredClaimNames.Name, userName),
            ],
            authenticationType);

    private static Claim Subject(Guid userId) => new(JwtRegisteredClaimNames.Sub, userId.ToString("D"));

    private static ClaimsPrincipal Create(List<Claim> claims, string authenticationType) =>
        new(new ClaimsIdentity(claims, authenticationType, JwtRegisteredClaimNames.Name, ClaimTypes.Role));
}
