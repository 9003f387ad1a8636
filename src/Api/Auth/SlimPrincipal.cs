using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;

namespace EventChat.Api.Auth;

/// <summary>
/// The principal the edge keeps for an authenticated request or hub connection: the token's subject and name
/// only, without the parsed token and its other claims that the validated identity refers to.
/// </summary>
public static class SlimPrincipal
{
    public static ClaimsPrincipal From(ClaimsPrincipal validated, string authenticationType)
    {
        var claims = new List<Claim>(2);
        if (validated.FindFirst(JwtRegisteredClaimNames.Sub) is { } subject)
        {
            claims.Add(new Claim(JwtRegisteredClaimNames.Sub, subject.Value));
        }

        if (validated.FindFirst(JwtRegisteredClaimNames.Name) is { } name)
        {
            claims.Add(new Claim(JwtRegisteredClaimNames.Name, name.Value));
        }

        return new ClaimsPrincipal(
            new ClaimsIdentity(claims, authenticationType, JwtRegisteredClaimNames.Name, ClaimTypes.Role));
    }
}
