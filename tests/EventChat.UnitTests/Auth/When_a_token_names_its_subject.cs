using System.Security.Claims;
using EventChat.Api.Auth;
using Microsoft.IdentityModel.JsonWebTokens;

namespace EventChat.UnitTests.Auth;

/// <summary>What the edge keeps of a validated token of its own: a user id as subject, or nothing at all.</summary>
public sealed class When_a_token_names_its_subject
{
    [Theory]
    [InlineData("not-a-guid")]
    [InlineData("")]
    [InlineData(null)]
    public void Should_keep_no_principal_when_the_subject_is_not_a_user_id(string? subject) =>
        Assert.Null(SlimPrincipal.From(Validated(subject), "Bearer"));

    [Theory]
    [InlineData("6f1c1a8e-2b7d-4c55-9a4f-0d2e8b1c3a77")]
    [InlineData("6F1C1A8E-2B7D-4C55-9A4F-0D2E8B1C3A77")]
    [InlineData("{6f1c1a8e-2b7d-4c55-9a4f-0d2e8b1c3a77}")]
    public void Should_keep_the_user_id_in_the_one_form_the_edge_addresses_users_by(string subject)
    {
        var principal = SlimPrincipal.From(Validated(subject), "Bearer");

        Assert.NotNull(principal);
        Assert.Equal("6f1c1a8e-2b7d-4c55-9a4f-0d2e8b1c3a77", principal.FindFirstValue(JwtRegisteredClaimNames.Sub));
        Assert.Equal(Guid.Parse(subject), principal.UserId());
        Assert.Equal("alice", principal.UserName());
        Assert.True(principal.Identity?.IsAuthenticated);
    }

    private static ClaimsPrincipal Validated(string? subject)
    {
        var claims = new List<Claim> { new(JwtRegisteredClaimNames.Name, "alice"), new("scope", "chat") };
        if (subject is not null)
        {
            claims.Add(new Claim(JwtRegisteredClaimNames.Sub, subject));
        }

        return new ClaimsPrincipal(new ClaimsIdentity(claims, "AuthenticationTypes.Federation"));
    }
}
