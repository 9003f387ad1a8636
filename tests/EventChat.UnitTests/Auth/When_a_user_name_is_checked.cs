using EventChat.Api.Auth;

namespace EventChat.UnitTests.Auth;

/// <summary>
/// The rules every account name follows. Nothing that merely lower-cases or reads like an existing name may pass,
/// or one person could hold two accounts that look the same, or reach another's by a second spelling.
/// </summary>
public sealed class When_a_user_name_is_checked
{
    [Theory]
    [InlineData("bob")]
    [InlineData("Bob_the.builder-2")]
    [InlineData("___")]
    public void Should_accept_names_that_follow_the_rules(string name) => Assert.True(AuthEndpoints.IsValidUserName(name));

    [Theory]
    [InlineData("bob\n")]
    [InlineData("bob\r\n")]
    [InlineData("\nbob")]
    [InlineData("\u212Aate")]
    [InlineData("bo\u0307b")]
    [InlineData("b\u200Bob")]
    [InlineData("bob.")]
    [InlineData("ab")]
    public void Should_refuse_names_that_only_look_or_lower_case_like_valid_ones(string name) =>
        Assert.False(AuthEndpoints.IsValidUserName(name));
}
