using EventChat.Workers.Moderation;

namespace EventChat.UnitTests.Moderation;

public sealed class When_text_has_no_blocked_word
{
    private readonly BlockedWordFilter _filter = new(["ass"]);

    [Theory]
    [InlineData("class")]
    [InlineData("passage")]
    [InlineData("assess")]
    [InlineData("bass guitar")]
    [InlineData("\uFF43\uFF4C\uFF41\uFF53\uFF53")]
    [InlineData("cl\u200Bass")]
    public void Should_not_match_a_blocked_word_inside_a_longer_one(string text) =>
        Assert.False(_filter.ContainsBlockedWord(text));

    [Theory]
    [InlineData("ass2")]
    [InlineData("2ass")]
    [InlineData("\uFF41\uFF53\uFF53\uFF11")]
    public void Should_treat_digits_as_part_of_the_word(string text) => Assert.False(_filter.ContainsBlockedWord(text));

    [Theory]
    [InlineData("")]
    [InlineData("a ss")]
    [InlineData("as s")]
    [InlineData("a.s.s")]
    public void Should_not_join_letters_across_a_boundary(string text) =>
        Assert.False(_filter.ContainsBlockedWord(text));
}
