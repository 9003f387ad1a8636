using System.Text.RegularExpressions;
using EventChat.Api.Chat;

namespace EventChat.UnitTests.Chat;

public sealed class When_message_text_is_checked
{
    private const int MaxLength = 4000;

    private const string Emoji = "\U0001F600";

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("\t\r\n")]
    [InlineData("\u3164\u3164")]
    [InlineData(" \u0301\U000E0020 ")]
    [InlineData("\u2800")]
    public void Should_refuse_empty_or_whitespace_text(string? text) =>
        Assert.Equal("Message text must not be empty.", MessageRules.CheckText(text, MaxLength));

    [Theory]
    [InlineData("\0")]
    [InlineData("hello\0world")]
    public void Should_refuse_the_nul_character(string text) =>
        Assert.Contains("NUL", MessageRules.CheckText(text, MaxLength), StringComparison.Ordinal);

    // Written escaped and unescaped in the test: xUnit cannot carry a lone surrogate through its test data.
    [Theory]
    [InlineData(@"\uD83D")]
    [InlineData(@"text then a high surrogate \uD83D")]
    [InlineData(@"\uD83D followed by a letter")]
    [InlineData(@"\uDE00")]
    [InlineData(@"a low surrogate \uDE00 alone")]
    [InlineData(@"a reversed pair \uDE00\uD83D")]
    public void Should_refuse_an_unpaired_surrogate(string escaped) =>
        Assert.Equal(
            "Message text is not valid Unicode: it has an unpaired surrogate.",
            MessageRules.CheckText(Regex.Unescape(escaped), MaxLength));

    [Theory]
    [InlineData("hello")]
    [InlineData("multi\nline\ttext")]
    [InlineData("emoji " + Emoji + " inside")]
    public void Should_accept_ordinary_text(string text) => Assert.Null(MessageRules.CheckText(text, MaxLength));

    [Fact]
    public void Should_accept_exactly_the_limit_counting_each_astral_emoji_once()
    {
        var text = string.Concat(Enumerable.Repeat(Emoji, MaxLength));

        Assert.Equal(2 * MaxLength, text.Length);
        Assert.Null(MessageRules.CheckText(text, MaxLength));
    }

    [Fact]
    public void Should_refuse_one_code_point_over_the_limit()
    {
        var emoji = string.Concat(Enumerable.Repeat(Emoji, MaxLength + 1));
        var letters = new string('a', MaxLength + 1);

        Assert.Equal(
            "Message text is 4001 characters long; the limit is 4000.", MessageRules.CheckText(emoji, MaxLength));
        Assert.NotNull(MessageRules.CheckText(letters, MaxLength));
        Assert.Null(MessageRules.CheckText(letters[1..], MaxLength));
    }
}
