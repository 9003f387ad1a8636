using EventChat.Api.Chat;

namespace EventChat.UnitTests.Chat;

public sealed class When_an_emoji_is_checked
{
    [Theory]
    [InlineData("👍")]
    [InlineData("👍🏽")]
    [InlineData("👨‍👩‍👧")]
    [InlineData(":tada:")]
    [InlineData("❤️")]
    [InlineData("1️⃣")]
    [InlineData("é")]
    public void Should_accept_a_short_printable_token(string emoji) => Assert.Null(MessageRules.CheckEmoji(emoji));

    [Theory]
    [InlineData("\u200d")]
    [InlineData("\u200b\u200d")]
    [InlineData("\u2060")]
    [InlineData("a b")]
    [InlineData("\u0007")]
    [InlineData("\u00ad")]
    [InlineData("\U000E0020")]
    [InlineData("\u034f")]
    [InlineData("\ufe0f")]
    [InlineData("\u0301")]
    [InlineData("\u3164")]
    [InlineData("\u115f\u1160")]
    [InlineData("\uffa0")]
    [InlineData("\u2800")]
    public void Should_refuse_what_shows_nothing_or_is_not_one_token(string emoji) =>
        Assert.Equal("emoji must be printable and have no spaces.", MessageRules.CheckEmoji(emoji));

    [Theory]
    [InlineData("")]
    [InlineData(null)]
    [InlineData("123456789012345678901234567890123")]
    public void Should_refuse_an_empty_or_overlong_one(string? emoji) =>
        Assert.Equal("emoji must be 1 to 32 characters.", MessageRules.CheckEmoji(emoji));
}
