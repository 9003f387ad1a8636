using System.Text.RegularExpressions;
using EventChat.Api.Chat;

namespace EventChat.UnitTests.Chat;

public sealed class When_a_client_message_id_is_checked
{
    private const int MaxLength = 100;

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public void Should_refuse_an_empty_id(string? id) =>
        Assert.Equal("clientMessageId must not be empty.", MessageRules.CheckClientMessageId(id, MaxLength));

    [Fact]
    public void Should_accept_the_longest_id_and_refuse_a_longer_one()
    {
        Assert.Null(MessageRules.CheckClientMessageId(new string('x', MaxLength), MaxLength));
        Assert.Equal(
            "clientMessageId is longer than 100 characters.",
            MessageRules.CheckClientMessageId(new string('x', MaxLength + 1), MaxLength));
    }

    // Written escaped and unescaped in the test: xUnit cannot carry a lone surrogate through its test data.
    [Theory]
    [InlineData(@"line\nbreak")]
    [InlineData(@"nul\u0000")]
    [InlineData(@"delete\u007F")]
    [InlineData(@"lone \uD83D")]
    [InlineData(@"\uDE00lone")]
    public void Should_refuse_control_characters_and_surrogates(string escaped) =>
        Assert.Equal(
            "clientMessageId must be printable text.",
            MessageRules.CheckClientMessageId(Regex.Unescape(escaped), MaxLength));

    [Theory]
    [InlineData("c-1")]
    [InlineData("7f1c2d9e-0b7a-4c57-9a43-6f3e5b1f2a10")]
    [InlineData("with spaces and ümlauts")]
    public void Should_accept_printable_ids(string id) => Assert.Null(MessageRules.CheckClientMessageId(id, MaxLength));
}
